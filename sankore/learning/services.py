"""Enrolment writes, race-safe under concurrency."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun, RunState
from sankore.core.errors import ConflictError, ServiceError
from sankore.courseware.selectors import Outline
from sankore.learning.models import BlockCompletion, Enrolment, RunProgress


class AlreadyEnrolledError(ConflictError):
    pass


class EnrolmentClosedError(ServiceError):
    pass


class SessionFullError(ConflictError):
    pass


def _refuse_unless_open(run: CourseRun, now: datetime.datetime) -> None:
    if not run.is_published or not run.course.is_published:
        raise EnrolmentClosedError(_("Cette session n'est pas proposée."), code="not_published")
    if run.course.is_hosted_elsewhere:
        raise EnrolmentClosedError(
            _("Ce cours se suit sur une autre plateforme : inscrivez-vous sur celle-ci."),
            code="hosted_elsewhere",
        )
    state = run.state_at(now)
    if state == RunState.UPCOMING:
        raise EnrolmentClosedError(
            _("Les inscriptions à cette session ne sont pas encore ouvertes."), code="not_open_yet"
        )
    if state != RunState.OPEN:
        raise EnrolmentClosedError(
            _("Les inscriptions à cette session sont closes."), code="enrolment_closed"
        )


@transaction.atomic
def enrolment_create(
    *, user: User, course_run: CourseRun, now: datetime.datetime | None = None
) -> Enrolment:
    """Enrol ``user`` in ``course_run``, or revive their earlier enrolment.

    Capacity is guarded by a conditional ``UPDATE`` on the session's counter (and a check
    constraint), so two learners racing for the last seat cannot both get it.
    """
    now = now or timezone.now()
    # Lock the session row: enrolments into one session are serialised, others run freely.
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=course_run.pk)
    _refuse_unless_open(run, now)

    existing = Enrolment.objects.select_for_update().filter(user=user, course_run=run).first()
    if existing is not None and existing.is_active:
        raise AlreadyEnrolledError(
            _("Vous êtes déjà inscrit à cette session."), code="already_enrolled"
        )

    seat_taken = (
        CourseRun.objects.filter(pk=run.pk)
        .filter(Q(capacity__isnull=True) | Q(enrolment_count__lt=F("capacity")))
        .update(enrolment_count=F("enrolment_count") + 1)
    )
    if not seat_taken:
        raise SessionFullError(_("Cette session est complète."), code="session_full")

    if existing is not None:
        existing.is_active = True
        existing.updated_at = now
        existing.save(update_fields=["is_active", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                user=user, course_run=run, created_at=now, updated_at=now
            )
    except IntegrityError as error:  # a concurrent request of the same learner won
        raise AlreadyEnrolledError(
            _("Vous êtes déjà inscrit à cette session."), code="already_enrolled"
        ) from error


@transaction.atomic
def enrolment_deactivate(
    *, user: User, course_run: CourseRun, now: datetime.datetime | None = None
) -> Enrolment:
    """Unenrol: the row stays (history), the seat is given back."""
    now = now or timezone.now()
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_run_id=course_run.pk, is_active=True)
        .first()
    )
    if enrolment is None:
        raise ServiceError(_("Vous n'êtes pas inscrit à cette session."), code="not_enrolled")
    enrolment.is_active = False
    enrolment.updated_at = now
    enrolment.save(update_fields=["is_active", "updated_at"])
    CourseRun.objects.filter(pk=course_run.pk, enrolment_count__gt=0).update(
        enrolment_count=F("enrolment_count") - 1
    )
    return enrolment


def _progress_locked(*, user: User, course_run_id: int, now: datetime.datetime) -> RunProgress:
    """The learner's progress row of a session, locked: a learner's completions in one
    session are counted one request at a time, so the counters stay exact."""
    RunProgress.objects.get_or_create(
        user=user, course_run_id=course_run_id, defaults={"updated_at": now}
    )
    return RunProgress.objects.select_for_update().get(user=user, course_run_id=course_run_id)


def _progress_refresh(*, progress: RunProgress, outline: Outline, done: set[str]) -> None:
    progress.completed_blocks, progress.total_blocks = outline.completion_counts(done)
    progress.percent = (
        100 * progress.completed_blocks // progress.total_blocks if progress.total_blocks else 0
    )
    progress.chapters = {
        chapter.key: list(chapter.completion_counts(done)) for chapter in outline.chapters
    }


@transaction.atomic
def blocks_complete(
    *,
    user: User,
    course_run: CourseRun,
    block_keys: list[str],
    outline: Outline,
    now: datetime.datetime | None = None,
) -> int:
    """Record that ``user`` completed these blocks of ``course_run`` (those of the current
    ``outline`` only); returns how many were new. Completing twice changes nothing."""
    now = now or timezone.now()
    wanted = [key for key in dict.fromkeys(block_keys) if outline.block(key) is not None]
    if not wanted:
        return 0
    progress = _progress_locked(user=user, course_run_id=course_run.pk, now=now)
    done = set(
        BlockCompletion.objects.filter(user=user, course_run=course_run).values_list(
            "block_key", flat=True
        )
    )
    new = [key for key in wanted if key not in done]
    if not new:
        return 0
    BlockCompletion.objects.bulk_create(
        [
            BlockCompletion(user=user, course_run=course_run, block_key=key, completed_at=now)
            for key in new
        ],
        ignore_conflicts=True,
    )
    _progress_refresh(progress=progress, outline=outline, done=done | set(new))
    progress.updated_at = now
    progress.save()
    return len(new)


@transaction.atomic
def position_record(
    *, user: User, course_run: CourseRun, unit_key: str, now: datetime.datetime | None = None
) -> None:
    """Remember where the learner is, so « Reprendre » brings them back there."""
    now = now or timezone.now()
    updated = RunProgress.objects.filter(user=user, course_run=course_run).update(
        last_unit_key=unit_key, updated_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                RunProgress.objects.create(
                    user=user, course_run=course_run, last_unit_key=unit_key, updated_at=now
                )
        except IntegrityError:  # the same learner's other tab created it first
            RunProgress.objects.filter(user=user, course_run=course_run).update(
                last_unit_key=unit_key, updated_at=now
            )
