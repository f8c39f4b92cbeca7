"""Writes on a partnership's agreement (convention): the draft the parties write together
once the proposal is accepted, its freezing for signature (a SHA-256 of its canonical
content, a version number), its re-opening, and the signatures of each party's authorised
signatories — the last one makes the partnership active (ADR 0008). Each step goes through
the workflow's lock, transition table and journal in ``services``."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_signatory
from sankore.catalog.models import Licence
from sankore.core.numbers import number_parse
from sankore.institutions.models import Institution
from sankore.partnerships.models import (
    Agreement,
    AgreementBudgetLine,
    AgreementMilestone,
    AgreementParty,
    AgreementSignature,
    EventKind,
    Partnership,
    SignatureMethod,
)

# The workflow's own steps: the row lock, who acts for which party, the journal, the moves.
from sankore.partnerships.services import (
    MAX_SIGNED_PDF_BYTES,
    State,
    _locked,
    _log,
    _move,
    _party_of,
    _refuse,
)


@dataclass(frozen=True)
class PartyTerms:
    institution: Institution
    role: str
    contributions: str


@dataclass(frozen=True)
class Milestone:
    title: str
    due_on: datetime.date


@dataclass(frozen=True)
class BudgetLine:
    label: str
    funded_by: Institution
    amount: Decimal | str


def _amount(value: Decimal | str) -> Decimal:
    amount = number_parse(str(value))
    if amount is None:
        raise _refuse(_("Montant illisible : %(value)s.") % {"value": value}, "bad_amount")
    if amount < 0 or amount >= Decimal("1e10"):
        raise _refuse(
            _("Un montant est positif et inférieur à dix milliards : %(value)s.")
            % {"value": value},
            "bad_amount",
        )
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def agreement_save(
    *,
    partnership: Partnership,
    by: User,
    purpose: str,
    licence: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    parties: Sequence[PartyTerms],
    milestones: Sequence[Milestone] = (),
    budget_lines: Sequence[BudgetLine] = (),
    ip_terms: str = "",
    currency: str = "EUR",
    ip_address: str | None = None,
) -> Agreement:
    """Write the draft agreement (while the partnership is accepted, before signature)."""
    partnership = _locked(partnership)
    _party_of(partnership=partnership, by=by, institution=None)
    if partnership.state != State.ACCEPTED:
        raise _refuse(
            _("La convention se rédige une fois la proposition acceptée, avant sa signature."),
            "not_editable",
        )
    if licence not in Licence.values:
        raise _refuse(_("Licence inconnue."), "bad_licence")
    if ends_on < starts_on:
        raise _refuse(_("La fin doit suivre le début."), "bad_dates")
    named = sorted(terms.institution.pk for terms in parties)
    if named != sorted(partnership.party_ids):
        raise _refuse(
            _("Décrivez le rôle et les apports de chacun des deux établissements."), "bad_parties"
        )
    if any(not terms.role.strip() or not terms.contributions.strip() for terms in parties):
        raise _refuse(_("Chaque partie a un rôle et des apports."), "bad_parties")
    if any(line.funded_by.pk not in partnership.party_ids for line in budget_lines):
        raise _refuse(_("Une ligne budgétaire est financée par une des parties."), "bad_budget")
    amounts = [_amount(line.amount) for line in budget_lines]
    agreement = Agreement.objects.filter(partnership=partnership).first() or Agreement(
        partnership=partnership
    )
    agreement.purpose = purpose.strip()
    agreement.licence = licence
    agreement.ip_terms = ip_terms.strip()
    agreement.starts_on = starts_on
    agreement.ends_on = ends_on
    agreement.currency = currency.strip().upper() or "EUR"
    agreement.updated_at = timezone.now()
    agreement.full_clean()
    agreement.save()
    agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement,
            institution=terms.institution,
            role=terms.role.strip(),
            contributions=terms.contributions.strip(),
        )
        for terms in parties
    )
    agreement.milestones.all().delete()
    AgreementMilestone.objects.bulk_create(
        AgreementMilestone(agreement=agreement, title=m.title.strip(), due_on=m.due_on)
        for m in milestones
        if m.title.strip()
    )
    agreement.budget_lines.all().delete()
    AgreementBudgetLine.objects.bulk_create(
        AgreementBudgetLine(
            agreement=agreement, label=line.label.strip(), funded_by=line.funded_by, amount=amount
        )
        for line, amount in zip(budget_lines, amounts, strict=True)
    )
    _log(
        partnership=partnership, kind=EventKind.AGREEMENT, actor=by,
        detail={"version": agreement.version}, ip_address=ip_address,
    )  # fmt: skip
    return agreement


def agreement_content(*, agreement: Agreement) -> dict[str, Any]:
    """What the parties sign, as plain data: its hash is the one each signature records."""
    return {
        "partnership": agreement.partnership_id,
        "version": agreement.version,
        "purpose": agreement.purpose,
        "licence": agreement.licence,
        "ip_terms": agreement.ip_terms,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "currency": agreement.currency,
        "parties": [
            [party.institution_id, party.role, party.contributions]
            for party in agreement.parties.order_by("institution_id")
        ],
        "milestones": [
            [m.title, m.due_on.isoformat()] for m in agreement.milestones.order_by("due_on", "pk")
        ],
        "budget": [
            [line.label, line.funded_by_id, str(line.amount)]
            for line in agreement.budget_lines.order_by("pk")
        ],
    }


def agreement_hash(*, agreement: Agreement) -> str:
    canonical = json.dumps(
        agreement_content(agreement=agreement), sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def agreement_submit(
    *, partnership: Partnership, by: User, ip_address: str | None = None
) -> Agreement:
    """Freeze the draft and send it for signature."""
    partnership = _locked(partnership)
    _party_of(partnership=partnership, by=by, institution=None)
    agreement = Agreement.objects.filter(partnership=partnership).first()
    if agreement is None:
        raise _refuse(_("Rédigez d'abord la convention."), "no_agreement")
    if partnership.state == State.ACCEPTED and agreement.frozen_at is not None:
        # Re-opened after a first submission: what is sent now is a new version.
        agreement.version += 1
    agreement.frozen_at = timezone.now()
    agreement.save(update_fields=["version", "frozen_at"])
    agreement.content_hash = agreement_hash(agreement=agreement)
    agreement.save(update_fields=["content_hash"])
    _move(
        partnership=partnership, to=State.DRAFTED, by=by,
        detail={"version": agreement.version, "hash": agreement.content_hash},
        ip_address=ip_address,
    )  # fmt: skip
    return agreement


@transaction.atomic
def agreement_reopen(
    *, partnership: Partnership, by: User, reason: str, ip_address: str | None = None
) -> Agreement:
    """Back to the draft: the signatures given to this version no longer count."""
    partnership = _locked(partnership)
    _party_of(partnership=partnership, by=by, institution=None)
    if not reason.strip():
        raise _refuse(_("Dites pourquoi la convention est rouverte."), "empty")
    _move(
        partnership=partnership, to=State.ACCEPTED, by=by, detail={"reason": reason.strip()},
        ip_address=ip_address,
    )  # fmt: skip
    return partnership.agreement


def _is_pdf(content: bytes) -> bool:
    return content.startswith(b"%PDF-") and b"%%EOF" in content[-2048:]


@transaction.atomic
def agreement_sign(
    *,
    partnership: Partnership,
    by: User,
    institution: Institution,
    signed_name: str,
    signed_function: str,
    signed_pdf: bytes | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> AgreementSignature:
    """One party's signature of the version out for signature, by one of its authorised
    signatories: a click (with their name and function) or the signed PDF. The last one
    makes the partnership active."""
    partnership = _locked(partnership)
    if institution.pk not in partnership.party_ids:
        raise _refuse(_("Cet établissement n'est pas partie au partenariat."), "not_a_party")
    if not user_is_signatory(user=by, institution_id=institution.pk):
        raise _refuse(
            _("Seul un signataire autorisé de l'établissement signe la convention."),
            "not_a_signatory",
        )
    if partnership.state != State.DRAFTED:
        raise _refuse(_("Aucune convention n'attend de signature."), "not_for_signature")
    if not signed_name.strip() or not signed_function.strip():
        raise _refuse(_("Indiquez votre nom et votre fonction."), "empty")
    agreement = Agreement.objects.select_for_update().get(partnership=partnership)
    if agreement_hash(agreement=agreement) != agreement.content_hash:
        raise _refuse(_("La convention a changé depuis son envoi : rouvrez-la."), "changed")
    signature = AgreementSignature(
        agreement=agreement, institution=institution, version=agreement.version,
        content_hash=agreement.content_hash, signed_by=by, signed_name=signed_name.strip(),
        signed_function=signed_function.strip(), ip_address=ip_address,
        user_agent=user_agent[:300], method=SignatureMethod.CLICK,
    )  # fmt: skip
    if signed_pdf is not None:
        if len(signed_pdf) > MAX_SIGNED_PDF_BYTES:
            raise _refuse(_("Fichier trop volumineux (10 Mo au plus)."), "too_large")
        if not _is_pdf(signed_pdf):
            raise _refuse(_("Le fichier déposé n'est pas un PDF."), "not_pdf")
        signature.method = SignatureMethod.UPLOAD
        signature.signed_file_sha256 = hashlib.sha256(signed_pdf).hexdigest()
        signature.signed_file.save(
            f"convention-{partnership.pk}-v{agreement.version}-{institution.pk}.pdf",
            ContentFile(signed_pdf),
            save=False,
        )
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise _refuse(
            _("Cet établissement a déjà signé cette version de la convention."), "already_signed"
        ) from None
    _log(
        partnership=partnership, kind=EventKind.SIGNATURE, actor=by,
        detail={
            "institution": institution.pk, "version": agreement.version,
            "hash": agreement.content_hash, "method": signature.method,
            "file_sha256": signature.signed_file_sha256,
        },
        ip_address=ip_address,
    )  # fmt: skip
    signed = set(
        AgreementSignature.objects.filter(
            agreement=agreement, version=agreement.version
        ).values_list("institution_id", flat=True)
    )
    if signed >= set(partnership.party_ids):
        _move(
            partnership=partnership, to=State.ACTIVE, by=by,
            detail={"version": agreement.version}, ip_address=ip_address,
        )  # fmt: skip
    return signature
