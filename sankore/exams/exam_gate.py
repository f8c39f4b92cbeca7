"""The exams app's gate for the assessments (registered in ``apps.ready``): a supervised-
exam unit sat at exam centres — at least one on-platform sitting of the session has it — is
entered only by a candidate checked in at the door of their own sitting, during that
sitting's window, with that sitting's code. The publication's window and code no longer
apply to it."""

from __future__ import annotations

import datetime
from functools import partial

from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.assessments.exam_gates import GateDecision
from sankore.catalog.models import CourseRun
from sankore.courseware.exam_codes import exam_sitting_code_matches
from sankore.exams.models import ExamMode, ExamRegistration, ExamSitting, RegistrationStatus


def sitting_exam_gate(
    user: User, course_run: CourseRun, unit_key: str, now: datetime.datetime
) -> GateDecision | None:
    sittings = ExamSitting.objects.filter(
        course_run=course_run, mode=ExamMode.PLATFORM, exam_unit_key=unit_key
    )
    if not sittings.exists():  # one query for every unit the centres do not run
        return None
    registration = (
        ExamRegistration.objects.filter(
            learner_id=user.pk, sitting__in=sittings, status=RegistrationStatus.CONFIRMED
        )
        .select_related("sitting")
        .first()
    )
    if registration is None:
        return GateDecision(
            allowed=False, refusal=_("Vous n'êtes pas inscrit à cette épreuve."),
            refusal_code="not_registered",
        )  # fmt: skip
    sitting = registration.sitting
    opens_at, closes_at = sitting.window_opened_at, sitting.window_closes_at
    if closes_at is not None and now >= closes_at:
        return GateDecision(
            allowed=False, refusal=_("L'épreuve est fermée : elle ne prend plus de réponse."),
            refusal_code="window_closed", opens_at=opens_at, closes_at=closes_at,
        )  # fmt: skip
    if registration.checked_in_at is None:
        return GateDecision(
            allowed=False, refusal=_("Présentez-vous d'abord à l'accueil du centre d'examen."),
            refusal_code="not_checked_in",
        )  # fmt: skip
    if opens_at is None or closes_at is None or now < opens_at:
        return GateDecision(
            allowed=False,
            refusal=_("L'épreuve n'est pas encore ouverte : les surveillants l'ouvrent en salle."),
            refusal_code="window_not_open",
        )
    return GateDecision(
        allowed=True, opens_at=opens_at, closes_at=closes_at,
        code_matches=partial(_code_matches, digest=sitting.access_code_digest,
                             sitting_id=sitting.pk),
    )  # fmt: skip


def _code_matches(code: str, *, digest: str, sitting_id: int) -> bool:
    return exam_sitting_code_matches(code=code, digest=digest, sitting_id=sitting_id)
