"""Issue 5 in a real chromium: a learner who passed downloads their attestation, an employer
checks it from the share link and by dropping the PDF; the course team revokes it and the
public page says so. axe-core finds no WCAG 2.1 AA violation on these pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import transaction
from playwright.sync_api import Browser, Page, expect

from e2e.test_accessibility import WCAG_AA, _violations
from e2e.test_courseware_journey import sign_in
from e2e.watch import PageWatch
from sankore.accounts.models import Role, User
from sankore.accounts.tests.factories import RoleAssignmentFactory
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.credentials.models import Credential, CredentialDocument, CredentialStatus
from sankore.credentials.tests.conftest import Session

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _issuer_keys(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"


def _passed_learner(email: str) -> tuple[Session, Credential]:
    session = Session(offers_certificate=True, ects=2)
    learner = session.learner(email=email, full_name="Mamadou Ba")
    with transaction.atomic():  # committed: the (immediate) tasks run on commit
        session.answer(learner, "42")
    return session, Credential.objects.get(holder=learner)


def test_an_attestation_is_downloaded_shared_checked_and_revoked(
    live_server: object,
    browser: Browser,
    page: Page,
    page_watch: PageWatch,
    tmp_path: Path,
    settings: Any,
) -> None:
    base = str(live_server).rstrip("/")
    settings.SITE_URL = base  # the address printed in the QR code and the share link
    session, credential = _passed_learner("mamadou@example.org")
    assert CredentialDocument.objects.filter(credential=credential).exists()

    sign_in(page, base, "mamadou@example.org")
    page.get_by_role("link", name="Mes attestations").click()
    expect(page.get_by_role("heading", name="Gestion durable de l'eau au Sahel")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF (français)").click()
    pdf = tmp_path / "attestation.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    share = page.locator("input.share-link").input_value()
    assert share.endswith(f"/verifier/{credential.identifier}/")

    employer = browser.new_context(locale="fr-FR")  # an employer in Dakar: French
    check = employer.new_page()
    check.goto(share)
    expect(check.get_by_role("status")).to_contain_text("Valide")
    expect(check.locator("dl.facts")).to_contain_text("Mamadou Ba")
    check.goto(f"{base}/verifier/")
    check.locator("input[type=file]").set_input_files(pdf)
    check.get_by_role("button", name="Comparer le fichier").click()
    # The browser hashed the file itself: only the digest went to the server.
    check.wait_for_url(f"{base}/verifier/empreinte/?sha256=*")
    expect(check.get_by_role("status")).to_contain_text("Fichier authentique")

    teacher = session.learner(email="enseignante@example.org")
    course_team_member_set(course=session.run.course, user=teacher, role=CourseTeamRole.STAFF)
    page.context.clear_cookies()
    sign_in(page, base, "enseignante@example.org")
    page.goto(f"{base}/studio/sessions/{session.run.pk}/attestations/")
    page.get_by_role("link", name="Mamadou Ba").click()
    page.get_by_label("Motif de la révocation").fill("Identité usurpée, signalée par l'université")
    page.get_by_role("button", name="Révoquer le document").click()
    expect(page.get_by_role("status").first).to_contain_text("révoqué")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED

    check.goto(share)
    expect(check.get_by_role("alert")).to_contain_text("Révoquée")
    expect(check.get_by_role("alert")).to_contain_text("Identité usurpée")
    employer.close()
    assert page_watch.console_errors == []
    assert page_watch.foreign_requests == []


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_credential_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    session, credential = _passed_learner("awa@example.org")
    teacher = session.learner(email="prof@example.org")
    course_team_member_set(course=session.run.course, user=teacher, role=CourseTeamRole.STAFF)
    owner = session.run.course.owners.get()
    RoleAssignmentFactory(user=teacher, role=Role.INSTITUTION_STAFF, institution=owner)
    digest = CredentialDocument.objects.get(credential=credential).sha256
    # Signing in switches to the user's own language: theirs is the one under test.
    User.objects.update(preferred_language=language)
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    run = session.run.pk
    try:
        for path in [
            "/verifier/",
            "/verifier/?identifier=abc",
            credential.get_absolute_url(),
            f"/verifier/empreinte/?sha256={digest}",
            f"/verifier/empreinte/?sha256={'0' * 64}",
        ]:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        sign_in(page, base, "awa@example.org")
        page.goto(base + "/mes-attestations/")
        problems["/mes-attestations/"] = _violations(axe.run(page, options=WCAG_AA).response)
        page.context.clear_cookies()
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        sign_in(page, base, "prof@example.org")
        for path in [
            f"/studio/sessions/{run}/attestations/",
            f"/studio/sessions/{run}/attestations/{credential.identifier}/",
            f"/studio/etablissements/{owner.slug}/documents/",
        ]:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()

    assert {path: found for path, found in problems.items() if found} == {}
