"""Diffusion pages (issue 7) in a real chromium: axe-core finds no WCAG 2.1 AA violation on
a campus's relay pages and on the import pages, on a phone and a laptop, in French and in
English; a programme officer imports a CSV file through the browser, reads the dry run,
confirms and sees the progress reach its end."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from e2e.test_accessibility import WCAG_AA, _violations
from e2e.test_courseware_journey import sign_in
from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import Course, Hosting
from sankore.catalog.tests.factories import (
    CourseFactory,
    CourseRunFactory,
    DisciplineFactory,
    LanguageFactory,
)
from sankore.federation import services as federation
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.relays import services as relays

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV_HEADER = "code;titre;résumé;établissement;langue;discipline;lien;session;début;fin;rythme\n"


def _csv(*codes: str) -> bytes:
    lines = "".join(
        f"{code};Cours {code};Un résumé.;UCAD;fr;droit;https://mooc.example.org/{code};"
        f"https://lms.example.org/{code}/2027;2027-02-01;2027-04-30;\n"
        for code in codes
    )
    return (CSV_HEADER + lines).encode("utf-8")


def _reference() -> None:
    """What the CSV lines name: the language, the discipline and the institution."""
    LanguageFactory(code="fr", name_fr="Français", name_en="French")
    DisciplineFactory(slug="droit", name_fr="Droit", name_en="Law")
    InstitutionFactory(slug="ucad", acronym="UCAD", name="Université Cheikh Anta Diop")


def _staff(role: Role, institution: object = None) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, institution=institution)
    return user


def _page_in(browser: Browser, base: str, language: str, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    return context.new_page()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_relay_and_import_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    campus = InstitutionFactory(
        name="Campus numérique francophone de Cotonou", kind=InstitutionKind.CAMPUS,
        city="Cotonou", slug="cnf-cotonou",
    )  # fmt: skip
    campus_staff = _staff(Role.CAMPUS_STAFF, campus)
    relay = relays.relay_for(campus=campus)
    start = datetime.date.today() + datetime.timedelta(days=30)
    for title in ("Agroécologie au Sahel", "Droit de l'environnement"):
        course = CourseFactory(title=title)
        CourseRunFactory(course=course, start=start)
        relays.relay_course_add(relay=relay, course=course, by=campus_staff, note="En salle 2.")
    officer = _staff(Role.PROGRAMME_STAFF)
    _reference()
    job = federation.import_job_plan(
        format="csv", platform="FUN MOOC", file_name="offre.csv", content=_csv("D101", "D102"),
        requested_by=officer,
    )  # fmt: skip
    User.objects.update(preferred_language=language)
    pages = {
        None: ["/campus/cnf-cotonou/", "/campus/cnf-cotonou/integration/"],
        campus_staff.email: ["/campus/cnf-cotonou/gestion/"],
        officer.email: ["/studio/importations/", f"/studio/importations/{job.pk}/"],
    }
    axe = Axe()
    problems: dict[str, list[str]] = {}
    for email, paths in pages.items():
        page = _page_in(browser, base, language, width)
        try:
            if email:
                sign_in(page, base, email)
            for path in paths:
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 200, path
                assert page.locator("html").get_attribute("lang") == language
                problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        finally:
            page.context.close()
    assert {path: found for path, found in problems.items() if found} == {}


def test_an_officer_imports_a_csv_file_through_the_browser(
    browser: Browser, live_server: object, tmp_path: object
) -> None:
    base = str(live_server).rstrip("/")
    officer = _staff(Role.PROGRAMME_STAFF)
    _reference()
    upload = tmp_path / "offre-ucad.csv"  # type: ignore[operator]
    upload.write_bytes(_csv("D101", "D102", "D103"))
    page = _page_in(browser, base, "fr", 360)
    try:
        sign_in(page, base, officer.email)
        page.goto(f"{base}/studio/importations/")
        page.get_by_label("Format").select_option("csv")
        page.get_by_label("Plateforme d'hébergement").fill("FUN MOOC")
        page.get_by_label("Fichier").set_input_files(str(upload))
        page.get_by_role("button", name="Simuler l'importation").click()
        expect(page.get_by_text("6 à créer, 0 à modifier, 0 inchangés.")).to_be_visible()
        # The dry run stored nothing.
        assert not Course.objects.filter(code__startswith="D10").exists()
        page.get_by_role("button", name="Confirmer l'importation").click()
        expect(page.locator("#job-progress progress")).to_have_attribute("value", "100")
        expect(page.locator("#job-progress [role=status]")).to_contain_text("6 sur 6")
        assert page.get_by_role("button", name="Confirmer l'importation").count() == 0
    finally:
        page.context.close()
    imported = Course.objects.filter(code__startswith="D10").order_by("code")
    assert list(imported.values_list("code", "hosting", "external_platform")) == [
        (code, Hosting.EXTERNAL, "FUN MOOC") for code in ("D101", "D102", "D103")
    ]
