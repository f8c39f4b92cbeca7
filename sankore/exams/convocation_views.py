"""The convocation on paper and at the door: the learner downloads it, the centre's staff
scan its QR code to check the candidate in, and print the sitting's attendance list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sankore.accounts.models import User
from sankore.exams import selectors
from sankore.exams.attendance_sheet import attendance_sheet_filename, attendance_sheet_render
from sankore.exams.convocation import convocation_filename, convocation_render
from sankore.exams.display import centre_local_date, centre_local_time, centre_zone_label
from sankore.exams.models import RegistrationStatus
from sankore.exams.permissions import user_can_record_payment
from sankore.exams.staff_views import managed_sitting
from sankore.exams.tokens import QUERY_PARAMETER


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@login_required
@never_cache  # personal, and it changes with the seat: no copy kept on the way
def convocation(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    # The learner's own only: anyone else, staff included, gets a 404 here.
    registration = selectors.registration_for_convocation(pk=pk, learner=request.user)
    if registration is None:
        raise Http404
    if registration.status != RegistrationStatus.CONFIRMED:
        messages.error(
            request, gettext("La convocation n’est disponible qu’avec une place confirmée.")
        )
        return redirect("exams:mine")
    return _pdf(
        convocation_render(registration=registration),
        convocation_filename(registration=registration),
    )


@require_safe
@login_required
@never_cache
def staff_convocation(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    """A candidate's convocation printed again at the centre (forgotten, lost)."""
    sitting = managed_sitting(request, pk)
    registration = selectors.registration_for_convocation(pk=registration_id)
    if (
        registration is None
        or registration.sitting_id != sitting.pk
        or registration.status != RegistrationStatus.CONFIRMED
    ):
        raise Http404
    return _pdf(
        convocation_render(registration=registration),
        convocation_filename(registration=registration),
    )


@require_safe
@login_required
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = managed_sitting(request, pk)
    scanned_text = request.GET.get(QUERY_PARAMETER, "")
    context: dict[str, object] = {
        "sitting": sitting,
        "centre": sitting.centre,
        "zone_label": centre_zone_label(centre=sitting.centre, at=sitting.starts_at),
        # The field takes the focus, so the next scan goes into it, unless a candidate is
        # shown: then the check-in form comes first.
        "scan_autofocus": True,
    }
    if not scanned_text.strip():
        return render(request, "exams/staff/scan.html", context)
    scanned = selectors.registration_scanned(sitting=sitting, scanned=scanned_text)
    context["scanned"] = scanned
    other = scanned.other_sitting
    if other is not None:
        # Its date and centre only: whoever holds the paper is told where to go, nothing more.
        context["other"] = {
            "centre": other.centre.institution.name,
            "date": centre_local_date(centre=other.centre, at=other.starts_at),
            "time": centre_local_time(centre=other.centre, at=other.starts_at),
            "zone_label": centre_zone_label(centre=other.centre, at=other.starts_at),
        }
    registration = scanned.registration
    context["scan_autofocus"] = registration is None or bool(scanned.problem)
    if registration is not None and registration.checked_in_at is not None:
        context["checked_in_time"] = centre_local_time(
            centre=sitting.centre, at=registration.checked_in_at
        )
    context["can_record_payment"] = user_can_record_payment(
        user=request.user, centre=sitting.centre
    )
    status = 400 if scanned.problem in ("invalid", "other_sitting") else 200
    return render(request, "exams/staff/scan.html", context, status=status)


@require_safe
@login_required
@never_cache  # a snapshot of the check-ins: always the current one
def attendance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = managed_sitting(request, pk)
    rows = list(selectors.registrations_confirmed(sitting=sitting))
    return _pdf(
        attendance_sheet_render(sitting=sitting, rows=rows),
        attendance_sheet_filename(sitting=sitting),
    )
