"""Two surveillants opening the same window at once (PostgreSQL only: the sitting's row
lock decides): it opens once, with one code; the other is told it is open."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from sankore.accounts.models import User
from sankore.courseware.exam_codes import exam_sitting_code_matches
from sankore.exams import window
from sankore.exams.tests.factories import campus_staff
from sankore.exams.tests.test_concurrency import _at_once
from sankore.exams.tests.window_setup import exam_day

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (set DATABASE_URL to run)")


def test_two_surveillants_opening_at_once_open_it_once() -> None:
    day = exam_day()
    codes: list[str] = []

    def open_by(staff: User) -> Callable[[], str]:
        def call() -> str:
            codes.append(window.exam_window_open(sitting=day.at_dakar, by=staff).code)
            return "opened"

        return call

    outcomes = _at_once([open_by(day.staff), open_by(campus_staff(day.dakar))])

    assert Counter(outcomes) == {"opened": 1, "window_already_open": 1}
    day.at_dakar.refresh_from_db()
    assert exam_sitting_code_matches(
        code=codes[0], digest=day.at_dakar.access_code_digest, sitting_id=day.at_dakar.pk
    )
