"""The acknowledgement of receipt (accusé de réception) of a submitted application: A4, in the
active language, made on the fly from the application as it was submitted and never stored
(a submitted dossier no longer changes, so every copy says the same).

It states what was submitted and when — the instant in the call's time zone, as the call
states its deadline, and in UTC — and ends with a SHA-256 fingerprint of the submitted
content, so that the applicant can later prove what they deposited: anyone may recompute it
from the answers, the attachments' hashes and the amount (``submission_canonical``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext, to_locale
from django_countries import countries

from sankore.calls.models import Application, ApplicationStatus, SectionKind
from sankore.exams.pdf import pdf_write

TEMPLATE = "calls/pdf/receipt.html"
STYLESHEET = "calls/pdf/receipt.css"


def _locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def _french() -> bool:
    return _locale().startswith("fr")


def long_date(value: datetime.date) -> str:
    """« 1er mars 2027 », "March 1, 2027"."""
    text = format_date(value, format="long", locale=_locale())
    # French writes the first day of a month as an ordinal.
    if _french() and value.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]
    return text


def wall_time(value: datetime.datetime) -> str:
    """« 17 h 59 » (French typography, not in babel's data), "5:59 PM"."""
    if _french():
        return f"{value.hour} h {value.minute:02d}"
    return format_time(value, format="short", locale=_locale())


def submission_instant(*, at: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """« 15 mars 2027 à 17 h 59 (Africa/Dakar) — 17:59 UTC »: the wall clock of the call's
    zone, named, then UTC (24-hour, as everyone reads it), with its own date when the two
    days differ (a call stated in Pacific time)."""
    local = at.astimezone(zone)
    utc = at.astimezone(datetime.UTC)
    utc_text = f"{utc:%H:%M}"
    if utc.date() != local.date():
        utc_text = f"{long_date(utc.date())}, {utc_text}"
    return gettext("%(date)s à %(time)s (%(zone)s) — %(utc)s UTC") % {
        "date": long_date(local.date()),
        "time": wall_time(local),
        "zone": zone.key,
        "utc": utc_text,
    }


def money(amount: Decimal, currency: str) -> str:
    """« 45 000,00 € », "€45,000.00", « 15 000 F CFA »."""
    return format_currency(amount, currency, locale=_locale())


def size_label(size: int) -> str:
    """« 1 234 octets »: the exact size, which a rounded « 1,2 Ko » would not prove."""
    return ngettext("%(size)s octet", "%(size)s octets", size) % {
        "size": format_decimal(size, locale=_locale())
    }


def submission_canonical(*, application: Application) -> bytes:
    """The submitted content as canonical JSON: keys sorted, no spaces, UTF-8 as is. The
    files count by their SHA-256 (computed on upload), the amount as a two-decimal string
    (a float would not survive the round trip)."""
    attachments = sorted(application.attachments.values_list("section__key", "sha256"))
    payload = {
        "answers": application.answers,
        "attachments": [{"section": key, "sha256": digest} for key, digest in attachments],
        "requested_amount": f"{application.requested_amount:.2f}",
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def submission_fingerprint(*, application: Application) -> str:
    return hashlib.sha256(submission_canonical(application=application)).hexdigest()


def receipt_filename(*, application: Application) -> str:
    return f"accuse-{application.receipt_number}.pdf"


@dataclass(frozen=True)
class AttachmentLine:
    section: str
    name: str
    size: str
    sha256: str


def _submitted(application: Application) -> datetime.datetime:
    # A receipt is for a deposited dossier only: a draft's would vouch for text still moving.
    if application.status != ApplicationStatus.SUBMITTED or application.submitted_at is None:
        raise ValueError(f"application {application.pk} is not submitted")
    return application.submitted_at


def receipt_context(*, application: Application) -> dict[str, Any]:
    submitted_at = _submitted(application)
    call = application.call
    sections = list(call.sections.filter(stage=application.stage).order_by("position", "pk"))
    answered = [
        {
            "title": section.title,
            "length": ngettext("%(count)s caractère", "%(count)s caractères", len(text))
            % {"count": format_decimal(len(text), locale=_locale())},
        }
        for section in sections
        if section.kind == SectionKind.TEXT
        and (text := application.answers.get(section.key, "").strip())
    ]
    order = {section.pk: index for index, section in enumerate(sections)}
    attachments = sorted(
        application.attachments.select_related("section"),
        key=lambda a: (order.get(a.section_id, len(order)), a.pk),
    )
    tier = application.tier
    return {
        "application": application,
        "call": call,
        "programme_name": settings.SITE_NAME,
        "lead_name": application.lead.name,
        "lead_country": str(countries.name(application.lead.country)),
        "partners": [
            {
                "name": partner.institution.name,
                "role": partner.role,
                "status": partner.get_status_display(),
            }
            for partner in application.partners.select_related("institution").order_by("pk")
        ],
        "strand": application.strand.title if application.strand else "",
        "tier": (
            gettext("%(label)s (au plus %(max)s)")
            % {"label": tier.label, "max": money(tier.max_amount, call.currency)}
            if tier
            else ""
        ),
        "amount": money(application.requested_amount, call.currency),
        "submitted_at": submission_instant(at=submitted_at, zone=call.zone),
        "answered": answered,
        "attachments": [
            AttachmentLine(
                section=a.section.title,
                name=a.original_name,
                size=size_label(a.size),
                sha256=a.sha256,
            )
            for a in attachments
        ],
        "fingerprint": submission_fingerprint(application=application),
        "printed_at": submission_instant(at=timezone.now(), zone=call.zone),
    }


def receipt_html(*, application: Application) -> str:
    """The receipt's page as HTML (split from the PDF so that it can be read without laying
    it out)."""
    return render_to_string(TEMPLATE, receipt_context(application=application))


def receipt_pdf(*, application: Application) -> bytes:
    """The receipt as PDF, in the active language. ``application`` must be submitted."""
    return pdf_write(html=receipt_html(application=application), stylesheet=STYLESHEET)
