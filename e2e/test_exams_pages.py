"""axe-core finds no WCAG 2.1 AA violation on the exam-centre pages (issue 6), for a learner
and for the centre's staff, on a phone and a laptop, in French and in English."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser

from e2e.test_accessibility import WCAG_AA, _violations
from e2e.test_courseware_journey import sign_in
from sankore.accounts.models import User
from sankore.exams import services
from sankore.exams.tests.factories import campus_staff, centre, learner_of, paying_sitting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_exam_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    now = datetime.datetime.now()  # naive: the centre's local time
    dakar = centre()
    sitting = paying_sitting(
        at=dakar, local_start=now + datetime.timedelta(days=20),
        local_registration_opens=now - datetime.timedelta(days=1),
        local_registration_closes=now + datetime.timedelta(days=10),
        local_cancellation_deadline=now + datetime.timedelta(days=5),
    )  # fmt: skip
    learner = learner_of(sitting.course_run, email="khady@example.org")
    services.registration_create(learner=learner, sitting=sitting)
    staff = campus_staff(dakar)
    # Signing in switches to the user's own language: theirs is the one under test.
    User.objects.update(preferred_language=language)
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        for path in ["/centres-d-examen/", dakar.get_absolute_url(), f"/examens/{sitting.pk}/"]:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        sign_in(page, base, "khady@example.org")
        for path in ["/mes-examens/", f"/examens/{sitting.pk}/"]:
            page.goto(base + path)
            problems[f"{path} (learner)"] = _violations(axe.run(page, options=WCAG_AA).response)
        page.context.clear_cookies()
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        sign_in(page, base, staff.email)
        path = f"/examens/{sitting.pk}/emargement/"
        page.goto(base + path)
        problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()

    assert {path: found for path, found in problems.items() if found} == {}


def test_the_sitting_time_is_also_shown_in_the_readers_own_zone(
    browser: Browser, live_server: object
) -> None:
    base = str(live_server).rstrip("/")
    now = datetime.datetime.now()
    sitting = paying_sitting(
        at=centre(), local_start=datetime.datetime(now.year + 1, 1, 15, 9, 0),
        local_registration_opens=now - datetime.timedelta(days=1),
        local_registration_closes=now + datetime.timedelta(days=10),
        local_cancellation_deadline=now + datetime.timedelta(days=5),
    )  # fmt: skip
    # A reader in Paris (UTC+1 in January) sees 09:00 in Dakar (UTC+0) as 10:00 for them.
    context = browser.new_context(timezone_id="Europe/Paris", locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{base}/examens/{sitting.pk}/")
        own = page.locator("#local-start")
        own.wait_for(state="visible")
        assert "10:00" in own.inner_text()
        assert "à votre heure" in own.inner_text()
    finally:
        context.close()
    # In the centre's own zone there is nothing to add.
    context = browser.new_context(timezone_id="Africa/Dakar", locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{base}/examens/{sitting.pk}/")
        assert page.locator("#local-start").is_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_exam_staff_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    from sankore.catalog.models import CourseTeamRole
    from sankore.catalog.services import course_team_member_set
    from sankore.exams.tokens import convocation_token_make

    base = str(live_server).rstrip("/")
    now = datetime.datetime.now()
    dakar = centre()
    sitting = paying_sitting(
        at=dakar, local_start=now + datetime.timedelta(days=20),
        local_registration_opens=now - datetime.timedelta(days=1),
        local_registration_closes=now + datetime.timedelta(days=10),
        local_cancellation_deadline=now + datetime.timedelta(days=5),
    )  # fmt: skip
    learner = learner_of(sitting.course_run, email="khady@example.org")
    registration = services.registration_create(learner=learner, sitting=sitting)
    staff = campus_staff(dakar)
    teacher = learner_of(sitting.course_run, email="prof@example.org")
    course_team_member_set(
        course=sitting.course_run.course, user=teacher, role=CourseTeamRole.STAFF
    )
    token = convocation_token_make(registration=registration)
    slug = dakar.institution.slug
    pages = {
        staff.email: [
            "/examens/gestion/", f"/centres-d-examen/{slug}/tableau-de-bord/",
            f"/centres-d-examen/{slug}/sessions/nouvelle/", f"/examens/{sitting.pk}/incidents/",
            f"/examens/{sitting.pk}/emargement/scan/?c={token}",
        ],
        teacher.email: [
            f"/examens/{sitting.pk}/resultats/",
            f"/studio/sessions/{sitting.course_run_id}/examens/",
        ],
    }  # fmt: skip
    # Signing in switches to the user's own language: theirs is the one under test.
    User.objects.update(preferred_language=language)
    axe = Axe()
    problems: dict[str, list[str]] = {}
    for email, paths in pages.items():
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        page = context.new_page()
        try:
            sign_in(page, base, email)
            for path in paths:
                assert page.locator("html").get_attribute("lang") == language
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 200, path
                problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        finally:
            context.close()
    assert {path: found for path, found in problems.items() if found} == {}
