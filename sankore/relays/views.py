"""The campus relay: its public page, the staff's page that composes it, the poster and the
embeddable list of the selection."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.accounts.models import User
from sankore.catalog.models import Course
from sankore.catalog.selectors import course_from_reference
from sankore.core.errors import ServiceError
from sankore.institutions.models import Institution
from sankore.relays import selectors, services
from sankore.relays.forms import CourseAddForm, RelayForm
from sankore.relays.permissions import user_can_manage_relay
from sankore.relays.poster import poster_filename, poster_render


def _campus(slug: str) -> Institution:
    campus = selectors.campus_public(slug=slug)
    if campus is None:
        raise Http404
    return campus


def _managed(request: HttpRequest, slug: str) -> tuple[Institution, User]:
    campus = _campus(slug)
    if not isinstance(request.user, User) or not user_can_manage_relay(
        user=request.user, campus=campus
    ):
        raise PermissionDenied
    return campus, request.user


@require_safe
def relay_page(request: HttpRequest, slug: str) -> HttpResponse:
    campus = _campus(slug)
    relay = selectors.relay_of(campus=campus)
    now = timezone.now()
    return render(
        request,
        "relays/relay_page.html",
        {
            "campus": campus, "relay": relay,
            "courses": selectors.selection_cards(relay=relay, now=now),
            "sittings": selectors.campus_sittings(campus=campus, now=now),
            "can_manage": user_can_manage_relay(user=request.user, campus=campus),
        },
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def relay_manage(request: HttpRequest, slug: str) -> HttpResponse:
    campus, staff = _managed(request, slug)
    relay = services.relay_for(campus=campus)
    form = RelayForm(request.POST if request.method == "POST" else None, instance=relay)
    if request.method == "POST" and form.is_valid():
        try:
            services.relay_update(relay=relay, by=staff, **form.cleaned_data)
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("La page du campus est enregistrée."))
            return redirect("relays:manage", campus.slug)
    return render(
        request,
        "relays/relay_manage.html",
        {
            "campus": campus, "relay": relay, "form": form, "add_form": CourseAddForm(),
            "entries": selectors.selection_entries(relay=relay),
            "embed_url": (
                settings.SITE_URL.rstrip("/") + reverse("relays:embed", args=[campus.slug])
            ),
        },
    )  # fmt: skip


@require_POST
@login_required
def course_add(request: HttpRequest, slug: str) -> HttpResponse:
    campus, staff = _managed(request, slug)
    relay = services.relay_for(campus=campus)
    form = CourseAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Indiquez le code du cours ou l’adresse de sa page."))
        return redirect("relays:manage", campus.slug)
    course = course_from_reference(reference=form.cleaned_data["course"])
    if course is None:
        messages.error(
            request, gettext("Aucun cours du catalogue ne répond à ce code ou à cette adresse.")
        )
        return redirect("relays:manage", campus.slug)
    try:
        services.relay_course_add(
            relay=relay, course=course, by=staff, note=form.cleaned_data["note"]
        )
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, gettext("« %(title)s » est ajouté à la sélection.") % {"title": course.title}
        )
    return redirect("relays:manage", campus.slug)


@require_POST
@login_required
def course_change(request: HttpRequest, slug: str, course_id: int, action: str) -> HttpResponse:
    campus, staff = _managed(request, slug)
    relay = services.relay_for(campus=campus)
    course = get_object_or_404(Course, pk=course_id)
    try:
        if action == "retrait":
            services.relay_course_remove(relay=relay, course=course, by=staff)
        elif action in ("monter", "descendre"):
            step = -1 if action == "monter" else 1
            services.relay_course_move(relay=relay, course=course, by=staff, step=step)
        else:
            raise Http404
    except ServiceError as refused:
        messages.error(request, refused.message)
    return redirect("relays:manage", campus.slug)


@require_safe
def poster(request: HttpRequest, slug: str) -> HttpResponse:
    campus = _campus(slug)
    relay = selectors.relay_of(campus=campus)
    courses = selectors.selection_cards(relay=relay, now=timezone.now())
    pdf = poster_render(campus=campus, relay=relay, courses=courses)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{poster_filename(campus=campus)}"'
    return response


@require_safe
@xframe_options_exempt
def selection_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The selection as a page to put in a partner's ``<iframe>``: the cards linking back,
    no cookie, no script, any site may frame it."""
    campus = _campus(slug)
    relay = selectors.relay_of(campus=campus)
    response = render(
        request,
        "relays/selection_embed.html",
        {
            "campus": campus,
            "site_url": settings.SITE_URL.rstrip("/"),
            "courses": selectors.selection_cards(relay=relay, now=timezone.now()),
        },
    )
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response
