"""On-platform exams on the day: the centre's staff open the sitting's window, read the
access code out in the room, renew it if it leaked, close the window early if need be.

The window's states and what may happen in each, in one table (``WINDOW_TRANSITIONS``):

    à ouvrir  --open-->  ouverte  --close (or its end)-->  fermée
                          ouverte  --renew-->  ouverte (a new code)

A closed window is not opened again: the candidates' answers are final, and the jury
judges from them. Each transition takes the sitting's row lock, so two surveillants
clicking at once open it once (the second is told it is open) and a code is never renewed
over a close.

Only a keyed digest of the code is stored (``courseware.exam_codes``); the clear code is
returned once, to be shown to the staff member who asked for it. No audit table yet: the
log keeps who opened, renewed and closed each window, besides ``window_opened_by``.
"""

from __future__ import annotations

import datetime
import enum
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.assessments.models import ExamAccess
from sankore.courseware.exam_codes import exam_code_draw, exam_sitting_code_digest
from sankore.exams.models import ExamMode, ExamRegistration, ExamSitting, RegistrationStatus
from sankore.exams.permissions import user_can_manage_centre
from sankore.exams.services import ExamError

logger = logging.getLogger(__name__)

# The window may be opened from half an hour before the start (candidates settled, the
# code read out) until the sitting's scheduled end; it lasts the sitting's duration, or up
# to an hour more (a late start after a power cut, say).
WINDOW_OPENS_BEFORE = datetime.timedelta(minutes=30)
EXTRA_MINUTES_MAX = 60


class WindowState(enum.StrEnum):
    NOT_OPENED = "a_ouvrir"
    OPEN = "ouverte"
    CLOSED = "fermee"


class WindowAction(enum.StrEnum):
    OPEN = "open"
    RENEW = "renew"
    CLOSE = "close"


WINDOW_TRANSITIONS: dict[WindowAction, frozenset[WindowState]] = {
    WindowAction.OPEN: frozenset({WindowState.NOT_OPENED}),
    WindowAction.RENEW: frozenset({WindowState.OPEN}),
    WindowAction.CLOSE: frozenset({WindowState.OPEN}),
}


def window_state(*, sitting: ExamSitting, now: datetime.datetime) -> WindowState:
    if sitting.window_opened_at is None or sitting.window_closes_at is None:
        return WindowState.NOT_OPENED
    return WindowState.OPEN if now < sitting.window_closes_at else WindowState.CLOSED


def window_opening_bounds(*, sitting: ExamSitting) -> tuple[datetime.datetime, datetime.datetime]:
    """From when until when the staff may open the window (exam day)."""
    ends = sitting.starts_at + datetime.timedelta(minutes=sitting.duration_minutes)
    return sitting.starts_at - WINDOW_OPENS_BEFORE, ends


@dataclass(frozen=True)
class WindowCode:
    sitting: ExamSitting
    code: str  # in clear, to read out in the room: never stored


def _refused(state: WindowState) -> ExamError:
    if state == WindowState.OPEN:
        return ExamError(_("L'épreuve est déjà ouverte."), code="window_already_open")
    if state == WindowState.CLOSED:
        return ExamError(_("L'épreuve est fermée : elle ne se rouvre pas."), code="window_closed")
    return ExamError(_("L'épreuve n'est pas encore ouverte."), code="window_not_open")


def _locked_for(
    *, action: WindowAction, sitting: ExamSitting, by: User, now: datetime.datetime
) -> ExamSitting:
    """The sitting, locked, once the rules of ``action`` allow it (inside a transaction)."""
    if not user_can_manage_centre(user=by, centre=sitting.centre):
        raise ExamError(
            _("Seul le personnel de ce centre ouvre et ferme ses épreuves."), code="not_allowed"
        )
    if sitting.mode != ExamMode.PLATFORM:
        raise ExamError(
            _("Cette session d'examen se passe sur papier : elle n'a pas d'épreuve en ligne."),
            code="not_platform",
        )
    locked = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
    state = window_state(sitting=locked, now=now)
    if state not in WINDOW_TRANSITIONS[action]:
        raise _refused(state)
    return locked


def _new_code(*, sitting: ExamSitting) -> str:
    code = exam_code_draw()
    sitting.access_code_digest = exam_sitting_code_digest(code=code, sitting_id=sitting.pk)
    return code


def _copy_window(*, source: ExamSitting, target: ExamSitting) -> None:
    # The caller's instance shows what was written.
    for name in ("window_opened_at", "window_closes_at", "window_opened_by_id"):
        setattr(target, name, getattr(source, name))
    target.access_code_digest = source.access_code_digest


def exam_window_open(
    *,
    sitting: ExamSitting,
    by: User,
    duration_minutes: int | None = None,
    now: datetime.datetime | None = None,
) -> WindowCode:
    """Open the sitting's on-platform exam now, for its duration (or the minutes given, up
    to an hour more), with a fresh access code, returned in clear this once."""
    moment = timezone.now() if now is None else now
    minutes = sitting.duration_minutes if duration_minutes is None else duration_minutes
    if not 1 <= minutes <= sitting.duration_minutes + EXTRA_MINUTES_MAX:
        raise ExamError(
            _("L'épreuve dure de 1 à %(max)s minutes.")
            % {"max": sitting.duration_minutes + EXTRA_MINUTES_MAX},
            code="window_duration",
        )
    with transaction.atomic():
        locked = _locked_for(action=WindowAction.OPEN, sitting=sitting, by=by, now=moment)
        earliest, latest = window_opening_bounds(sitting=locked)
        if not earliest <= moment <= latest:
            raise ExamError(
                _(
                    "L'épreuve s'ouvre le jour de l'examen, à partir de 30 minutes avant son "
                    "début et jusqu'à sa fin prévue."
                ),
                code="not_exam_day",
            )
        code = _new_code(sitting=locked)
        locked.window_opened_at = moment
        locked.window_closes_at = moment + datetime.timedelta(minutes=minutes)
        locked.window_opened_by = by
        locked.save(
            update_fields=[
                "window_opened_at", "window_closes_at", "window_opened_by", "access_code_digest"
            ]
        )  # fmt: skip
    logger.info("exam window opened: sitting=%s by=%s minutes=%s", locked.pk, by.pk, minutes)
    _copy_window(source=locked, target=sitting)
    return WindowCode(sitting=sitting, code=code)


def exam_window_code_renew(
    *, sitting: ExamSitting, by: User, now: datetime.datetime | None = None
) -> WindowCode:
    """A new code for an open window (the old one leaked, or was lost with the page): the
    old one stops working at once; candidates already in stay in."""
    moment = timezone.now() if now is None else now
    with transaction.atomic():
        locked = _locked_for(action=WindowAction.RENEW, sitting=sitting, by=by, now=moment)
        code = _new_code(sitting=locked)
        locked.save(update_fields=["access_code_digest"])
    logger.info("exam window code renewed: sitting=%s by=%s", locked.pk, by.pk)
    _copy_window(source=locked, target=sitting)
    return WindowCode(sitting=sitting, code=code)


def exam_window_close(
    *, sitting: ExamSitting, by: User, now: datetime.datetime | None = None
) -> ExamSitting:
    """End the open window now, before its planned end: no more entries nor answers."""
    moment = timezone.now() if now is None else now
    with transaction.atomic():
        locked = _locked_for(action=WindowAction.CLOSE, sitting=sitting, by=by, now=moment)
        assert locked.window_opened_at is not None
        # The database wants a window that closes after it opened, even closed at once.
        locked.window_closes_at = max(
            moment, locked.window_opened_at + datetime.timedelta(microseconds=1)
        )
        locked.save(update_fields=["window_closes_at"])
    logger.info("exam window closed: sitting=%s by=%s", locked.pk, by.pk)
    _copy_window(source=locked, target=sitting)
    return sitting


# --- Reads for the staff page ----------------------------------------------------------------


@dataclass(frozen=True)
class WindowSummary:
    state: WindowState
    may_open_from: datetime.datetime
    may_open_until: datetime.datetime
    checked_in: int  # candidates at the door
    entered: int  # of them, those who typed this window's code


def _checked_in(sitting: ExamSitting) -> QuerySet[ExamRegistration]:
    return ExamRegistration.objects.filter(
        sitting=sitting, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False
    )


def window_summary(*, sitting: ExamSitting, now: datetime.datetime) -> WindowSummary:
    """The window's state and its room's counts (two queries)."""
    earliest, latest = window_opening_bounds(sitting=sitting)
    checked_in = _checked_in(sitting)
    entered = 0
    if sitting.window_opened_at is not None:
        entered = ExamAccess.objects.filter(
            course_run_id=sitting.course_run_id,
            unit_key=sitting.exam_unit_key,
            granted_at__gte=sitting.window_opened_at,
            user_id__in=checked_in.values("learner_id"),
        ).count()
    return WindowSummary(
        state=window_state(sitting=sitting, now=now),
        may_open_from=earliest,
        may_open_until=latest,
        checked_in=checked_in.count(),
        entered=entered,
    )
