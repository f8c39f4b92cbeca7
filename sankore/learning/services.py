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
from sankore.learning.models import Enrolment


class AlreadyEnrolledError(ConflictError):
    pass


class EnrolmentClosedError(ServiceError):
    pass


class SessionFullError(ConflictError):
    pass


def _refuse_unless_open(run: CourseRun, now: datetime.datetime) -> None:
    if not run.is_published or not run.course.is_published:
        raise EnrolmentClosedError(_("Cette session n'est pas proposée."), code="not_published")
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
