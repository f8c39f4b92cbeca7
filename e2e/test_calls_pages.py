"""Calls for projects in a real chromium (issue 9, first part): the dossier saves itself as it
is typed (htmx) and survives a reload; axe-core finds no WCAG 2.1 AA violation on the call
and application pages, on a phone and a laptop, in French and in English."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, expect

from e2e.test_accessibility import WCAG_AA, _violations
from e2e.test_courseware_journey import sign_in
from sankore.accounts.models import User
from sankore.calls import committee, reviewing, services
from sankore.calls.models import Application
from sankore.calls.tests.builders import panel_member, submitted
from sankore.calls.tests.test_applications import _south, _staff
from sankore.calls.tests.test_pages import _open_call, _programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_dossier_saves_itself_as_it_is_typed(browser: Browser, live_server: object) -> None:
    base = str(live_server).rstrip("/")
    call = _open_call()
    lead = _south()
    author = _staff(lead)
    application = services.application_create(call=call, lead=lead, by=author, title="Projet")
    page = browser.new_page()
    try:
        sign_in(page, base, author.email)
        page.goto(f"{base}{application.get_absolute_url()}")
        page.get_by_label("Résumé").fill("Un CLOM d'agroécologie pour les techniciens.")
        expect(page.locator("#autosave-status")).to_contain_text("Brouillon enregistré à")
        page.reload()
        expect(page.get_by_label("Résumé")).to_have_value(
            "Un CLOM d'agroécologie pour les techniciens."
        )
    finally:
        page.context.close()
    assert Application.objects.get().answers["resume"] == (
        "Un CLOM d'agroécologie pour les techniciens."
    )


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_call_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    call = _open_call()
    lead = _south()
    author = _staff(lead)
    application = services.application_create(call=call, lead=lead, by=author, title="Projet")
    User.objects.update(preferred_language=language)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        for path in ["/appels/", call.get_absolute_url()]:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        sign_in(page, base, author.email)
        for path in [
            f"/appels/{call.slug}/candidater/", application.get_absolute_url(),
            "/appels/mes-candidatures/",
        ]:  # fmt: skip
            response = page.goto(base + path)
            assert response is not None
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()
    assert {path: found for path, found in problems.items() if found} == {}


def _closed_call_with_reviews() -> dict[str, Any]:
    """A call closed yesterday: two applications, two experts on its panel, one review handed
    in and one left to do, one decision recorded and the results published."""
    now = timezone.now()
    by = _programme()
    call = services.call_create(
        by=by, title="Appel CLOM 2026", description="Former les enseignants.",
        opens_at=now - datetime.timedelta(days=40), closes_at=now - datetime.timedelta(days=1),
        review_ends_at=now + datetime.timedelta(days=20),
        results_on=(now + datetime.timedelta(days=30)).date(), total_budget="100 000",
    )  # fmt: skip
    services.call_publish(call=call, by=by)
    chosen = submitted(
        call, title="CLOM Santé communautaire", when=now - datetime.timedelta(days=2)
    )
    other = submitted(call, title="CLOM Agroécologie", when=now - datetime.timedelta(days=2))
    first = panel_member(call, email="expert.un@example.org", full_name="Hugues Lemaire")
    second = panel_member(call, email="expert.deux@example.org", full_name="Aminata Diallo")
    assignments = [
        reviewing.assignment_add(application=application, reviewer=reviewer, by=by)
        for application in (chosen, other)
        for reviewer in (first, second)
    ]
    reviewing.assignment_confirm(call=call, by=by)
    for assignment in assignments[:3]:
        assignment.refresh_from_db()
        reviewing.review_save(
            assignment=assignment, by=assignment.reviewer.expert.user,
            scores={c.key: 4 for c in call.criteria.all()}, comment_to_applicant="Solide.",
            comment_to_committee="À financer.", submit=True,
        )  # fmt: skip
    committee.decision_record(application=chosen, by=by, value="retenu", motivation="Premier.")
    committee.decision_record(application=other, by=by, value="non-retenu", motivation="Budget.")
    committee.results_publish(call=call, by=by)
    return {"call": call, "chosen": chosen, "by": by, "first": first,
            "open_review": assignments[3]}  # fmt: skip


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_review_and_committee_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    scene = _closed_call_with_reviews()
    call, chosen = scene["call"], scene["chosen"]
    User.objects.update(preferred_language=language)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    visits = [
        (scene["by"].email, [
            "/appels/programme/", "/appels/programme/nouveau/", f"/appels/{call.slug}/modifier/",
            f"/appels/{call.slug}/modifier/volets/ajouter/", f"/appels/{call.slug}/gestion/",
            f"/appels/{call.slug}/gestion/classement/",
            f"/appels/candidatures/{chosen.pk}/decision/",
            "/appels/programme/experts/",
            f"/appels/programme/experts/{scene['first'].expert.pk}/",
        ]),
        (scene["open_review"].reviewer.expert.user.email, [
            "/appels/expertise/", f"/appels/{call.slug}/expertise/",
            f"/appels/evaluations/{scene['open_review'].pk}/",
            "/appels/expertise/liens/",
        ]),
        (chosen.created_by.email, [chosen.get_absolute_url(), f"/appels/{call.slug}/resultats/"]),
    ]  # fmt: skip
    try:
        for email, paths in visits:
            context.clear_cookies()
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
            )
            sign_in(page, base, email)
            for path in paths:
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 200, path
                assert page.locator("html").get_attribute("lang") == language
                problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()
    assert {path: found for path, found in problems.items() if found} == {}
