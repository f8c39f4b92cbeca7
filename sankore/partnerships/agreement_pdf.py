"""The agreement (convention) on paper: A4, in the reader's language, made on the fly from
the agreement as it is now and never stored.

It says what the parties sign: the text, its version and content hash, and the signatures
given to that version; a party that has not signed yet reads « en attente de signature ». A
draft (not yet sent for signature, or reopened) is marked as such and lists no signature.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django_countries import countries

from sankore.exams.pdf import pdf_write
from sankore.partnerships.agreements import agreement_hash
from sankore.partnerships.models import (
    Agreement,
    AgreementSignature,
    Partnership,
    PartnershipState,
)

TEMPLATE = "partnerships/pdf/agreement.html"
STYLESHEET = "partnerships/pdf/agreement.css"


def _locale() -> str:
    return (get_language() or "fr").replace("-", "_")


def long_date(value: datetime.date) -> str:
    """« 1er janvier 2027 », "January 1, 2027"."""
    locale = _locale()
    text = format_date(value, format="long", locale=locale)
    # French writes the first day of a month as an ordinal.
    if locale.startswith("fr") and value.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]
    return text


def date_time(value: datetime.datetime) -> str:
    """« 12 mars 2027 à 10:05 (UTC) », in the active time zone, named."""
    local = timezone.localtime(value)
    return gettext("%(date)s à %(time)s (%(zone)s)") % {
        "date": long_date(local.date()),
        "time": format_time(local, format="short", locale=_locale()),
        "zone": timezone.get_current_timezone_name(),
    }


def money(amount: Decimal, currency: str) -> str:
    """« 12 500,50 € », "€12,500.50", « 15 000 F CFA »."""
    return format_currency(amount, currency, locale=_locale())


@dataclass(frozen=True)
class PartyBlock:
    institution_id: int
    name: str
    country: str
    standing: str  # « établissement qui propose » or « établissement partenaire »
    role: str
    contributions: str
    budget_total: str
    signature: AgreementSignature | None
    signed_at: str


def agreement_pdf_filename(*, agreement: Agreement) -> str:
    return f"convention-{agreement.partnership_id}-v{agreement.version}.pdf"


def agreement_pdf_context(*, agreement: Agreement) -> dict[str, Any]:
    partnership: Partnership = agreement.partnership
    # The text is the one sent for signature unless it is back to the draft (or never left it).
    is_final = agreement.frozen_at is not None and partnership.state != PartnershipState.ACCEPTED
    lines = list(agreement.budget_lines.select_related("funded_by").order_by("pk"))
    totals: dict[int, Decimal] = {}
    for line in lines:
        totals[line.funded_by_id] = totals.get(line.funded_by_id, Decimal(0)) + line.amount
    signatures = (
        {
            signature.institution_id: signature
            for signature in agreement.signatures.filter(version=agreement.version)
        }
        if is_final
        else {}
    )
    standing = {
        partnership.proposer_id: gettext("établissement qui propose"),
        partnership.partner_id: gettext("établissement partenaire"),
    }
    parties = sorted(
        agreement.parties.select_related("institution"),
        key=lambda party: (party.institution_id != partnership.proposer_id, party.pk),
    )
    blocks = [
        PartyBlock(
            institution_id=party.institution_id,
            name=party.institution.name,
            country=str(countries.name(party.institution.country)),
            standing=standing.get(party.institution_id, ""),
            role=party.role,
            contributions=party.contributions,
            budget_total=money(totals.get(party.institution_id, Decimal(0)), agreement.currency),
            signature=signatures.get(party.institution_id),
            signed_at=(
                date_time(signatures[party.institution_id].signed_at)
                if party.institution_id in signatures
                else ""
            ),
        )
        for party in parties
    ]
    current_hash = agreement_hash(agreement=agreement)
    return {
        "agreement": agreement,
        "partnership": partnership,
        "is_final": is_final,
        # The text printed is the one the signatures sign (an edit behind the service's back
        # would break it: the page then says so rather than vouch for it).
        "hash_matches": is_final and current_hash == agreement.content_hash,
        "parties": blocks,
        "starts_on": long_date(agreement.starts_on),
        "ends_on": long_date(agreement.ends_on),
        "milestones": [
            {"title": m.title, "due_on": long_date(m.due_on)}
            for m in agreement.milestones.order_by("due_on", "pk")
        ],
        "budget_lines": [
            {
                "label": line.label,
                "funded_by": line.funded_by.name,
                "amount": money(line.amount, agreement.currency),
            }
            for line in lines
        ],
        "budget_total": money(sum(totals.values(), Decimal(0)), agreement.currency),
        "signed_at": date_time(partnership.signed_at) if partnership.signed_at else "",
        "printed_at": date_time(timezone.now()),
        "site_name": settings.SITE_NAME,
    }


def agreement_pdf_html(*, agreement: Agreement) -> str:
    return render_to_string(TEMPLATE, agreement_pdf_context(agreement=agreement))


def agreement_pdf_render(*, agreement: Agreement) -> bytes:
    return pdf_write(html=agreement_pdf_html(agreement=agreement), stylesheet=STYLESHEET)
