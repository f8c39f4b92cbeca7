"""Reads of the exams app: the public centres and their sittings, a learner's registrations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django_countries import countries as all_countries
from django_countries.fields import Country

from sankore.accounts.models import User
from sankore.exams.models import (
    ACTIVE_STATUSES,
    ExamCentre,
    ExamRegistration,
    ExamSitting,
    RegistrationStatus,
)
from sankore.exams.tokens import convocation_token_from_scan, convocation_token_read


def centres_public(*, country: str = "") -> QuerySet[ExamCentre]:
    centres = ExamCentre.objects.filter(is_active=True).select_related("institution")
    if country:
        centres = centres.filter(institution__country=country)
    return centres.order_by("institution__country", "institution__city", "institution__name")


def centre_countries() -> list[tuple[str, str]]:
    """The countries with an active centre, by their (French) name."""
    codes = (
        ExamCentre.objects.filter(is_active=True)
        .values_list("institution__country", flat=True)
        .distinct()
    )
    return sorted(
        ((code, Country(code=code).name) for code in codes if code in dict(all_countries)),
        key=lambda pair: pair[1],
    )


def centre_public(*, slug: str) -> ExamCentre | None:
    return (
        ExamCentre.objects.filter(is_active=True, institution__slug=slug)
        .select_related("institution")
        .first()
    )


def _with_counts(sittings: QuerySet[ExamSitting]) -> QuerySet[ExamSitting]:
    return sittings.select_related("course_run__course", "room", "centre__institution").annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )


def sittings_upcoming(*, centre: ExamCentre, now: datetime.datetime) -> QuerySet[ExamSitting]:
    return _with_counts(ExamSitting.objects.filter(centre=centre, starts_at__gte=now)).order_by(
        "starts_at", "pk"
    )


def sitting_public(*, pk: int) -> ExamSitting | None:
    return _with_counts(ExamSitting.objects.filter(pk=pk, centre__is_active=True)).first()


def registrations_of_learner(*, learner: User) -> QuerySet[ExamRegistration]:
    return (
        ExamRegistration.objects.filter(learner=learner)
        .select_related("sitting__centre__institution", "sitting__course_run__course")
        .order_by("-registered_at", "-pk")
    )


def registrations_payable_of_learner(*, learner: User) -> QuerySet[ExamRegistration]:
    """The learner's confirmed seats whose fee is still to pay (a paying sitting, not paid
    yet): those a sponsor's voucher may take on."""
    return (
        ExamRegistration.objects.filter(
            learner=learner,
            status=RegistrationStatus.CONFIRMED,
            paid_at__isnull=True,
            sitting__fee_amount__gt=0,
        )
        .select_related("sitting__centre__institution", "sitting__course_run__course")
        .order_by("sitting__starts_at", "pk")
    )


def registration_active(*, learner: User, course_run_id: int) -> ExamRegistration | None:
    return ExamRegistration.objects.filter(
        learner=learner, course_run_id=course_run_id, status__in=ACTIVE_STATUSES
    ).first()


def waiting_rank(*, registration: ExamRegistration) -> int | None:
    """Where a waiting learner stands now (1 = next to get a seat): positions are not
    renumbered when someone ahead leaves the list."""
    if registration.status != RegistrationStatus.WAITING or registration.waiting_position is None:
        return None
    ahead = ExamRegistration.objects.filter(
        sitting_id=registration.sitting_id,
        status=RegistrationStatus.WAITING,
        waiting_position__lt=registration.waiting_position,
    ).count()
    return ahead + 1


# --- Convocations and the printed attendance list --------------------------------------------

_CONVOCATION_RELATED = (
    "learner",
    "sitting__course_run__course",
    "sitting__room",
    "sitting__centre__institution",
)


def registration_for_convocation(
    *, pk: int, learner: User | None = None
) -> ExamRegistration | None:
    """A registration with everything its convocation prints; ``learner``: theirs only."""
    registrations = ExamRegistration.objects.select_related(*_CONVOCATION_RELATED)
    if learner is not None:
        registrations = registrations.filter(learner=learner)
    return registrations.filter(pk=pk).first()


def registrations_confirmed(*, sitting: ExamSitting) -> QuerySet[ExamRegistration]:
    """The sitting's candidates with a seat, by seat: the attendance list's rows."""
    return (
        ExamRegistration.objects.filter(sitting=sitting, status=RegistrationStatus.CONFIRMED)
        .select_related("learner")
        .order_by("seat_number")
    )


@dataclass(frozen=True)
class Scanned:
    """What a scanned convocation says at ``sitting``'s door: its registration, or why not."""

    registration: ExamRegistration | None = None
    # "invalid": not one of our convocations; "other_sitting": ours, for another sitting
    # (``other_sitting``); "cancelled": the registration no longer has a seat.
    problem: str = ""
    other_sitting: ExamSitting | None = None


def registration_scanned(*, sitting: ExamSitting, scanned: str) -> Scanned:
    """Read what a scanner typed (the QR code's URL, or its token) at ``sitting``."""
    token = convocation_token_read(token=convocation_token_from_scan(scanned))
    if token is None:
        return Scanned(problem="invalid")
    if token.sitting_id != sitting.pk:
        other = (
            ExamSitting.objects.select_related("centre__institution")
            .filter(pk=token.sitting_id)
            .first()
        )
        return Scanned(problem="other_sitting", other_sitting=other)
    registration = (
        ExamRegistration.objects.select_related("learner")
        .filter(pk=token.registration_id, sitting=sitting)
        .first()
    )
    if registration is None:
        return Scanned(problem="invalid")
    if registration.status != RegistrationStatus.CONFIRMED:
        return Scanned(registration=registration, problem="cancelled")
    return Scanned(registration=registration)
