"""Public exam centres and sittings; a learner's registrations (« Mes examens »)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from sankore.accounts.models import User
from sankore.core.errors import ServiceError
from sankore.exams import selectors, services
from sankore.exams.dashboards import manages_exams
from sankore.exams.display import centre_zone_label, fee_label
from sankore.exams.fee_waivers import fee_waiver_link
from sankore.exams.models import ExamRegistration, RegistrationStatus
from sankore.exams.permissions import (
    registration_queryset_visible_to,
    user_can_manage_centre,
    user_can_manage_sitting,
)
from sankore.exams.result_selectors import validated_results_of_learner


@require_safe
def centre_list(request: HttpRequest) -> HttpResponse:
    countries = selectors.centre_countries()
    # An unknown country shows every centre, as on the institutions page.
    country = request.GET.get("pays", "").upper()
    country = country if country in dict(countries) else ""
    page_obj = Paginator(selectors.centres_public(country=country), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "exams/centre_list.html",
        {
            "page_obj": page_obj,
            "centres": page_obj.object_list,
            "countries": countries,
            "selected_country": country,
            "query_without_page": f"pays={country}" if country else "",
        },
    )


@require_safe
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre = selectors.centre_public(slug=slug)
    if centre is None:
        raise Http404
    now = timezone.now()
    sittings = list(selectors.sittings_upcoming(centre=centre, now=now))
    for sitting in sittings:
        sitting.zone_label = centre_zone_label(centre=centre, at=sitting.starts_at)  # type: ignore[attr-defined]
        sitting.fee_label = fee_label(sitting=sitting)  # type: ignore[attr-defined]
    return render(
        request,
        "exams/centre_detail.html",
        {
            "centre": centre,
            "sittings": sittings,
            "zone": centre.institution.time_zone,
            "can_manage": user_can_manage_centre(user=request.user, centre=centre),
        },
    )


@require_safe
def sitting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = selectors.sitting_public(pk=pk)
    if sitting is None:
        raise Http404
    registration = None
    rank = None
    if isinstance(request.user, User):
        registration = selectors.registration_active(
            learner=request.user, course_run_id=sitting.course_run_id
        )
        rank = selectors.waiting_rank(registration=registration) if registration else None
    now = timezone.now()
    return render(
        request,
        "exams/sitting_detail.html",
        {
            "sitting": sitting,
            "centre": sitting.centre,
            "zone": sitting.centre.institution.time_zone,
            "zone_label": centre_zone_label(centre=sitting.centre, at=sitting.starts_at),
            "fee_label": fee_label(sitting=sitting),
            "registration": registration,
            "waiting_rank": rank,
            "is_open": sitting.registration_opens_at <= now < sitting.registration_closes_at,
            "can_cancel": now < sitting.cancellation_deadline,
            "can_manage": user_can_manage_sitting(user=request.user, sitting=sitting),
        },
    )


@require_POST
@login_required
def registration_create(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = selectors.sitting_public(pk=pk)
    if sitting is None or not isinstance(request.user, User):
        raise Http404
    try:
        registration = services.registration_create(learner=request.user, sitting=sitting)
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request,
                gettext("Votre place est confirmée : place n° %(seat)s.")
                % {"seat": registration.seat_number},
            )
        else:
            messages.warning(
                request,
                gettext(
                    "La session est complète : vous êtes sur la liste d'attente et recevrez "
                    "une place dès qu'une se libère."
                ),
            )
    return redirect("exams:sitting", pk=pk)


@require_safe
@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    registrations = list(selectors.registrations_of_learner(learner=request.user))
    validated = validated_results_of_learner(learner=request.user)
    for registration in registrations:
        registration.validated_result = validated.get(registration.pk)  # type: ignore[attr-defined]
        registration.zone_label = centre_zone_label(  # type: ignore[attr-defined]
            centre=registration.sitting.centre, at=registration.sitting.starts_at
        )
        # « Utiliser un bon » next to a fee still to pay, when an app offers vouchers.
        registration.fee_waiver_url = fee_waiver_link(registration=registration)  # type: ignore[attr-defined]
    return render(
        request,
        "exams/my_registrations.html",
        {"registrations": registrations, "manages_exams": manages_exams(user=request.user)},
    )


@require_POST
@login_required
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    # The learner's own registrations only, here: staff cancel from their own pages.
    visible = registration_queryset_visible_to(
        user=request.user, queryset=ExamRegistration.objects.filter(learner=request.user)
    ).select_related("sitting__centre")
    registration = get_object_or_404(visible, pk=pk)
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("Votre inscription est annulée."))
    return redirect("exams:mine")
