"""The acknowledgement of a submitted application: the receipt as a real PDF (what was
submitted, when — in the call's zone and in UTC — and the fingerprint that proves it), the
e-mails it leaves with once the submission commits (lead's staff and submitter, each in their
language, the PDF attached; nothing for a late one), and its download (lead's staff and
programme staff only, once submitted)."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from pypdf import PdfReader

from sankore.accounts.models import RoleAssignment
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import services
from sankore.calls.models import Application, Call, FundingTier, Strand
from sankore.calls.notifications import application_acknowledge
from sankore.calls.receipts import (
    receipt_html,
    receipt_pdf,
    submission_canonical,
    submission_fingerprint,
    submission_instant,
)
from sankore.calls.services import DeadlinePassedError
from sankore.calls.tests.test_applications import (
    CLOSES,
    DURING,
    PDF,
    _call,
    _complete,
    _north,
    _programme,
    _south,
    _staff,
)

pytestmark = pytest.mark.django_db

# DURING is 21 March 2027, 17:00 in Paris: winter time still (until the 28th), so 16:00 UTC.
DURING_IN_PARIS = "21 mars 2027 à 17 h 00 (Europe/Paris) — 16:00 UTC"
SUBJECT = "Accusé de réception n° %(number)s : %(title)s"
ENGLISH_SUBJECT = "Acknowledgement of receipt no. %(number)s: %(title)s"


def _text(pdf: bytes) -> str:
    """The PDF's words, spaces of every width (babel's narrow no-break ones) made plain."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _submitted(call: Call | None = None) -> tuple[Application, Any]:
    """A complete application of a southern lead with a confirmed northern partner, in a strand
    and a tier, submitted during the call (on DURING) by its author."""
    call = call or _call()
    strand = Strand.objects.create(call=call, title="CLOM de licence")
    tier = FundingTier.objects.create(call=call, label="Palier 2", max_amount=Decimal("60000"))
    application, author = _complete(call)
    bordeaux = _north()
    partner = services.application_partner_add(
        application=application, by=author, institution=bordeaux, role="Studio vidéo", now=DURING
    )
    services.partner_answer(partner=partner, by=_staff(bordeaux), confirm=True, now=DURING)
    services.application_save(
        application=application, by=author, revision=application.revision,
        tier_id=tier.pk, strand_id=strand.pk, now=DURING,
    )  # fmt: skip
    submitted = services.application_submit(application=application, by=author, now=lambda: DURING)
    return submitted, author


@pytest.fixture
def english_subject() -> Iterator[str]:
    """The subject's English words. The English catalog is filled in later by the translators
    (from the French msgids, after this code): until then the test lends the subject its
    words, so what it checks is that each mail is composed in its reader's language."""
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    missing = object()
    previous = catalog.get(SUBJECT, missing)
    catalog[SUBJECT] = ENGLISH_SUBJECT
    yield ENGLISH_SUBJECT
    if previous is missing:
        del catalog[SUBJECT]
    else:
        catalog[SUBJECT] = previous


# --- The receipt -----------------------------------------------------------------------------


def test_the_receipt_is_a_pdf_that_states_what_was_submitted_and_when() -> None:
    application, _author = _submitted()
    pdf = receipt_pdf(application=application)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in (
        "SANKORÉ", "Appel CLOM 2027", application.receipt_number, "CLOM d'agroécologie",
        "Université de Ouagadougou", "Université de Bordeaux", "Studio vidéo", "Confirmé",
        "CLOM de licence", "Palier 2", "45 000,00 €", DURING_IN_PARIS, "Résumé",
        "Tableau budgétaire", "budget.pdf", f"{len(PDF)} octets",
    ):  # fmt: skip
        assert expected in text, expected
    # The hashes may be broken across lines in their narrow column.
    squeezed = text.replace(" ", "")
    assert hashlib.sha256(PDF).hexdigest() in squeezed
    assert submission_fingerprint(application=application) in squeezed


def test_the_fingerprint_is_the_sha256_of_the_canonical_submission() -> None:
    application, _author = _submitted()
    canonical = json.loads(submission_canonical(application=application))
    assert canonical == {
        "answers": application.answers,
        "attachments": [{"section": "budget", "sha256": hashlib.sha256(PDF).hexdigest()}],
        "requested_amount": "45000.00",
    }
    expected = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert submission_fingerprint(application=application) == (
        hashlib.sha256(expected.encode()).hexdigest()
    )
    # Another amount, another fingerprint: the receipt vouches for this very dossier.
    before = submission_fingerprint(application=application)
    application.requested_amount = Decimal("45000.01")
    assert submission_fingerprint(application=application) != before


def test_the_utc_time_says_its_own_day_when_it_differs_from_the_calls() -> None:
    at = datetime.datetime(2027, 3, 15, 17, 59, tzinfo=zoneinfo.ZoneInfo("Africa/Dakar"))
    assert submission_instant(at=at, zone=zoneinfo.ZoneInfo("Africa/Dakar")) == (
        "15 mars 2027 à 17 h 59 (Africa/Dakar) — 17:59 UTC"
    )
    assert submission_instant(at=at, zone=zoneinfo.ZoneInfo("Pacific/Auckland")) == (
        "16 mars 2027 à 6 h 59 (Pacific/Auckland) — 15 mars 2027, 17:59 UTC"
    )


def test_the_receipt_is_in_the_active_language() -> None:
    application, _author = _submitted()
    with translation.override("en"):
        html = receipt_html(application=application)
    assert 'lang="en"' in html
    assert "€45,000.00" in html
    assert "March 21, 2027" in html
    assert "16:00 UTC" in html


def test_a_draft_has_no_receipt() -> None:
    application, _author = _complete(_call())
    with pytest.raises(ValueError, match="not submitted"):
        receipt_pdf(application=application)


# --- The e-mails -----------------------------------------------------------------------------


def test_a_submission_emails_the_leads_staff_each_in_their_language(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any], english_subject: str
) -> None:
    call = _call()
    lead = _south()
    author = _staff(lead)
    colleague = _staff(lead)
    colleague.preferred_language = "en"
    colleague.save()
    gone = _staff(lead)
    gone.is_active = False
    gone.save()
    _programme()  # programme staff read the application, but are not mailed its receipt
    application, creator = _complete(call, lead=lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submitted = services.application_submit(
            application=application, by=author, now=lambda: DURING
        )
    assert len(callbacks) == 1
    number = submitted.receipt_number
    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == sorted([author.email, colleague.email, creator.email])
    assert len(mailoutbox) == 3
    french, english = by_address[author.email], by_address[colleague.email]
    assert french.subject == SUBJECT % {"number": number, "title": "CLOM d'agroécologie"}
    assert english.subject == english_subject % {"number": number, "title": "CLOM d'agroécologie"}
    assert DURING_IN_PARIS in french.body
    assert "March 21, 2027" in english.body
    url = settings.SITE_URL + submitted.get_absolute_url()
    for message in mailoutbox:
        assert url in message.body
        assert submission_fingerprint(application=submitted) in message.body
        ((filename, content, mimetype),) = message.attachments
        assert (filename, mimetype) == (f"accuse-{number}.pdf", "application/pdf")
        assert content.startswith(b"%PDF")
    # The English one's PDF is in English too.
    assert "€45,000.00" in _text(english.attachments[0][1])


def test_the_submitter_hears_of_it_even_once_out_of_the_leads_staff() -> None:
    application, author = _submitted()
    colleague = _staff(application.lead)
    RoleAssignment.objects.filter(user=author).delete()
    assert application_acknowledge(application_id=application.pk) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [author.email, colleague.email]
    )


@pytest.mark.parametrize(
    "clock",
    [
        [CLOSES + datetime.timedelta(seconds=1)],
        # Started in time, ended after the closing instant.
        [CLOSES - datetime.timedelta(seconds=2), CLOSES],
    ],
)
def test_a_late_submission_sends_nothing(
    clock: list[datetime.datetime],
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    application, author = _complete(_call())
    instants = iter(clock)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DeadlinePassedError),
    ):
        services.application_submit(
            application=application, by=author, now=lambda: next(instants, clock[-1])
        )
    assert callbacks == []
    assert mailoutbox == []


def test_nothing_is_sent_for_a_draft_a_withdrawn_or_a_missing_application() -> None:
    call = _call()
    draft, _author = _complete(call)
    assert application_acknowledge(application_id=draft.pk) == 0
    withdrawn, author = _submitted(call)
    services.application_withdraw(application=withdrawn, by=author, now=DURING)
    assert application_acknowledge(application_id=withdrawn.pk) == 0
    assert application_acknowledge(application_id=10**9) == 0
    assert mail.outbox == []


# --- The download ----------------------------------------------------------------------------


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_receipt_downloads_for_the_leads_staff_and_the_programme_only() -> None:
    application, author = _submitted()
    url = reverse("calls:application_receipt", args=[application.pk])
    assert url.endswith(f"/candidatures/{application.pk}/accuse.pdf")
    for reader in (author, _programme()):
        response = _client(reader).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert (
            f'filename="accuse-{application.receipt_number}.pdf"'
            in (response["Content-Disposition"])
        )
        assert response.content.startswith(b"%PDF")
    partner = application.partners.get().institution
    for outsider in (_staff(partner), _staff(_south(name="Université de Lomé")), UserFactory()):
        assert _client(outsider).get(url).status_code == 404
    anonymous = _client().get(url)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]


def test_a_draft_has_no_receipt_to_download_nor_a_link_to_it() -> None:
    application, author = _complete(_call())
    client = _client(author)
    assert client.get(reverse("calls:application_receipt", args=[application.pk])).status_code == (
        404
    )
    assert (
        "accusé de réception (PDF)"
        not in client.get(application.get_absolute_url()).content.decode()
    )


def test_the_application_page_links_to_the_receipt_once_submitted() -> None:
    application, author = _submitted()
    link = reverse("calls:application_receipt", args=[application.pk])
    assert link in _client(author).get(application.get_absolute_url()).content.decode()
    # Partners read the page, not the receipt.
    partner = application.partners.get().institution
    assert link not in _client(_staff(partner)).get(application.get_absolute_url()).content.decode()
