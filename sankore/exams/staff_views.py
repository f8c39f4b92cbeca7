"""The centre's staff on exam day: the attendance list of a sitting (seats, payments,
who is at the door), the fee recorded at the desk, the check-in with the identity seen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from sankore.accounts.models import User
from sankore.core.errors import ServiceError
from sankore.exams import selectors, services
from sankore.exams.display import centre_zone_label, fee_label
from sankore.exams.models import ExamRegistration, ExamSitting, RegistrationStatus
from sankore.exams.permissions import user_can_enter_results, user_can_manage_sitting


class AttendanceSearch(forms.Form):
    q = forms.CharField(label=_("Nom, adresse ou n° de place"), required=False, max_length=100)


def managed_sitting(request: HttpRequest, pk: int) -> ExamSitting:
    sitting = selectors.sitting_public(pk=pk)
    if sitting is None:
        raise Http404
    if not user_can_manage_sitting(user=request.user, sitting=sitting):
        raise PermissionDenied
    return sitting


def _registration_of(sitting: ExamSitting, registration_id: int) -> ExamRegistration:
    registration = (
        ExamRegistration.objects.select_related("sitting__centre__institution", "learner")
        .filter(pk=registration_id, sitting=sitting)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@require_safe
@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = managed_sitting(request, pk)
    form = AttendanceSearch(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    rows = (
        ExamRegistration.objects.filter(sitting=sitting, status=RegistrationStatus.CONFIRMED)
        .select_related("learner")
        .order_by("seat_number")
    )
    if query.isdecimal():  # not ``isdigit``: « ² » is a digit that ``int`` refuses
        # A number is a seat: it must not also find every address with that digit in it.
        rows = rows.filter(seat_number=int(query))
    elif query:
        rows = rows.filter(
            Q(learner__full_name__icontains=query) | Q(learner__email__icontains=query)
        )
    waiting = ExamRegistration.objects.filter(
        sitting=sitting, status=RegistrationStatus.WAITING
    ).count()
    confirmed = list(rows)
    return render(
        request,
        "exams/staff/attendance.html",
        {
            "sitting": sitting, "centre": sitting.centre, "form": form, "rows": confirmed,
            "waiting": waiting, "present": sum(1 for r in confirmed if r.checked_in_at),
            "zone_label": centre_zone_label(centre=sitting.centre, at=sitting.starts_at),
            "fee_label": fee_label(sitting=sitting),
            "can_enter_results": user_can_enter_results(user=request.user, sitting=sitting),
        },
    )  # fmt: skip


@require_POST
@login_required
def check_in(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    sitting = managed_sitting(request, pk)
    registration = _registration_of(sitting, registration_id)
    assert isinstance(request.user, User)
    try:
        services.registration_check_in(
            registration=registration, by=request.user,
            identity_checked=request.POST.get("identity_checked") == "on",
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("%(name)s est accueilli, place n° %(seat)s.")
            % {"name": registration.learner.printed_name or registration.learner.email,
               "seat": registration.seat_number},
        )  # fmt: skip
    return redirect("exams:attendance", sitting.pk)


@require_POST
@login_required
def payment(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    sitting = managed_sitting(request, pk)
    registration = _registration_of(sitting, registration_id)
    assert isinstance(request.user, User)
    try:
        services.registration_payment_record(
            registration=registration, by=request.user,
            receipt_number=request.POST.get("receipt_number", ""),
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Paiement enregistré."))
    return redirect("exams:attendance", sitting.pk)
