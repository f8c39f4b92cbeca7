"""A session where one answer passes: a numeric problem worth the whole grade, threshold 50."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.http import QueryDict

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services as assessments
from sankore.assessments.services import TypeLine
from sankore.catalog.models import CourseRun, Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create


@pytest.fixture(autouse=True)
def keys_dir(settings: Any, tmp_path: Path) -> Path:
    """The issuer keys of the test, in an empty directory of its own (never the real ones)."""
    directory = tmp_path / "keys"
    settings.CREDENTIALS_KEYS_DIR = directory
    return directory


class Session:
    def __init__(self, *, offers_certificate: bool = False, ects: int | None = None) -> None:
        self.run: CourseRun = CourseRunFactory(
            pacing=Pacing.SELF_PACED,
            course__title="Gestion durable de l'eau au Sahel",
            course__offers_certificate=offers_certificate,
            course__ects_credits=ects,
        )
        self.problem = courseware.block_create(
            unit=unit(chapter(self.run, "Semaine 1"), "Quiz"), kind="numeric", title="Débit",
            data={"prompt": "Combien font 6 × 7 ?", "answer": "42", "max_attempts": 3,
                  "assessment_type": "Quiz", "points": "1"},
        )  # fmt: skip
        assessments.grading_policy_set(
            course_run=self.run, passing_percent=Decimal(50),
            types=[TypeLine("Quiz", Decimal(100))],
        )  # fmt: skip
        self.publication = courseware.courseware_publish(course_run=self.run)
        self._tokens = 0

    def learner(self, **fields: Any) -> User:
        learner = UserFactory(**fields)
        enrolment_create(user=learner, course_run=self.run)
        return learner

    def answer(self, learner: User, value: str) -> None:
        self._tokens += 1
        data = QueryDict(mutable=True)
        data["answer"] = value
        assessments.submission_create(
            user=learner, course_run=self.run, publication=self.publication,
            block_key=self.problem.key, answer_data=data, client_token=f"t{self._tokens}",
        )  # fmt: skip


@pytest.fixture
def session(db: None) -> Session:
    return Session()


@pytest.fixture
def certifying_session(db: None) -> Session:
    return Session(offers_certificate=True, ects=3)
