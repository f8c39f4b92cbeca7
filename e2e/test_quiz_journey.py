"""A learner answers a quiz in a real chromium, sees the feedback, and passes.

Issue 4: « end-to-end in chromium: a learner answers a quiz, sees feedback, and passes ».
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from e2e.test_courseware_journey import sign_in
from e2e.watch import PageWatch
from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services as assessments
from sankore.assessments.models import LearnerGrade
from sankore.catalog.models import Pacing
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.e2e


def test_a_learner_answers_a_quiz_sees_feedback_and_passes(
    live_server: object, page: Page, page_watch: PageWatch
) -> None:
    base = str(live_server).rstrip("/")
    run = CourseRunFactory(
        course=CourseFactory(title="Géographie du Sahel"), pacing=Pacing.SELF_PACED
    )
    quiz = unit(chapter(run, "Semaine 1"), "Quiz de la semaine")
    courseware.block_create(
        unit=quiz,
        kind="choice",
        title="Capitale",
        data={
            "prompt": "Capitale du Burkina Faso ?",
            "max_attempts": 2,
            "assessment_type": "Quiz",
            "choices": "[ ] Bamako // Non : Bamako est la capitale du Mali.\n"
            "[x] Ouagadougou // Oui !",
        },
    )
    courseware.block_create(
        unit=quiz,
        kind="numeric",
        title="Distance",
        data={"prompt": "Combien font 2,5 × 4 ?", "answer": "10", "assessment_type": "Quiz"},
    )
    assessments.grading_policy_set(
        course_run=run,
        passing_percent=Decimal(50),
        types=[assessments.TypeLine("Quiz", Decimal(100))],
    )
    courseware.courseware_publish(course_run=run)
    learner = UserFactory(email="fatimata@example.org")
    enrolment_create(user=learner, course_run=run)

    # Given the learner on the quiz
    sign_in(page, base, learner.email)
    page.goto(f"{base}/apprendre/{run.pk}/{quiz.key}/")
    first = page.locator("form.problem").nth(0)

    # When they pick a wrong answer, they see why it is wrong
    first.get_by_label("Bamako").check()
    first.get_by_role("button", name="Valider ma réponse").click()
    first = page.locator("form.problem").nth(0)
    expect(first.get_by_role("status")).to_contain_text("Réponse incorrecte")
    expect(first).to_contain_text("Bamako est la capitale du Mali")

    # When they try again with the right one, and answer the number with a decimal comma
    first.get_by_label("Ouagadougou").check()
    first.get_by_role("button", name="Valider ma réponse").click()
    expect(page.locator("form.problem").nth(0).get_by_role("status")).to_contain_text(
        "Bonne réponse"
    )
    second = page.locator("form.problem").nth(1)
    second.get_by_label("Votre réponse").fill("10,0")
    second.get_by_role("button", name="Valider ma réponse").click()
    expect(page.locator("form.problem").nth(1).get_by_role("status")).to_contain_text(
        "Bonne réponse"
    )

    # Then the course page says they passed
    page.get_by_role("link", name="Géographie du Sahel").first.click()
    expect(page.get_by_text(re.compile(r"Note globale : 100\s?%"))).to_be_visible()
    expect(page.get_by_text("seuil de réussite atteint.")).to_be_visible()
    assert LearnerGrade.objects.get(user=learner).passed
    assert page_watch.console_errors == []
    assert page_watch.foreign_requests == []
