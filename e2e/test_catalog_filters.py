"""Ticking a filter updates the results in place (htmx), with the URL kept shareable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.watch import PageWatch
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory, LanguageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_filter_narrows_the_results_without_reloading_the_page(
    page: Page, live_server: object, page_watch: PageWatch
) -> None:
    arabic = LanguageFactory(code="ar", name_fr="Arabe", name_en="Arabic")
    CourseRunFactory(course=CourseFactory(title="Droit comparé", languages=[arabic]))
    CourseRunFactory(course=CourseFactory(title="Santé publique"))
    base = str(live_server).rstrip("/")
    page.set_viewport_size({"width": 360, "height": 800})  # a phone: filters start folded
    page.goto(base + "/cours/")
    page.evaluate("window.notReloaded = true")
    expect(page.get_by_text("2 cours trouvés")).to_be_visible()

    page.get_by_text("Filtres").click()
    page.get_by_label("Arabe").check()

    expect(page.get_by_text("1 cours trouvé", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Droit comparé")).to_be_visible()
    expect(page.get_by_role("link", name="Santé publique")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    assert "language=ar" in page.url
    expect(page.get_by_label("Arabe")).to_be_checked()
    # The fresh filters (new counts) stay unfolded as the learner left them.
    expect(page.locator("#facets")).to_have_attribute("open", "")
    assert page_watch.console_errors == []
