"""Supervised exams run by an app above the assessments (the exam centres), without the
assessments importing it: that app registers a gate in its ``ready``, and the gate answers
for the units it manages.

A gate is called with ``(user, course_run, unit_key, now)``. It returns ``None`` for a unit
it does not manage — the unit's own window and access code then apply, as they always did —
or a ``GateDecision``, which then replaces them: whether the candidate may enter and answer
now, until when, and which access code lets them in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.courseware.selectors import OutlineUnit


def _no_code(code: str) -> bool:
    return False


@dataclass(frozen=True)
class GateDecision:
    """What a gate says of a candidate before a unit it manages, at one moment."""

    allowed: bool
    # Why not, for the learner, and for code: ``not_registered``, ``not_checked_in``,
    # ``window_not_open``, ``window_closed`` (the gate may have others).
    refusal: StrOrPromise = ""
    refusal_code: str = ""
    # The candidate's window: an entry granted before it opened does not count in it.
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    # Whether a typed access code is the one of the candidate's window (compared by the gate,
    # which knows where its digest is and how it was made).
    code_matches: Callable[[str], bool] = _no_code


ExamGate = Callable[[User, CourseRun, str, datetime.datetime], GateDecision | None]

_gates: list[ExamGate] = []


def exam_gate_register(gate: ExamGate) -> ExamGate:
    if gate not in _gates:
        _gates.append(gate)
    return gate


def exam_gate_decision(
    *, user: User, course_run: CourseRun, unit_key: str, now: datetime.datetime
) -> GateDecision | None:
    """The first gate that manages the unit decides; ``None`` when none does."""
    for gate in list(_gates):
        decision = gate(user, course_run, unit_key, now)
        if decision is not None:
            return decision
    return None


def exam_due_for(
    *,
    user: User,
    course_run: CourseRun,
    unit: OutlineUnit,
    enrolled_at: datetime.datetime | None,
    now: datetime.datetime,
) -> datetime.datetime | None:
    """When the unit's problems stop taking this learner's answers. For a unit a gate
    manages, the close of the candidate's window, not the publication's (the centre may
    open it after the publication's window has closed); ``None`` until it is opened — the
    exam check refuses answers meanwhile."""
    if unit.exam is not None:
        decision = exam_gate_decision(user=user, course_run=course_run, unit_key=unit.key, now=now)
        if decision is not None:
            return decision.closes_at
    return unit.due_for(enrolled_at=enrolled_at)
