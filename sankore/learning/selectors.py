"""Reads on enrolments, for the dashboard and for other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from sankore.accounts.models import User
from sankore.accounts.permissions import AnyUser
from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import user_can_edit_course
from sankore.courseware.selectors import Outline, OutlineChapter, OutlineUnit
from sankore.learning.models import BlockCompletion, Enrolment, RunProgress


@dataclass
class LearnerDashboard:
    current: list[Enrolment] = field(default_factory=list)
    upcoming: list[Enrolment] = field(default_factory=list)
    past: list[Enrolment] = field(default_factory=list)
    # Stored progress per session (percent), for the sessions the learner has worked in.
    percent_by_run: dict[int, int] = field(default_factory=dict)


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
    enrolments = list(enrolments_of_learner(user=user))
    dashboard.percent_by_run = dict(
        RunProgress.objects.filter(
            user=user, course_run_id__in=[e.course_run_id for e in enrolments]
        ).values_list("course_run_id", "percent")
    )
    for enrolment in enrolments:
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


@dataclass(frozen=True)
class PlayerAccess:
    """What a user may do in a session's player."""

    enrolled: bool
    is_staff: bool  # the course's team, its institutions' staff, programme staff

    @property
    def may_read_all(self) -> bool:
        return self.enrolled or self.is_staff

    def may_read_unit(self, unit: OutlineUnit) -> bool:
        return self.may_read_all or unit.free_preview

    def may_open_unit(
        self, *, outline: Outline, unit: OutlineUnit, now: datetime.datetime, pacing: str
    ) -> bool:
        """May read it now: readable by this user, and its chapter released (staff always)."""
        if not self.may_read_unit(unit):
            return False
        return self.is_staff or outline.chapter_of(unit).is_released(now=now, pacing=pacing)

    def may_read_asset(
        self, *, outline: Outline, asset_key: str, now: datetime.datetime, pacing: str
    ) -> bool:
        """A file is readable when one of the units using it may be opened now."""
        if self.is_staff:
            return True
        return any(
            (unit := outline.unit(key)) is not None
            and self.may_open_unit(outline=outline, unit=unit, now=now, pacing=pacing)
            for key in outline.asset_units.get(asset_key, ())
        )


def player_access(*, user: AnyUser, course_run: CourseRun) -> PlayerAccess:
    if not user.is_authenticated:
        return PlayerAccess(enrolled=False, is_staff=False)
    enrolled = Enrolment.objects.filter(user=user, course_run=course_run, is_active=True).exists()
    return PlayerAccess(
        enrolled=enrolled, is_staff=user_can_edit_course(user=user, course=course_run.course)
    )


@dataclass(frozen=True)
class LearnerProgress:
    """A learner's completions in a session, against one outline."""

    done: frozenset[str]
    last_unit_key: str
    outline: Outline

    def block_done(self, key: str) -> bool:
        return key in self.done

    def unit_done(self, unit: OutlineUnit) -> bool:
        completed, total = unit.completion_counts(self.done)
        return total > 0 and completed >= total

    def chapter_counts(self, chapter: OutlineChapter) -> tuple[int, int]:
        return chapter.completion_counts(self.done)

    @property
    def counts(self) -> tuple[int, int]:
        return self.outline.completion_counts(self.done)

    @property
    def percent(self) -> int:
        done, total = self.counts
        return 100 * done // total if total else 0


def learner_progress(*, user: User, course_run: CourseRun, outline: Outline) -> LearnerProgress:
    """Progress per block, unit, chapter and course in two queries, whatever the size of
    the course."""
    done = frozenset(
        BlockCompletion.objects.filter(user=user, course_run=course_run).values_list(
            "block_key", flat=True
        )
    )
    last = (
        RunProgress.objects.filter(user=user, course_run=course_run)
        .values_list("last_unit_key", flat=True)
        .first()
    )
    return LearnerProgress(done=done, last_unit_key=last or "", outline=outline)


def enrolment_date(*, user: AnyUser, course_run: CourseRun) -> datetime.datetime | None:
    """When the learner enrolled in the session (self-paced due dates count from it)."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(user_id=user.pk, course_run=course_run, is_active=True)
        .values_list("created_at", flat=True)
        .first()
    )
