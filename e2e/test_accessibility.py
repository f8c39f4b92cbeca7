"""axe-core finds no WCAG 2.1 A/AA violation on the learner pages, on a phone and a laptop,
in French and in English."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser

from sankore.accounts.tests.factories import PASSWORD, UserFactory
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.learning.services import enrolment_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(results: dict) -> list[str]:  # type: ignore[type-arg]
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_learner_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    institution = InstitutionFactory(name="Université d'Antananarivo", country="MG")
    course = CourseFactory(title="Santé publique à Madagascar", owners=[institution])
    run = CourseRunFactory(course=course)
    CourseRunFactory(course=course, archived=True)
    learner = UserFactory(email="lova@example.org")
    enrolment_create(user=learner, course_run=run)
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    public_paths = [
        "/",
        "/cours/",
        "/cours/?q=sante",
        course.get_absolute_url(),
        "/etablissements/",
        institution.get_absolute_url(),
        "/comptes/login/",
        "/comptes/signup/",
        "/comptes/password/reset/",
    ]
    try:
        for path in public_paths:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        page.goto(base + "/comptes/login/")
        page.locator("input[name=login]").fill(learner.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(base + "/mes-cours/")
        for path in ["/mes-cours/", course.get_absolute_url(), "/comptes/profil/"]:
            page.goto(base + path)
            problems[f"{path} (signed in)"] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()

    assert {path: found for path, found in problems.items() if found} == {}
