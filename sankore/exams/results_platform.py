"""An on-platform exam grades itself: each candidate's score on the sitting's exam unit comes
from the problem scores the assessments app keeps (a fraction of each problem's points),
scaled to the sitting's maximum. A candidate never checked in is absent; a candidate in the
room who answered nothing scores 0.

The unit's problems and their points are the current publication's, the problems a
candidate had are their draw when the unit is a pool — the same rules as the course grade.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.assessments.models import ProblemScore
from sankore.assessments.pools import pool_draw
from sankore.courseware.selectors import outline_of, publication_current, published_blocks_of_unit
from sankore.exams.models import (
    ExamMode,
    ExamRegistration,
    ExamResult,
    ExamSitting,
    RegistrationStatus,
    ResultSource,
)
from sankore.exams.results import (
    CENT,
    ResultEntry,
    ResultError,
    refuse_unless_results_team,
    results_record_many,
    sitting_ends_at,
)


@dataclass(frozen=True)
class Collected:
    stored: int
    passed: int
    absent: int
    kept: int  # results the team entered by hand, left as they are


def _unit_points(*, sitting: ExamSitting) -> tuple[str, int | None, dict[str, Decimal]]:
    """(unit key, pool size, points of each problem) of the sitting's exam unit."""
    publication = publication_current(course_run_id=sitting.course_run_id)
    unit = outline_of(publication).unit(sitting.exam_unit_key) if publication else None
    if publication is None or unit is None:
        raise ResultError(
            _("L'unité de cet examen n'est plus dans le contenu publié de la session."),
            code="exam_unit_missing",
        )
    keys = unit.problem_keys
    contents = {
        block.key: block.content
        for block in published_blocks_of_unit(publication_id=publication.pk, unit_key=unit.key)
    }
    points = {key: Decimal(str(contents.get(key, {}).get("points", "1"))) for key in keys}
    if sum(points.values(), Decimal(0)) <= 0:
        raise ResultError(
            _("L'unité de cet examen n'a aucun exercice noté."), code="exam_unit_empty"
        )
    return unit.key, unit.pool_size, points


def results_collect_from_platform(
    *, sitting: ExamSitting, by: User, now: datetime.datetime | None = None
) -> Collected:
    """Every checked-in candidate's score on the exam unit (absent when not checked in),
    stored with the origin « plateforme » — except results the team entered or imported by
    hand (after an incident, say), which are kept."""
    moment = timezone.now() if now is None else now
    refuse_unless_results_team(by=by, sitting=sitting)
    if sitting.mode != ExamMode.PLATFORM:
        raise ResultError(
            _("Cet examen est sur papier : ses notes se saisissent ou s'importent."),
            code="not_on_platform",
        )
    if sitting.results_validated_at is not None:
        raise ResultError(
            _("Le jury a validé les résultats de cette session : ils ne changent plus."),
            code="results_validated",
        )
    if moment < sitting_ends_at(sitting):
        # Answers still come in until the end: a score read now would be a partial one.
        raise ResultError(
            _("L'examen n'est pas terminé : ses notes se relèvent après."), code="sitting_not_ended"
        )
    unit_key, pool_size, points = _unit_points(sitting=sitting)
    keys = list(points)
    candidates = list(
        ExamRegistration.objects.filter(
            sitting=sitting, status=RegistrationStatus.CONFIRMED
        ).order_by("seat_number")
    )
    by_hand = set(
        ExamResult.objects.filter(sitting=sitting)
        .exclude(source=ResultSource.PLATFORM)
        .values_list("registration_id", flat=True)
    )
    present = [r for r in candidates if r.checked_in_at is not None]
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for user_id, block_key, score in ProblemScore.objects.filter(
        course_run_id=sitting.course_run_id,
        user_id__in=[r.learner_id for r in present],
        block_key__in=keys,
    ).values_list("user_id", "block_key", "score"):
        scores[user_id][block_key] = score
    entries = []
    for registration in candidates:
        if registration.pk in by_hand:
            continue
        if registration.checked_in_at is None:
            entries.append(ResultEntry(registration, None, True))
            continue
        mine = scores.get(registration.learner_id, {})
        drawn = pool_draw(
            user_id=registration.learner_id, course_run_id=sitting.course_run_id,
            unit_key=unit_key, problem_keys=keys, size=pool_size, answered=set(mine),
        )  # fmt: skip
        total = sum((points[key] for key in drawn), Decimal(0))
        earned = sum((mine.get(key, Decimal(0)) * points[key] for key in drawn), Decimal(0))
        fraction = earned / total if total > 0 else Decimal(0)
        score = (fraction * sitting.max_score).quantize(CENT, rounding=ROUND_HALF_UP)
        entries.append(ResultEntry(registration, min(score, sitting.max_score), False))
    # ``by_hand`` spares computing scores nobody will store; the batch checks again under the
    # sitting's lock, for a result entered by hand since.
    outcome = results_record_many(
        sitting=sitting, entries=entries, by=by, source=ResultSource.PLATFORM,
        keep_by_hand=True, now=moment,
    )  # fmt: skip
    return Collected(
        stored=outcome.stored, passed=outcome.passed, absent=outcome.absent,
        kept=len(by_hand) + outcome.kept,
    )  # fmt: skip
