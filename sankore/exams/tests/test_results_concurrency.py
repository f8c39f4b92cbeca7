"""A score sent while the jury validates (PostgreSQL only: the sitting's row lock decides):
either it is stored before the validation, or it is refused — never stored after it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sankore.core.errors import ServiceError
from sankore.exams import results
from sankore.exams.models import ExamResult
from sankore.exams.tests.result_helpers import exam

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgresql_only(settings: Any, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (set DATABASE_URL to run)")
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"


def _at_once(calls: list[Callable[[], str]]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcomes[number] = calls[number]()
        except ServiceError as refused:
            outcomes[number] = refused.code
        except Exception as error:  # reported by the assertions, not lost
            outcomes[number] = f"crash: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.parametrize("attempt", range(5))
def test_a_score_during_the_validation_is_stored_before_it_or_refused(attempt: int) -> None:
    given = exam(candidates=1)
    (candidate,) = given.candidates
    results.result_record(registration=candidate, score=Decimal(10), absent=False, by=given.team)

    def validate() -> str:
        results.results_validate(sitting=given.sitting, by=given.team)
        return "validated"

    def correct() -> str:
        results.result_record(
            registration=candidate, score=Decimal(15), absent=False, by=given.team
        )
        return "stored"

    validated, corrected = _at_once([validate, correct])

    given.sitting.refresh_from_db()
    result = ExamResult.objects.get()
    assert validated == "validated"
    assert given.sitting.results_validated_at is not None
    if corrected == "stored":
        assert result.score == Decimal(15)
    else:
        assert corrected == "results_validated"
        assert result.score == Decimal(10)
