"""Writes of a call's parts while it is in preparation (programme staff): its strands, its
funding tiers, its dossier's sections and its evaluation grid. Each write takes the call's row
lock, refuses a call no longer a draft, and is journaled; a part still in use is never
deleted (a clear refusal, not a database error)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Model, ProtectedError, QuerySet
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.calls.models import (
    Call,
    CallStatus,
    Criterion,
    DossierSection,
    FundingTier,
    SectionKind,
    Strand,
)
from sankore.calls.services import (
    CONTENT_TYPES,
    MAX_POSITION,
    MAX_TEXT_LENGTH,
    MAX_UPLOAD_BYTES,
    _locked_call,
    _log,
    _money,
    _money_text,
    _programme_only,
    _refuse,
    _validated,
)

Part = TypeVar("Part", Strand, FundingTier, DossierSection, Criterion)


def _editable(call_pk: int, by: User) -> Call:
    """The call under its row lock, once ``by`` is of the programme's staff and the call a
    draft: a published call's strands, tiers, dossier and grid are what applicants and
    reviewers work on."""
    _programme_only(by)
    current = _locked_call(call_pk)
    if current.status != CallStatus.DRAFT:
        raise _refuse(
            _("L'appel est publié : ses volets, paliers, rubriques et critères ne changent plus.")
            if current.status == CallStatus.PUBLISHED
            else _("Un appel archivé ne se modifie plus."),
            "frozen",
        )
    return current


def _part_of(call: Call, model: type[Part], part: Part | None) -> Part:
    """A new part of ``call``, or ``part`` read again, once known to be of ``call``."""
    if part is None:
        return model(call=call)
    found = model._default_manager.filter(pk=part.pk, call=call).first()
    if found is None:
        raise _refuse(_("Cet élément n'est pas de cet appel."), "not_in_call")
    return found


def _position(position: int | None, *, siblings: QuerySet[Any], current: int | None) -> int:
    """The place given, else the current one, else the last."""
    if position is None:
        if current is not None:
            return current
        last = siblings.aggregate(last=Max("position"))["last"]
        return 0 if last is None else min(last + 1, MAX_POSITION)
    if not 0 <= position <= MAX_POSITION:
        raise _refuse(_("L'ordre va de 0 à %(max)s.") % {"max": MAX_POSITION}, "bad_position")
    return position


def _key(*, key: str, title: str, taken: QuerySet[Any], current: str, fallback: str) -> str:
    """A section's or a criterion's key: the one given (refused when another part of the call
    has it), else the current one, else one deduced from the title (numbered if taken)."""
    key = key.strip()
    keys = set(taken.values_list("key", flat=True))
    if key:
        if slugify(key) != key or len(key) > 40:
            raise _refuse(
                _("La clé s'écrit en minuscules, chiffres et tirets (40 signes au plus)."),
                "bad_key",
            )
        if key in keys:
            raise _refuse(
                _("La clé « %(key)s » est déjà prise dans cet appel.") % {"key": key}, "bad_key"
            )
        return key
    if current:
        return current
    base = slugify(title)[:36].strip("-") or fallback
    candidate, n = base, 1
    while candidate in keys:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _part_delete(part: Model, in_use: StrOrPromise) -> None:
    try:
        with transaction.atomic():
            part.delete()
    except ProtectedError:
        raise _refuse(in_use, "in_use") from None


@transaction.atomic
def strand_save(
    *, call: Call, by: User, title: str, description: str = "", position: int | None = None,
    strand: Strand | None = None,
) -> Strand:  # fmt: skip
    """Add a strand to a draft call, or change ``strand``."""
    current = _editable(call.pk, by)
    part = _part_of(current, Strand, strand)
    created = part.pk is None
    part.title, part.description = title.strip(), description.strip()
    if not part.title:
        raise _refuse(_("Donnez un intitulé au volet."), "empty")
    part.position = _position(
        position, siblings=current.strands.all(), current=None if created else part.position
    )
    _validated(part)
    part.save()
    _log(
        call=current, action="strand_added" if created else "strand_changed", actor=by,
        strand=part.pk,
    )  # fmt: skip
    return part


@transaction.atomic
def strand_delete(*, strand: Strand, by: User) -> None:
    current = _editable(strand.call_id, by)
    part = _part_of(current, Strand, strand)
    pk = part.pk
    _part_delete(part, _("Des candidatures ont choisi ce volet : il ne se supprime pas."))
    _log(call=current, action="strand_deleted", actor=by, strand=pk)


@transaction.atomic
def tier_save(
    *, call: Call, by: User, label: str, max_amount: Decimal | str,
    tier: FundingTier | None = None,
) -> FundingTier:  # fmt: skip
    """Add a funding tier to a draft call, or change ``tier``: an amount above zero, within
    the call's envelope."""
    current = _editable(call.pk, by)
    part = _part_of(current, FundingTier, tier)
    created = part.pk is None
    part.label = label.strip()
    if not part.label:
        raise _refuse(_("Nommez le palier."), "empty")
    amount = _money(max_amount)
    if amount <= 0:
        raise _refuse(_("Le montant maximal d'un palier est supérieur à zéro."), "bad_amount")
    if amount > current.total_budget:
        raise _refuse(
            _("Un palier ne dépasse pas l'enveloppe de l'appel (%(budget)s).")
            % {"budget": _money_text(current.total_budget, current.currency)},
            "bad_amount",
        )
    part.max_amount = amount
    _validated(part)
    part.save()
    _log(
        call=current, action="tier_added" if created else "tier_changed", actor=by,
        tier=part.pk, amount=str(amount),
    )  # fmt: skip
    return part


@transaction.atomic
def tier_delete(*, tier: FundingTier, by: User) -> None:
    current = _editable(tier.call_id, by)
    part = _part_of(current, FundingTier, tier)
    pk = part.pk
    _part_delete(part, _("Des candidatures demandent ce palier : il ne se supprime pas."))
    _log(call=current, action="tier_deleted", actor=by, tier=pk)


@transaction.atomic
def section_save(
    *,
    call: Call,
    by: User,
    title: str,
    kind: str = SectionKind.TEXT,
    key: str = "",
    help_text: str = "",
    required: bool = True,
    max_length: int = 5000,
    accepted_types: Sequence[str] = (),
    max_bytes: int = 5 * 1024 * 1024,
    stage: int = 1,
    position: int | None = None,
    section: DossierSection | None = None,
) -> DossierSection:
    """Add a section to a draft call's dossier, or change ``section``: a text (with its length
    limit) or an attachment (its accepted types, among ``CONTENT_TYPES``, and its size). Its
    key, unique in the call, is deduced from the title when empty."""
    current = _editable(call.pk, by)
    part = _part_of(current, DossierSection, section)
    created = part.pk is None
    part.title, part.help_text = title.strip(), help_text.strip()
    if not part.title:
        raise _refuse(_("Donnez un intitulé à la rubrique."), "empty")
    if kind not in SectionKind.values:
        raise _refuse(_("Type de rubrique inconnu : %(kind)s.") % {"kind": kind}, "bad_kind")
    if stage not in (1, 2) or (stage == 2 and not current.two_stages):
        raise _refuse(
            _("Seul un appel en deux temps a des rubriques pour la seconde étape."), "bad_stage"
        )
    if kind == SectionKind.TEXT:
        if not 1 <= max_length <= MAX_TEXT_LENGTH:
            raise _refuse(
                _("Un texte du dossier tient en 1 à %(max)s caractères.")
                % {"max": number_format(MAX_TEXT_LENGTH, force_grouping=True)},
                "bad_length",
            )
        part.max_length, part.accepted_types = max_length, []
    else:
        unknown = [t for t in accepted_types if t not in CONTENT_TYPES]
        if unknown:
            raise _refuse(
                _("Type de fichier inconnu : %(type)s.") % {"type": unknown[0]}, "bad_types"
            )
        chosen = set(accepted_types)
        part.accepted_types = [t for t in CONTENT_TYPES if t in chosen]
        if not part.accepted_types:
            raise _refuse(_("Cochez au moins un type de fichier accepté."), "bad_types")
        if not 1 <= max_bytes <= MAX_UPLOAD_BYTES:
            raise _refuse(
                _("Une pièce jointe pèse au plus %(max)s Mo.")
                % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)},
                "bad_size",
            )
        part.max_bytes = max_bytes
    part.kind, part.required, part.stage = kind, bool(required), stage
    part.key = _key(
        key=key, title=part.title, taken=current.sections.exclude(pk=part.pk),
        current="" if created else part.key, fallback="rubrique",
    )  # fmt: skip
    part.position = _position(
        position, siblings=current.sections.all(), current=None if created else part.position
    )
    _validated(part)
    part.save()
    _log(
        call=current, action="section_added" if created else "section_changed", actor=by,
        section=part.key,
    )  # fmt: skip
    return part


@transaction.atomic
def section_delete(*, section: DossierSection, by: User) -> None:
    current = _editable(section.call_id, by)
    part = _part_of(current, DossierSection, section)
    key = part.key
    _part_delete(part, _("Des candidatures y ont joint des fichiers : la rubrique reste."))
    _log(call=current, action="section_deleted", actor=by, section=key)


@transaction.atomic
def criterion_save(
    *, call: Call, by: User, title: str, weight: int, scale_max: int = 5, key: str = "",
    description: str = "", position: int | None = None, criterion: Criterion | None = None,
) -> Criterion:  # fmt: skip
    """Add a criterion to a draft call's grid, or change ``criterion``: a weight and a maximal
    score from 1 to 100 (the weights need not add up to 100: only their ratios count)."""
    current = _editable(call.pk, by)
    part = _part_of(current, Criterion, criterion)
    created = part.pk is None
    part.title, part.description = title.strip(), description.strip()
    if not part.title:
        raise _refuse(_("Donnez un intitulé au critère."), "empty")
    if not 1 <= weight <= 100:
        raise _refuse(_("Le poids d'un critère va de 1 à 100."), "bad_weight")
    if not 1 <= scale_max <= 100:
        raise _refuse(_("La note maximale d'un critère va de 1 à 100."), "bad_scale")
    part.weight, part.scale_max = weight, scale_max
    part.key = _key(
        key=key, title=part.title, taken=current.criteria.exclude(pk=part.pk),
        current="" if created else part.key, fallback="critere",
    )  # fmt: skip
    part.position = _position(
        position, siblings=current.criteria.all(), current=None if created else part.position
    )
    _validated(part)
    part.save()
    _log(
        call=current, action="criterion_added" if created else "criterion_changed", actor=by,
        criterion=part.key, weight=weight,
    )  # fmt: skip
    return part


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by: User) -> None:
    current = _editable(criterion.call_id, by)
    part = _part_of(current, Criterion, criterion)
    key = part.key
    _part_delete(part, _("Ce critère est en usage : il ne se supprime pas."))
    _log(call=current, action="criterion_deleted", actor=by, criterion=key)
