"""Review of the writes that read before they lock: what they read must be read again
under the sitting's lock, or a concurrent write is lost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sankore.exams import results, results_platform
from sankore.exams.models import ExamResult, ResultSource
from sankore.exams.results_platform import results_collect_from_platform
from sankore.exams.tests.result_helpers import AFTER_THE_EXAM, Exam
from sankore.exams.tests.test_results_platform import _answers, online  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_score_entered_by_hand_while_the_platform_is_collected_is_kept(
    online: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The collect reads which results were entered by hand before it takes the lock: one
    # entered by a colleague meanwhile (a copy graded after an incident) must not be
    # overwritten by the platform's score.
    given: Exam = online["exam"]
    corrected, *_others = given.candidates
    _answers(online, corrected, numeric="1")
    real_draw = results_platform.pool_draw
    entered: list[bool] = []

    def draw_while_a_colleague_enters(**arguments: Any) -> Any:
        if not entered:
            entered.append(True)
            results.result_record(
                registration=corrected, score=Decimal(11), absent=False, by=given.team,
                now=AFTER_THE_EXAM,
            )  # fmt: skip
        return real_draw(**arguments)

    monkeypatch.setattr(results_platform, "pool_draw", draw_while_a_colleague_enters)

    collected = results_collect_from_platform(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM
    )

    kept = ExamResult.objects.get(registration=corrected)
    assert (kept.score, kept.source) == (Decimal(11), ResultSource.ENTERED)
    assert collected.kept == 1
    assert collected.stored == len(given.candidates) - 1
