"""Reads of the staff dashboards: a centre's sittings with their fill rate, a session's
registrations by country and centre, and the incidents of a sitting. Counts are computed
by the database in one query per table, whatever the number of sittings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django_countries.fields import Country

from sankore.accounts.permissions import AnyUser, campus_ids_staffed_by, user_is_programme_staff
from sankore.catalog.models import CourseRun
from sankore.credentials.permissions import course_queryset_certified_by
from sankore.exams.models import (
    ACTIVE_STATUSES,
    ExamCentre,
    ExamIncident,
    ExamRegistration,
    ExamSitting,
    RegistrationStatus,
)

CONFIRMED = Q(registrations__status=RegistrationStatus.CONFIRMED)


def _with_day_counts(sittings: QuerySet[ExamSitting]) -> QuerySet[ExamSitting]:
    return sittings.select_related("course_run__course", "room", "centre__institution").annotate(
        confirmed_count=Count("registrations", filter=CONFIRMED),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
        paid_count=Count(
            "registrations", filter=CONFIRMED & Q(registrations__paid_at__isnull=False)
        ),
        present_count=Count(
            "registrations", filter=CONFIRMED & Q(registrations__checked_in_at__isnull=False)
        ),
    )


def fill_percent(sitting: ExamSitting) -> int:
    confirmed = getattr(sitting, "confirmed_count", 0)
    return round(100 * confirmed / sitting.seats) if sitting.seats else 0


@dataclass(frozen=True)
class CentreDashboard:
    upcoming: list[ExamSitting]
    recent: list[ExamSitting]
    seats: int
    confirmed: int
    waiting: int

    @property
    def fill_percent(self) -> int:
        return round(100 * self.confirmed / self.seats) if self.seats else 0


def centre_dashboard(*, centre: ExamCentre, now: datetime.datetime) -> CentreDashboard:
    """Sittings to come (and those of the last 90 days, for their attendance)."""
    sittings = _with_day_counts(ExamSitting.objects.filter(centre=centre))
    upcoming = list(sittings.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    recent = list(
        sittings.filter(starts_at__lt=now, starts_at__gte=now - datetime.timedelta(days=90))
        .order_by("-starts_at", "-pk")
    )  # fmt: skip
    return CentreDashboard(
        upcoming=upcoming,
        recent=recent,
        seats=sum(s.seats for s in upcoming),
        confirmed=sum(getattr(s, "confirmed_count", 0) for s in upcoming),
        waiting=sum(getattr(s, "waiting_count", 0) for s in upcoming),
    )


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    confirmed: int
    waiting: int

    @property
    def total(self) -> int:
        return self.confirmed + self.waiting


@dataclass(frozen=True)
class RunDashboard:
    sittings: list[ExamSitting]
    by_country: list[CountryCount]
    confirmed: int
    waiting: int


def course_run_dashboard(*, course_run: CourseRun) -> RunDashboard:
    """A session's sittings everywhere, and its active registrations by the learners'
    country (the profile's; « non renseigné » when empty)."""
    sittings = list(
        _with_day_counts(ExamSitting.objects.filter(course_run=course_run)).order_by(
            "starts_at", "pk"
        )
    )
    rows = (
        ExamRegistration.objects.filter(course_run=course_run, status__in=ACTIVE_STATUSES)
        .values("learner__country")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        )
        .order_by()
    )
    by_country = [
        CountryCount(
            code=row["learner__country"] or "",
            name=Country(code=row["learner__country"]).name if row["learner__country"] else "",
            confirmed=row["confirmed"],
            waiting=row["waiting"],
        )
        for row in rows
    ]
    by_country.sort(key=lambda c: (-c.total, c.name))
    return RunDashboard(
        sittings=sittings,
        by_country=by_country,
        confirmed=sum(c.confirmed for c in by_country),
        waiting=sum(c.waiting for c in by_country),
    )


def centres_managed_by(*, user: AnyUser) -> QuerySet[ExamCentre]:
    centres = ExamCentre.objects.select_related("institution").order_by("institution__name")
    if user_is_programme_staff(user=user):
        return centres
    return centres.filter(institution_id__in=campus_ids_staffed_by(user=user))


def runs_with_sittings_managed_by(*, user: AnyUser) -> QuerySet[CourseRun]:
    """Sessions with at least one sitting whose course the user's team edits (all of
    them for programme staff)."""
    runs = (
        CourseRun.objects.filter(exam_sittings__isnull=False)
        .distinct()
        .select_related("course")
        .order_by("course__title", "start")
    )
    if user_is_programme_staff(user=user):
        return runs
    return runs.filter(course__in=course_queryset_certified_by(user=user))


def incidents_of(*, sitting: ExamSitting) -> QuerySet[ExamIncident]:
    return (
        ExamIncident.objects.filter(sitting=sitting)
        .select_related("registration__learner", "reported_by")
        .order_by("occurred_at", "pk")
    )


def manages_exams(*, user: AnyUser) -> bool:
    """Whether the exams hub has anything for this user (a link to it is worth showing)."""
    return (
        centres_managed_by(user=user).exists() or runs_with_sittings_managed_by(user=user).exists()
    )
