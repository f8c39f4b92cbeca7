"""Submissions under concurrency: from several connections at once, a token counts once
and attempts never exceed the limit (PostgreSQL in CI; a file SQLite database too)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services
from sankore.assessments.models import ProblemScore, Submission
from sankore.catalog.models import CourseRun, Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.courseware import services as courseware
from sankore.courseware.models import PublishedOutline
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db(transaction=True)


def _skip_on_memory_sqlite() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database cannot be shared between threads")


def _race(tokens: list[str]) -> tuple[list[str], int, int, str]:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    problem = courseware.block_create(
        unit=unit(chapter(run)), kind="short_text",
        data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger", "max_attempts": 3,
              "assessment_type": "Quiz"},
    )  # fmt: skip
    services.grading_policy_set(
        course_run=run, passing_percent=Decimal(50), types=[services.TypeLine("Quiz", Decimal(100))]
    )
    courseware.courseware_publish(course_run=run)
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(tokens))

    def submit(token: str) -> None:
        from sankore.accounts.models import User

        answer = QueryDict(mutable=True)
        answer["answer"] = "Niger"
        try:
            barrier.wait()
            outcome = services.submission_create(
                user=User.objects.get(pk=learner.pk),
                course_run=CourseRun.objects.get(pk=run.pk),
                publication=PublishedOutline.objects.get(course_run_id=run.pk),
                block_key=problem.key,
                answer_data=answer,
                client_token=token,
            )
            outcomes.append("replayed" if outcome.replayed else "stored")
        except ServiceError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    score = ProblemScore.objects.get(user=learner)
    return (
        sorted(outcomes),
        Submission.objects.filter(user=learner).count(),
        score.attempts,
        problem.key,
    )


def test_a_double_click_from_eight_connections_is_one_submission() -> None:
    _skip_on_memory_sqlite()

    outcomes, stored, attempts, _key = _race(["same-token"] * 8)

    assert outcomes == ["replayed"] * 7 + ["stored"]
    assert (stored, attempts) == (1, 1)


def test_eight_different_answers_at_once_never_pass_the_attempts_limit() -> None:
    _skip_on_memory_sqlite()

    outcomes, stored, attempts, _key = _race([f"token-{n}" for n in range(8)])

    assert outcomes == ["no_attempt_left"] * 5 + ["stored"] * 3
    assert (stored, attempts) == (3, 3)
    assert sorted(Submission.objects.values_list("attempt", flat=True)) == [1, 2, 3]
