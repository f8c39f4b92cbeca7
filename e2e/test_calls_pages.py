"""Calls for projects in a real chromium (issue 9, first part): the dossier saves itself as it
is typed (htmx) and survives a reload; axe-core finds no WCAG 2.1 AA violation on the call
and application pages, on a phone and a laptop, in French and in English."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser, expect

from e2e.test_accessibility import WCAG_AA, _violations
from e2e.test_courseware_journey import sign_in
from sankore.accounts.models import User
from sankore.calls import services
from sankore.calls.models import Application
from sankore.calls.tests.test_applications import _south, _staff
from sankore.calls.tests.test_pages import _open_call

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
