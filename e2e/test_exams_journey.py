"""The exam-centres issue end to end in a real chromium: a learner registers for a paper
sitting and downloads their convocation; on the day the centre's staff scan its QR code and
check them in; the course team enters the score and validates as jury; the learner sees the
result and their certificate, which the public verification page confirms.

Pages use the real clock, so the sitting is built around now: registration open now, the
start in an hour (check-in opens two hours before the start), and, once the candidate is
checked in, the whole day moved back (a queryset ``update()``, the test's stand-in for the
clock) so that the exam is over when the team enters results and the jury validates.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from e2e.test_courseware_journey import sign_in
from e2e.watch import PageWatch
from sankore.catalog.models import CourseRun
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.credentials.models import Credential, CredentialKind
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.tests.factories import campus_staff, centre, learner_of, sitting
from sankore.exams.tests.result_helpers import team_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAKAR = ZoneInfo("Africa/Dakar")
LEARNER_EMAIL = "aminata.diallo@example.org"
LEARNER_NAME = "Aminata Diallo"
COURSE_TITLE = "Hydrologie du Sahel"


@pytest.fixture(autouse=True)
def _issuer_keys(settings: Any, tmp_path: Path) -> None:
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"  # the certificate's signing keys


def _exam_today() -> ExamSitting:
    """A paper sitting in Dakar starting in an hour, registration open until the start."""
    now = timezone.now().astimezone(DAKAR).replace(tzinfo=None, second=0, microsecond=0)
    start = now + datetime.timedelta(hours=1)
    run = cast(
        CourseRun, CourseRunFactory(course__title=COURSE_TITLE, course__offers_certificate=True)
    )
    return sitting(
        at=centre(), run=run, local_start=start, duration_minutes=120,
        local_registration_opens=now - datetime.timedelta(days=3),
        local_registration_closes=start, local_cancellation_deadline=start,
    )  # fmt: skip


def _new_page(browser: Browser, page_watch: PageWatch, *, language: str = "fr") -> Page:
    """A page in a fresh context (its own cookies): another person at another computer."""
    context = browser.new_context(locale=f"{language}-SN", timezone_id="Africa/Dakar")
    context.set_default_timeout(15_000)
    context.on("request", page_watch.on_request)
    base = page_watch.origin
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    page.on("console", page_watch.on_console)
    page.on("pageerror", page_watch.on_page_error)
    return page


@pytest.fixture
def contexts() -> Iterator[list[BrowserContext]]:
    """The extra contexts a test opens, closed at its end whatever happens."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _download_convocation(page: Page, link: Locator) -> bytes:
    """The PDF behind the link, fetched with the page's cookies: chromium opens an inline PDF
    in its viewer rather than as a download, where the test could not read it."""
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    return pdf


def _text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # Lines wrap where the layout decides: compare without any white space.
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _qr_code_of(pdf: bytes) -> str:
    """What the convocation's QR code holds, read from the page as a phone camera would."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    (code,) = zxingcpp.read_barcodes(image)
    return str(code.text)


def _wait_for_emails(page: Page, outbox: list[EmailMessage], count: int) -> None:
    # The live server sends from its own thread; waiting through Playwright keeps its loop on.
    for _ in range(100):
        if len(outbox) >= count:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{count} emails expected, outbox: {[message.subject for message in outbox]}")


def test_a_learner_registers_is_checked_in_passes_and_gets_the_certificate(
    live_server: object,
    browser: Browser,
    page: Page,
    page_watch: PageWatch,
    contexts: list[BrowserContext],
    mailoutbox: list[EmailMessage],
    settings: Any,
) -> None:
    base = str(live_server).rstrip("/")
    settings.SITE_URL = base  # the address in the QR code and the emails' links
    exam = _exam_today()
    learner = learner_of(exam.course_run, email=LEARNER_EMAIL, full_name=LEARNER_NAME)
    staff = campus_staff(exam.centre)
    teacher = team_member(exam.course_run)

    # 1. The learner registers from the sitting's page …
    sign_in(page, base, LEARNER_EMAIL)
    page.goto(f"{base}/examens/{exam.pk}/")
    page.get_by_role("button", name="M’inscrire à cette session d’examen").click()
    expect(page.get_by_role("status")).to_have_text("Votre place est confirmée : place n° 1.")
    # … finds it on « Mes examens » and downloads the convocation.
    page.get_by_role("link", name="Mes examens").click()
    expect(page.get_by_role("heading", name=COURSE_TITLE)).to_be_visible()
    pdf = _download_convocation(
        page, page.get_by_role("link", name="Télécharger ma convocation (PDF)")
    )
    text = _text_of(pdf)
    assert "AminataDiallo" in text
    assert "placen°1" in text
    # The same convocation came by email, as soon as the seat was confirmed.
    _wait_for_emails(page, mailoutbox, 1)
    (convocation_mail,) = mailoutbox
    assert convocation_mail.to == [LEARNER_EMAIL]
    assert convocation_mail.subject.startswith(f"Votre convocation : {COURSE_TITLE}, ")
    ((filename, attached, mimetype),) = convocation_mail.attachments
    assert filename == f"convocation-{exam.course_run.course.slug}.pdf"
    assert mimetype == "application/pdf"
    assert attached.startswith(b"%PDF")
    assert "AminataDiallo" in _text_of(attached)
    scanned = _qr_code_of(pdf)
    assert scanned.startswith(f"{base}/examens/{exam.pk}/emargement/scan/?c=")

    # 2–3. Exam day: the centre's staff open the attendance list and scan the convocation
    # (a barcode scanner types the QR code's URL into the focused field and presses Enter).
    door = _new_page(browser, page_watch)
    contexts.append(door.context)
    sign_in(door, base, staff.email)
    door.goto(f"{base}/examens/{exam.pk}/emargement/")
    expect(door.get_by_role("heading", name="Liste d’émargement")).to_be_visible()
    scan_field = door.get_by_label("Scanner une convocation")
    expect(scan_field).to_be_focused()
    scan_field.fill(scanned)
    scan_field.press("Enter")
    expect(door.get_by_role("heading", name=LEARNER_NAME)).to_be_visible()
    expect(door.get_by_text("Place n° 1", exact=True)).to_be_visible()
    door.get_by_label("pièce d’identité vérifiée").check()
    door.get_by_role("button", name="Accueillir").click()
    door.wait_for_url(f"{base}/examens/{exam.pk}/emargement/")
    expect(door.get_by_role("status").first).to_have_text(
        f"{LEARNER_NAME} est accueilli, place n° 1."
    )
    registration = ExamRegistration.objects.get(learner=learner)
    assert registration.identity_checked
    assert registration.checked_in_at is not None
    at = registration.checked_in_at.astimezone(DAKAR).strftime("%H:%M")
    row = door.get_by_role("row").filter(has_text=LEARNER_NAME)
    expect(row).to_contain_text(f"présent à {at}")
    # A forged code is refused, clearly, with a 400.
    forged = door.goto(f"{base}/examens/{exam.pk}/emargement/scan/?c=[{registration.pk},1]:faux")
    assert forged is not None
    assert forged.status == 400
    expect(door.get_by_role("alert")).to_have_text("Ce code n’est pas une convocation valide.")

    # The clock. The learner registered through the page, so registration had to be open
    # (it closes at the latest at the start), and check-in opens two hours before the start:
    # hence a start in an hour. Results are entered only after the start and the jury
    # validates only after the end, so the pages' clock must now be past the exam: the whole
    # day moves back by one (sitting and registration alike, so times stay consistent).
    day = datetime.timedelta(days=1)
    ExamSitting.objects.filter(pk=exam.pk).update(
        starts_at=F("starts_at") - day, registration_opens_at=F("registration_opens_at") - day,
        registration_closes_at=F("registration_closes_at") - day,
        cancellation_deadline=F("cancellation_deadline") - day,
    )  # fmt: skip
    ExamRegistration.objects.filter(pk=registration.pk).update(
        registered_at=F("registered_at") - day, confirmed_at=F("confirmed_at") - day,
        checked_in_at=F("checked_in_at") - day,
    )  # fmt: skip

    # 4. The course team enters the score, with a decimal comma, and validates as jury.
    team = _new_page(browser, page_watch)
    contexts.append(team.context)
    sign_in(team, base, teacher.email)
    team.goto(f"{base}/examens/{exam.pk}/resultats/")
    expect(team.get_by_role("heading", name="Résultats de l’examen")).to_be_visible()
    team.get_by_label("Note de la place n° 1").fill("14,5")
    team.get_by_role("button", name="Enregistrer les notes").click()
    expect(team.get_by_role("status").first).to_have_text(
        "1 résultat enregistré (1 admis, 0 absents)."
    )
    team.get_by_role("button", name="Valider les résultats").click()
    expect(team.get_by_role("status").first).to_contain_text("Résultats validés")
    certificate = Credential.objects.get(holder=learner, kind=CredentialKind.CERTIFICATE)
    expect(team.get_by_role("row").filter(has_text=LEARNER_NAME)).to_contain_text(
        f"délivré ({certificate.identifier})"
    )
    _wait_for_emails(team, mailoutbox, 2)
    results_mail = mailoutbox[1]
    assert results_mail.to == [LEARNER_EMAIL]
    assert results_mail.subject == f"Résultats de l’examen « {COURSE_TITLE} »"
    assert "Votre note : 14,5 sur 20." in str(results_mail.body)
    assert "Décision du jury : admis." in str(results_mail.body)

    # 5. The learner, signed in again, sees the result and the certificate, and checks it.
    page.context.clear_cookies()
    sign_in(page, base, LEARNER_EMAIL)
    page.get_by_role("link", name="Mes examens").click()
    expect(page.locator(".exam-result")).to_have_text("Résultat : 14,5 sur 20 — admis")
    page.get_by_role("link", name="Mes attestations").click()
    card = page.locator(".credential-card").filter(
        has=page.get_by_role("heading", name=COURSE_TITLE)
    )
    expect(card.locator(".badge")).to_have_text("Certificat")
    card.get_by_role("link", name="ouvrir").click()
    page.wait_for_url(f"{base}/verifier/{certificate.identifier}/")
    expect(page.get_by_role("status")).to_contain_text("Valide")
    expect(page.locator("dl.facts")).to_contain_text(LEARNER_NAME)

    assert len(mailoutbox) == 2
    # The browser logs the forged code's 400 as a failed load: that one was asked for.
    assert [error for error in page_watch.console_errors if ":faux" not in error] == []
    assert page_watch.foreign_requests == []


def test_the_convocation_downloads_in_english(
    live_server: object,
    browser: Browser,
    page_watch: PageWatch,
    contexts: list[BrowserContext],
    settings: Any,
) -> None:
    # English strings are being translated: this pins the structure, not the wording.
    base = str(live_server).rstrip("/")
    settings.SITE_URL = base
    exam = _exam_today()
    # Signing in switches the interface to the learner's own language (the cookie only
    # speaks for the visitor before that): an English-speaking learner.
    learner = learner_of(
        exam.course_run, email="khady@example.org", full_name="Khady Sarr", preferred_language="en"
    )
    page = _new_page(browser, page_watch, language="en")
    contexts.append(page.context)

    sign_in(page, base, learner.email)
    page.goto(f"{base}/examens/{exam.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(f"form[action='/examens/{exam.pk}/inscription/'] button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("1")
    page.goto(f"{base}/mes-examens/")
    registration = ExamRegistration.objects.get(learner=learner)
    pdf = _download_convocation(
        page, page.locator(f"a[href='/mes-examens/{registration.pk}/convocation.pdf']")
    )
    assert "KhadySarr" in _text_of(pdf)
    # Written in the learner's language (WeasyPrint carries the page's lang into the PDF).
    assert pypdf.PdfReader(io.BytesIO(pdf)).root_object.get("/Lang") == "en"
    assert urlsplit(_qr_code_of(pdf)).path == f"/examens/{exam.pk}/emargement/scan/"
    assert page_watch.console_errors == []
    assert page_watch.foreign_requests == []
