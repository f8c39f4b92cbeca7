"""Reads of answers and grades, for the player, the learner's progress page and others."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from sankore.accounts.models import User
from sankore.assessments.models import (
    ExamAccess,
    GradeChange,
    GradingPolicy,
    LearnerGrade,
    ProblemScore,
    Submission,
)
from sankore.assessments.pools import pool_draw
from sankore.catalog.models import CourseRun
from sankore.courseware.selectors import OutlineUnit


@dataclass(frozen=True)
class ProblemState:
    attempts: int
    score: Decimal
    is_correct: bool
    last_answer: object | None


def problem_states(
    *, user: User, course_run: CourseRun, block_keys: Iterable[str]
) -> dict[str, ProblemState]:
    """The learner's state on these problems (two queries, whatever their number)."""
    keys = list(block_keys)
    if not keys:
        return {}
    scores = {
        score.block_key: score
        for score in ProblemScore.objects.filter(
            user=user, course_run=course_run, block_key__in=keys
        )
    }
    last_answers: dict[str, object] = {}
    for block_key, answer in (
        Submission.objects.filter(user=user, course_run=course_run, block_key__in=scores)
        .order_by("block_key", "-attempt")
        .values_list("block_key", "answer")
    ):
        last_answers.setdefault(block_key, answer)
    return {
        key: ProblemState(s.attempts, s.score, s.is_correct, last_answers.get(key))
        for key, s in scores.items()
    }


def learner_grade(*, user: User, course_run: CourseRun) -> LearnerGrade | None:
    return LearnerGrade.objects.filter(user=user, course_run=course_run).first()


def grading_policy(*, course_run: CourseRun) -> GradingPolicy | None:
    return GradingPolicy.objects.filter(course_run=course_run).prefetch_related("types").first()


def grades_of_run(*, course_run: CourseRun) -> QuerySet[LearnerGrade]:
    return LearnerGrade.objects.filter(course_run=course_run)


def problem_scores_of_learner(*, user: User, course_run: CourseRun) -> dict[str, ProblemScore]:
    return {
        score.block_key: score
        for score in ProblemScore.objects.filter(user=user, course_run=course_run)
    }


def grade_changes(*, grade: LearnerGrade) -> QuerySet[GradeChange]:
    return grade.changes.select_related("changed_by").order_by("-changed_at", "-pk")


def problems_drawn(*, user: User, course_run: CourseRun, unit: OutlineUnit) -> list[str]:
    """The unit's problems this learner gets: all of them, or their draw of a pool (one
    query, only for a pool)."""
    keys = unit.problem_keys
    if unit.pool_size is None or unit.pool_size >= len(keys):
        return keys
    answered = set(
        ProblemScore.objects.filter(
            user=user, course_run=course_run, block_key__in=keys
        ).values_list("block_key", flat=True)
    )
    return pool_draw(
        user_id=user.pk, course_run_id=course_run.pk, unit_key=unit.key, problem_keys=keys,
        size=unit.pool_size, answered=answered,
    )  # fmt: skip


def exam_access_granted(
    *, user: User, course_run: CourseRun, unit_key: str, since: datetime.datetime | None = None
) -> bool:
    """The candidate typed the exam's access code (``since`` then: in that window)."""
    accesses = ExamAccess.objects.filter(user=user, course_run=course_run, unit_key=unit_key)
    if since is not None:
        accesses = accesses.filter(granted_at__gte=since)
    return accesses.exists()
