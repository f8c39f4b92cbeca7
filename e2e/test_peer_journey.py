"""Two learners each send an open response, review each other's (one peer each), and both
see their grade — in a real chromium, without a line of JavaScript needed.

Issue 4, point 8: peer assessment.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.test_courseware_journey import sign_in
from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services as assessments
from sankore.assessments.models import LearnerGrade
from sankore.catalog.models import Pacing
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.e2e


def test_two_learners_review_each_other_and_see_their_grade(
    live_server: object, browser: Browser, page: Page
) -> None:
    base = str(live_server).rstrip("/")
    run = CourseRunFactory(
        course=CourseFactory(title="Concevoir et animer un CLOM"), pacing=Pacing.SELF_PACED
    )
    homework = unit(chapter(run, "Semaine 1"), "Devoir : le tutorat")
    courseware.block_create(
        unit=homework, kind="open_response", title="Votre dispositif de tutorat",
        data={"prompt": "Décrivez en quelques lignes un dispositif de tutorat.",
              "allow_text": True, "rubric": "Clarté : Confus=0 | Correct=1 | Excellent=2",
              "peers": 1, "assessment_type": "Devoir", "points": "2"},
    )  # fmt: skip
    assessments.grading_policy_set(
        course_run=run, passing_percent=Decimal(50),
        types=[assessments.TypeLine("Devoir", Decimal(100))],
    )  # fmt: skip
    courseware.courseware_publish(course_run=run)
    awa = UserFactory(email="awa@example.org", full_name="Awa Ndiaye")
    binta = UserFactory(email="binta@example.org", full_name="Binta Sow")
    for learner in (awa, binta):
        enrolment_create(user=learner, course_run=run)
    url = f"{base}/apprendre/{run.pk}/{homework.key}/"
    other = browser.new_context(locale="fr-FR")
    second = other.new_page()
    try:
        # Given both learners have sent their response
        for tab, learner in ((page, awa), (second, binta)):
            sign_in(tab, base, learner.email)
            tab.goto(url)
            tab.get_by_label("Votre réponse").fill(f"Le tutorat selon {learner.full_name[:4]}.")
            tab.get_by_role("button", name="Envoyer ma réponse").click()
            expect(tab.get_by_text("Réponse envoyée.")).to_be_visible()

        # When each reviews the response handed to them, without learning whose it is
        for tab, level, author in ((page, "Excellent", "Binta"), (second, "Correct", "Awa N")):
            tab.get_by_role("button", name="Évaluer une réponse d’un pair").click()
            expect(tab.get_by_text(f"Le tutorat selon {author[:4]}.")).to_be_visible()
            expect(tab.locator("main")).not_to_contain_text(author + " ")
            tab.get_by_role("group", name="Clarté").get_by_label(level).check()
            tab.get_by_label("Commentaire (facultatif)").fill("Clair et concret.")
            tab.get_by_role("button", name="Envoyer mon évaluation").click()
            expect(tab.get_by_text("Évaluation envoyée. Merci !")).to_be_visible()

        # Then both see their grade, from their peer's review
        page.goto(url)
        expect(page.get_by_role("status").filter(has_text="Note")).to_contain_text(
            "Note : 1 point(s) sur 2"
        )
        second.goto(url)
        expect(second.get_by_role("status").filter(has_text="Note")).to_contain_text(
            "Note : 2 point(s) sur 2"
        )
        expect(second.locator("main")).to_contain_text("Clair et concret.")
    finally:
        other.close()
    assert LearnerGrade.objects.get(user=awa).percent == Decimal("50.00")
    assert LearnerGrade.objects.get(user=binta).percent == Decimal("100.00")
