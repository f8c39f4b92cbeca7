"""Partnerships in a real chromium (issue 8): a Southern university posts a need, sees a
French university ranked first with the reasons, proposes; the partner accepts; both sides
draft and sign the agreement; the partnership is active. Then axe-core on every page of the
journey, on a phone and a laptop, in French and English."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from e2e.test_accessibility import WCAG_AA, _violations
from e2e.test_courseware_journey import sign_in
from sankore.accounts.models import User
from sankore.catalog.tests.factories import DisciplineFactory, LanguageFactory
from sankore.partnerships import agreements, services
from sankore.partnerships.models import Partnership, PartnershipState
from sankore.partnerships.tests.factories import (
    agreement_terms,
    northern,
    signatory_of,
    southern,
    staff_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _network() -> dict[str, Any]:
    agronomy = DisciplineFactory(slug="agroecologie", name_fr="Agroécologie", name_en="Agroecology")
    french = LanguageFactory(code="fr", name_fr="Français", name_en="French")
    ouaga = southern(slug="ujkz", acronym="UJKZ", name="Université Joseph Ki-Zerbo")
    bordeaux = northern(slug="u-bordeaux", acronym="UB")
    lome = southern(slug="univ-lome", name="Université de Lomé", country="TG")
    for institution, capabilities in ((bordeaux, ["studio-video", "hebergement"]), (lome, [])):
        services.profile_update(
            institution=institution, by=staff_of(institution), disciplines=[agronomy],
            languages=[french], capabilities=capabilities,
        )  # fmt: skip
    return {
        "ouaga": ouaga, "bordeaux": bordeaux,
        "south": staff_of(ouaga, signatory=True, email="awa@ujkz.example", full_name="Awa Traoré"),
        "north": staff_of(
            bordeaux, signatory=True, email="claire@ubordeaux.example", full_name="Claire Martin"
        ),
    }  # fmt: skip


def _page(browser: Browser, base: str, language: str = "fr", width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    return context.new_page()


def _sign(page: Page, base: str, partnership: Partnership, function: str) -> None:
    page.goto(f"{base}{partnership.get_absolute_url()}")
    page.get_by_role("link", name="Signer la convention").click()
    page.get_by_label("Votre fonction").fill(function)
    page.get_by_label("J'ai lu la convention").check()
    page.get_by_role("button", name="Signer", exact=True).click()
    expect(page.get_by_text("Vous avez signé la convention.")).to_be_visible()


def test_a_southern_university_finds_a_partner_and_both_sign(
    browser: Browser, live_server: object
) -> None:
    base = str(live_server).rstrip("/")
    people = _network()
    south = _page(browser, base, width=360)
    try:
        sign_in(south, base, "awa@ujkz.example")
        south.goto(f"{base}/partenariats/idees/nouvelle/")
        south.get_by_label("Titre").fill("CLOM d'agroécologie pour les techniciens")
        south.get_by_label("Description").fill("Un CLOM pour les techniciens agricoles du Sahel.")
        south.get_by_label("Discipline").select_option(label="Agroécologie")
        south.get_by_label("Public").select_option("professionnels")
        south.locator("#id_language").select_option("fr")
        south.get_by_role("group", name="Nous cherchons").get_by_label("studio vidéo").check()
        south.get_by_label("Début souhaité").fill("2027-01-15")
        south.get_by_label("Fin souhaitée").fill("2027-12-15")
        south.get_by_role("button", name="Publier").click()
        expect(south.get_by_text("Votre idée de projet est publiée.")).to_be_visible()

        first = south.locator(".match-list > li").first
        expect(first.get_by_role("heading")).to_contain_text("Université de Bordeaux")
        expect(first).to_contain_text("Même discipline : Agroécologie")
        expect(first).to_contain_text("Apporte ce que vous cherchez : studio vidéo")
        expect(first).to_contain_text("Binôme Nord–Sud")
        first.get_by_role("link", name="Proposer un partenariat").click()
        south.get_by_label("Votre message").fill("Seriez-vous partants pour ce CLOM ?")
        south.get_by_role("button", name="Envoyer la proposition").click()
        expect(south.locator("#state")).to_have_text("proposé")
    finally:
        south.context.close()
    partnership = Partnership.objects.get()

    north = _page(browser, base)
    try:
        sign_in(north, base, "claire@ubordeaux.example")
        north.goto(f"{base}{partnership.get_absolute_url()}")
        expect(north.get_by_text("Seriez-vous partants pour ce CLOM ?")).to_be_visible()
        north.get_by_role("button", name="Accepter la proposition").click()
        expect(north.locator("#state")).to_have_text("accepté")
        # The agreement, drafted here through the service (its form has its own test), then
        # sent for signature from the page.
        agreements.agreement_save(
            partnership=partnership, by=people["north"], **agreement_terms(partnership)
        )
        north.reload()
        north.get_by_role("button", name="Envoyer à la signature").click()
        expect(north.locator("#state")).to_have_text("convention rédigée")
        _sign(north, base, partnership, "Vice-présidente")
    finally:
        north.context.close()

    south = _page(browser, base, width=360)
    try:
        sign_in(south, base, "awa@ujkz.example")
        _sign(south, base, partnership, "Présidente")
        expect(south.locator("#state")).to_have_text("actif")
        expect(
            south.get_by_text("Awa Traoré (Présidente) pour Université Joseph Ki-Zerbo")
        ).to_be_visible()
    finally:
        south.context.close()
    partnership.refresh_from_db()
    assert partnership.state == PartnershipState.ACTIVE
    assert partnership.agreement.signatures.count() == 2


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_partnership_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    people = _network()
    ouaga, bordeaux = people["ouaga"], people["bordeaux"]
    idea = services.idea_create(
        institution=ouaga, by=people["south"], kind="besoin", title="CLOM d'agroécologie",
        description="Un CLOM.", discipline=DisciplineFactory(), audience="licence",
        language=LanguageFactory(code="fr"), seeks=["studio-video"],
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 6, 30),
    )  # fmt: skip
    partnership = services.partnership_propose(
        proposer=ouaga, partner=bordeaux, by=people["south"], title="CLOM d'agroécologie",
        message="Bonjour.", idea=idea,
    )  # fmt: skip
    services.partnership_accept(partnership=partnership, by=people["north"])
    agreements.agreement_save(
        partnership=partnership, by=people["north"], **agreement_terms(partnership)
    )
    signed_draft = partnership.pk
    User.objects.update(preferred_language=language)
    paths = [
        "/partenariats/", "/partenariats/idees/", "/partenariats/idees/nouvelle/",
        idea.get_absolute_url(), f"/partenariats/etablissements/{ouaga.slug}/",
        f"/partenariats/etablissements/{ouaga.slug}/modifier/",
        f"/partenariats/etablissements/{bordeaux.slug}/proposer/",
        f"/partenariats/{signed_draft}/", f"/partenariats/{signed_draft}/convention/",
    ]  # fmt: skip
    page = _page(browser, base, language, width)
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        sign_in(page, base, "awa@ujkz.example")
        for path in paths:
            response = page.goto(base + path)
            assert response is not None
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        agreements.agreement_submit(partnership=partnership, by=people["north"])
        path = f"/partenariats/{signed_draft}/signer/"
        assert page.goto(base + path).status == 200
        problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        page.context.close()
    assert {path: found for path, found in problems.items() if found} == {}


def test_a_signatory_only_sees_the_sign_button(browser: Browser, live_server: object) -> None:
    """Staff who are not signatories follow the agreement but have no button to sign it."""
    base = str(live_server).rstrip("/")
    ouaga, bordeaux = southern(), northern()
    asking = staff_of(ouaga, email="staff@ujkz.example")
    asked = staff_of(bordeaux)
    signatory_of(ouaga, email="president@ujkz.example")
    partnership = services.partnership_propose(
        proposer=ouaga, partner=bordeaux, by=asking, title="Projet", message="Bonjour."
    )
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    for email, expected in (("staff@ujkz.example", 0), ("president@ujkz.example", 1)):
        page = _page(browser, base)
        try:
            sign_in(page, base, email)
            page.goto(f"{base}{partnership.get_absolute_url()}")
            assert page.get_by_role("link", name="Signer la convention").count() == expected
        finally:
            page.context.close()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_programme_and_sponsor_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    from sankore.partnerships.tests.factories import programme_person, shared_voucher

    base = str(live_server).rstrip("/")
    people = _network()
    partnership = services.partnership_propose(
        proposer=people["ouaga"], partner=people["bordeaux"], by=people["south"],
        title="CLOM d'agroécologie", message="Bonjour.",
    )  # fmt: skip
    services.partnership_accept(partnership=partnership, by=people["north"])
    agreements.agreement_save(
        partnership=partnership, by=people["north"], **agreement_terms(partnership)
    )
    voucher = shared_voucher(seats=3)
    programme_person(email="programme@example.org")
    User.objects.update(preferred_language=language)
    pages = {
        "programme@example.org": [
            "/partenariats/programme/", "/partenariats/programme/ponderations/",
            "/partenariats/soutiens/", "/partenariats/soutiens/nouveau/",
            f"/partenariats/soutiens/{voucher.contribution_id}/",
        ],
        "awa@ujkz.example": ["/partenariats/bons/"],
    }  # fmt: skip
    axe = Axe()
    problems: dict[str, list[str]] = {}
    for email, paths in pages.items():
        page = _page(browser, base, language, width)
        try:
            sign_in(page, base, email)
            for path in paths:
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 200, path
                problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        finally:
            page.context.close()
    assert {path: found for path, found in problems.items() if found} == {}
