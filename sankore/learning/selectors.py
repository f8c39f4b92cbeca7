"""Reads on enrolments, for the dashboard and for other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from sankore.accounts.models import User
from sankore.accounts.permissions import AnyUser
from sankore.learning.models import Enrolment


@dataclass
class LearnerDashboard:
    current: list[Enrolment] = field(default_factory=list)
    upcoming: list[Enrolment] = field(default_factory=list)
    past: list[Enrolment] = field(default_factory=list)


def enrolments_of_learner(*, user: User) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user=user, is_active=True)
        .select_related("course_run__course")
        .prefetch_related("course_run__course__owners")
        .order_by("course_run__start")
    )


def learner_dashboard(*, user: User, now: datetime.datetime | None = None) -> LearnerDashboard:
    """The learner's active enrolments, split into current, upcoming and past sessions."""
    now = now or timezone.now()
    dashboard = LearnerDashboard()
    for enrolment in enrolments_of_learner(user=user):
        run = enrolment.course_run
        if run.end is not None and run.end <= now:
            dashboard.past.append(enrolment)
        elif run.start > now:
            dashboard.upcoming.append(enrolment)
        else:
            dashboard.current.append(enrolment)
    dashboard.past.reverse()  # most recent first
    return dashboard


def active_enrolment_run_ids(*, user: AnyUser, course_run_ids: list[int]) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Enrolment.objects.filter(
            user=user, course_run_id__in=course_run_ids, is_active=True
        ).values_list("course_run_id", flat=True)
    )
