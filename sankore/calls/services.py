"""Writes of the calls for projects: a call (programme staff; its strands, tiers, dossier and
grid are in ``call_parts``), an application's life (institution staff): draft saved as it is
typed, partners who confirm, files checked by their content, the eligibility check, the
submission before the deadline, the withdrawal.

The deadline is the server's clock, read when the submission's transaction is about to
commit: a request that started before the closing instant and ends after it is refused
(nothing of it is kept).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_institution_staff, user_is_programme_staff
from sankore.calls.models import (
    DEFAULT_GRID,
    Application,
    ApplicationPartner,
    ApplicationStatus,
    Attachment,
    Call,
    CallEvent,
    CallStatus,
    Criterion,
    DossierSection,
    PartnerStatus,
    SectionKind,
)
from sankore.catalog.models import Discipline, Language
from sankore.core.errors import ServiceError
from sankore.core.numbers import number_parse
from sankore.core.uploads import file_check
from sankore.institutions.geography import Hemisphere, Region
from sankore.institutions.models import TIME_ZONE_CHOICES, Institution, InstitutionKind

# The dossier every call starts with (staff may change it before publishing).
DEFAULT_SECTIONS: tuple[tuple[str, str, str, int], ...] = (
    ("resume", "Résumé", SectionKind.TEXT, 1500),
    ("objectifs", "Objectifs", SectionKind.TEXT, 3000),
    ("public", "Public visé", SectionKind.TEXT, 2000),
    ("equipe", "Équipe", SectionKind.TEXT, 3000),
    ("calendrier", "Calendrier", SectionKind.TEXT, 2000),
    ("modele-economique", "Pérennité et modèle économique", SectionKind.TEXT, 3000),
    ("budget", "Tableau budgétaire", SectionKind.ATTACHMENT, 0),
    ("lettres-engagement", "Lettres d'engagement des partenaires", SectionKind.ATTACHMENT, 0),
)
MAX_AMOUNT = Decimal("1e10")
# The content type stored for each kind ``core.uploads.file_check`` recognises.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}


class CallError(ServiceError):
    pass


class DeadlinePassedError(CallError):
    pass


def _refuse(message: StrOrPromise, code: str) -> CallError:
    return CallError(message, code=code)


def _log(
    *, call: Call, action: str, actor: User | None, application: Application | None = None,
    **detail: Any,
) -> None:  # fmt: skip
    CallEvent.objects.create(
        call=call, application=application, action=action, actor=actor, detail=detail
    )


# --- Calls (programme staff) -----------------------------------------------------------------

# The first segments of the calls' addresses (``calls/urls.py``) other than a call's slug: a
# call named like one of them would be hidden behind that page. A test keeps them in step.
RESERVED_SLUGS = frozenset(
    {"programme", "mes-candidatures", "candidatures", "expertise", "evaluations", "pieces"}
)
# What ``call_update`` changes, in the order of the page (its refusals name them so).
CALL_FIELDS_ORDER: tuple[str, ...] = (
    "title", "slug", "description", "members_only", "southern_lead_required",
    "partner_required", "regions", "institution_kinds", "currency", "total_budget",
    "time_zone", "opens_at", "closes_at", "full_proposal_closes_at", "review_ends_at",
    "results_on", "reviewers_per_application", "disagreement_threshold", "normalise_scores",
    "two_stages",
)  # fmt: skip
CALL_FIELDS = frozenset(CALL_FIELDS_ORDER)
# Once published, a call's rules are what applicants read and build on: only these still
# change, and the closing instant only later (an extension).
EDITABLE_ONCE_PUBLISHED = frozenset(
    {
        "description", "closes_at", "full_proposal_closes_at", "review_ends_at", "results_on",
        "reviewers_per_application", "disagreement_threshold", "normalise_scores",
    }
)  # fmt: skip
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_TEXT_LENGTH = 100_000
MAX_POSITION = 999
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ZONES = frozenset(name for name, _label in TIME_ZONE_CHOICES)
_CENT = Decimal("0.01")


def _programme_only(by: User) -> None:
    if not user_is_programme_staff(user=by):
        raise _refuse(_("Seule l'équipe du programme gère les appels à projets."), "not_allowed")


def _field_label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


def _validated(instance: Model) -> None:
    """The model's own checks (choices, lengths, constraints), a refusal rather than a 500."""
    try:
        instance.full_clean()
    except ValidationError as error:
        name, texts = next(iter(error.message_dict.items()))
        label = "" if name == NON_FIELD_ERRORS else _field_label(type(instance), name)
        raise _refuse(f"{label} : {texts[0]}" if label else texts[0], "invalid") from None


def _choices(values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise _refuse(_("Valeur inconnue : %(value)s.") % {"value": unknown[0]}, "bad_choice")
    chosen = set(values)
    return [value for value in allowed if value in chosen]


def _money(value: Decimal | str) -> Decimal:
    """An amount typed in French or English (« 12 500,50 »), in cents, under ten billion."""
    amount = number_parse(str(value))
    if amount is None:
        raise _refuse(_("Montant illisible : %(value)s.") % {"value": value}, "bad_amount")
    if amount < 0 or amount >= MAX_AMOUNT:
        raise _refuse(_("Un montant est positif et inférieur à dix milliards."), "bad_amount")
    if amount != amount.quantize(_CENT):
        raise _refuse(_("Un montant s'écrit au centime près."), "bad_amount")
    return amount.quantize(_CENT)


def _money_text(amount: Decimal, currency: str) -> str:
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)} {currency}"


def _slug_check(slug: str, *, call_pk: int | None) -> str:
    if slug in RESERVED_SLUGS:
        raise _refuse(
            _("« %(slug)s » est le nom d'une page du site : choisissez un autre identifiant.")
            % {"slug": slug},
            "bad_slug",
        )
    if slugify(slug) != slug or len(slug) > 80:
        raise _refuse(
            _("L'identifiant d'URL s'écrit en minuscules, chiffres et tirets (80 signes au plus)."),
            "bad_slug",
        )
    others = Call.objects.filter(slug=slug)
    if call_pk is not None:
        others = others.exclude(pk=call_pk)
    if others.exists():
        raise _refuse(
            _("Un autre appel a déjà l'identifiant « %(slug)s ».") % {"slug": slug}, "bad_slug"
        )
    return slug


def _free_slug(title: str) -> str:
    base = slugify(title)[:60] or "appel"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Call.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _call_check(call: Call) -> None:
    """What a call keeps true in every state: a title, a known time zone, a timeline in order
    (opening, closing, end of the review; the results after the closing day), an envelope in
    cents, a currency code, review settings in range; then the model's own checks."""
    if not call.title:
        raise _refuse(_("Donnez un intitulé à l'appel."), "empty")
    if call.time_zone not in _ZONES:
        raise _refuse(
            _("Fuseau horaire inconnu : %(zone)s.") % {"zone": call.time_zone}, "bad_zone"
        )
    if not call.opens_at < call.closes_at <= call.review_ends_at:
        raise _refuse(
            _("Le calendrier va de l'ouverture à la clôture, puis à la fin de l'évaluation."),
            "bad_timeline",
        )
    if not call.two_stages:
        call.full_proposal_closes_at = None
    elif call.full_proposal_closes_at is None or not (
        call.closes_at < call.full_proposal_closes_at <= call.review_ends_at
    ):
        raise _refuse(
            _(
                "En deux temps, les propositions complètes se déposent après la clôture des "
                "lettres d'intention et avant la fin de l'évaluation."
            ),
            "bad_full_proposal",
        )
    closing_day = timezone.localtime(call.review_starts_at, call.zone).date()
    if call.results_on <= closing_day:
        raise _refuse(
            _("Les résultats sont annoncés après le jour de la clôture (le %(day)s).")
            % {"day": date_format(closing_day, "DATE_FORMAT")},
            "bad_results",
        )
    if call.total_budget < 0:
        raise _refuse(_("L'enveloppe est positive."), "bad_amount")
    if not _CURRENCY.match(call.currency):
        raise _refuse(
            _("La devise s'écrit par son code de trois lettres : EUR, XOF, XAF, USD…"),
            "bad_currency",
        )
    if not 1 <= call.reviewers_per_application <= 6:
        raise _refuse(_("Un appel demande de 1 à 6 experts par candidature."), "bad_reviewers")
    if not 0 <= call.disagreement_threshold <= 100:
        raise _refuse(_("Le seuil de désaccord va de 0 à 100 points."), "bad_threshold")
    _validated(call)


@transaction.atomic
def call_create(
    *,
    by: User,
    title: str,
    description: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    review_ends_at: datetime.datetime,
    results_on: datetime.date,
    total_budget: Decimal | str,
    time_zone: str = "Europe/Paris",
    currency: str = "EUR",
    regions: Sequence[str] = (),
    institution_kinds: Sequence[str] = (),
    members_only: bool = True,
    southern_lead_required: bool = True,
    partner_required: bool = False,
    reviewers_per_application: int = 2,
    two_stages: bool = False,
    full_proposal_closes_at: datetime.datetime | None = None,
    disagreement_threshold: int = 15,
    normalise_scores: bool = False,
    slug: str = "",
) -> Call:
    """A call in preparation, with the programme's default grid and dossier. Its ``slug`` (its
    address) is deduced from the title when empty; the words of the site's own pages are
    refused (``RESERVED_SLUGS``)."""
    _programme_only(by)
    regions = _choices(regions, Region.values)
    institution_kinds = _choices(institution_kinds, InstitutionKind.values)
    slug = slug.strip()
    call = Call(
        title=title.strip(), description=description.strip(), opens_at=opens_at,
        slug=_slug_check(slug, call_pk=None) if slug else _free_slug(title),
        closes_at=closes_at, review_ends_at=review_ends_at, results_on=results_on,
        total_budget=_money(total_budget), time_zone=time_zone,
        currency=currency.strip().upper(), regions=regions, institution_kinds=institution_kinds,
        members_only=members_only, southern_lead_required=southern_lead_required,
        partner_required=partner_required, reviewers_per_application=reviewers_per_application,
        two_stages=two_stages, full_proposal_closes_at=full_proposal_closes_at,
        disagreement_threshold=disagreement_threshold,
        normalise_scores=normalise_scores, created_by=by,
    )  # fmt: skip
    _call_check(call)
    call.save()
    Criterion.objects.bulk_create(
        Criterion(call=call, key=key, title=title, weight=weight, position=index)
        for index, (key, title, weight) in enumerate(DEFAULT_GRID)
    )
    DossierSection.objects.bulk_create(
        DossierSection(
            call=call,
            key=key,
            title=section_title,
            kind=kind,
            position=index,
            max_length=max_length or 5000,
            accepted_types=["pdf"] if kind == SectionKind.ATTACHMENT else [],
            required=key != "lettres-engagement" or partner_required,
        )
        for index, (key, section_title, kind, max_length) in enumerate(DEFAULT_SECTIONS)
    )
    _log(call=call, action="call_created", actor=by)
    return call


def _locked_call(call_pk: int) -> Call:
    return Call.objects.select_for_update().get(pk=call_pk)


def _normalised(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    for name in ("title", "description", "slug"):
        if name in values:
            values[name] = str(values[name]).strip()
    if not values.get("slug", "x"):
        del values["slug"]  # an empty address keeps the current one
    if "currency" in values:
        values["currency"] = str(values["currency"]).strip().upper()
    if "regions" in values:
        values["regions"] = _choices(values["regions"], Region.values)
    if "institution_kinds" in values:
        values["institution_kinds"] = _choices(values["institution_kinds"], InstitutionKind.values)
    if "total_budget" in values:
        values["total_budget"] = _money(values["total_budget"])
    return values


def _same(name: str, old: Any, new: Any) -> bool:
    if name in ("regions", "institution_kinds"):
        return sorted(old or []) == sorted(new or [])
    return bool(old == new)


@transaction.atomic
def call_update(*, call: Call, by: User, **fields: Any) -> Call:
    """Change a call's fields (those of ``CALL_FIELDS``), with the checks of ``call_create``.
    While the call is a draft everything may change. Once published, only what does not
    change the rules applicants work by (``EDITABLE_ONCE_PUBLISHED``), and the closing
    instant only later: an extension, journaled apart. Anything else is refused, and then
    nothing is written. An archived call no longer changes."""
    _programme_only(by)
    unexpected = set(fields) - CALL_FIELDS
    if unexpected:
        raise TypeError(f"call_update() got unexpected fields: {', '.join(sorted(unexpected))}")
    current = _locked_call(call.pk)
    if current.status == CallStatus.ARCHIVED:
        raise _refuse(_("Un appel archivé ne se modifie plus."), "archived")
    changed = {
        name: value
        for name, value in _normalised(fields).items()
        if not _same(name, getattr(current, name), value)
    }
    if not changed:
        return current
    previous_closing = current.closes_at
    previous_full_closing = current.full_proposal_closes_at
    if current.status == CallStatus.PUBLISHED:
        frozen = [
            name
            for name in CALL_FIELDS_ORDER
            if name in changed and name not in EDITABLE_ONCE_PUBLISHED
        ]
        if frozen:
            raise _refuse(
                _(
                    "L'appel est publié : ces réglages restent tels quels : %(fields)s. "
                    "Seuls changent encore la présentation, la fin de l'évaluation, la date "
                    "des résultats, le nombre d'experts et le réglage des notes ; la clôture "
                    "peut être reportée."
                )
                % {"fields": ", ".join(f"« {_field_label(Call, name)} »" for name in frozen)},
                "frozen",
            )
        if "closes_at" in changed and changed["closes_at"] < previous_closing:
            raise _refuse(
                _("L'appel est publié : sa clôture peut être reportée, pas avancée."),
                "closing_earlier",
            )
        # Once passed, a closing stays: reopening would undo what followed it (reviews,
        # decisions) and let applications be withdrawn after their review.
        moment = timezone.now()
        for name, before in (
            ("closes_at", previous_closing),
            ("full_proposal_closes_at", previous_full_closing),
        ):
            after = changed.get(name, before)
            if before is None or after == before:
                continue
            if before <= moment or after is None or after < before:
                raise _refuse(
                    _("Une clôture passée ne change plus ; une clôture à venir peut être "
                      "reportée, pas avancée."),
                    "closing_earlier",
                )  # fmt: skip
    if "slug" in changed:
        _slug_check(changed["slug"], call_pk=current.pk)
    if changed.get("two_stages") is False and current.sections.filter(stage=2).exists():
        raise _refuse(
            _("Des rubriques sont de la seconde étape : changez-les avant d'en finir avec les "
              "deux temps."),
            "stage_sections",
        )  # fmt: skip
    for name, value in changed.items():
        setattr(current, name, value)
    _call_check(current)
    largest = current.tiers.aggregate(largest=Max("max_amount"))["largest"]
    if largest is not None and current.total_budget < largest:
        raise _refuse(
            _("L'enveloppe ne peut pas être inférieure au plus grand palier (%(amount)s).")
            % {"amount": _money_text(largest, current.currency)},
            "bad_amount",
        )
    current.save(update_fields=list(changed))
    _log(call=current, action="call_updated", actor=by, fields=sorted(changed))
    if current.status == CallStatus.PUBLISHED and "closes_at" in changed:
        _log(
            call=current, action="call_extended", actor=by,
            previous=previous_closing.isoformat(), closes_at=current.closes_at.isoformat(),
        )  # fmt: skip
    return current


@transaction.atomic
def call_publish(*, call: Call, by: User) -> Call:
    """Open a draft call to applications (from its opening instant): it needs a grid and a
    dossier (in a two-stage call, sections for the second stage too)."""
    _programme_only(by)
    current = _locked_call(call.pk)
    if current.status != CallStatus.DRAFT:
        raise _refuse(
            _("Cet appel est déjà publié.")
            if current.status == CallStatus.PUBLISHED
            else _("Un appel archivé ne se publie plus."),
            "not_a_draft",
        )
    if not current.criteria.exists():
        raise _refuse(_("Un appel publié a une grille d'évaluation."), "no_grid")
    if not current.sections.exists():
        raise _refuse(
            _("Un appel publié a un dossier : ajoutez-y au moins une rubrique."), "no_dossier"
        )
    if current.two_stages and not current.sections.filter(stage=2).exists():
        raise _refuse(
            _("Un appel en deux temps a des rubriques pour la seconde étape (la proposition "
              "complète)."),
            "no_second_stage",
        )  # fmt: skip
    Call.objects.filter(pk=call.pk).update(status=CallStatus.PUBLISHED)
    call.status = CallStatus.PUBLISHED
    _log(call=call, action="call_published", actor=by)
    return call


@transaction.atomic
def call_archive(*, call: Call, by: User) -> Call:
    """Take a call off the public pages once it is over (or a draft given up); its
    applications, reviews and journal stay."""
    _programme_only(by)
    current = _locked_call(call.pk)
    if current.status == CallStatus.ARCHIVED:
        raise _refuse(_("Cet appel est déjà archivé."), "already_archived")
    if current.is_open():
        raise _refuse(
            _("L'appel est ouvert aux candidatures : archivez-le après sa clôture."), "still_open"
        )
    previous = current.status
    Call.objects.filter(pk=call.pk).update(status=CallStatus.ARCHIVED)
    call.status = CallStatus.ARCHIVED
    _log(call=call, action="call_archived", actor=by, previous=previous)
    return call


# --- Eligibility -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[StrOrPromise, ...]  # why not, one line each (empty when eligible)


def eligibility_check(
    *, call: Call, lead: Institution, partners: Sequence[Institution]
) -> Eligibility:
    """The call's rules applied to a lead institution and its (confirmed) partners."""
    reasons: list[StrOrPromise] = []
    if call.members_only and not lead.is_member:
        reasons.append(_("Le porteur doit être membre du réseau."))
    if call.regions and lead.region not in call.regions:
        reasons.append(_("Le porteur n'est pas d'une des régions de l'appel."))
    if call.institution_kinds and lead.kind not in call.institution_kinds:
        reasons.append(
            _("Un établissement de type « %(kind)s » ne peut pas porter de projet dans cet appel.")
            % {"kind": lead.get_kind_display()}
        )
    if call.southern_lead_required and lead.hemisphere != Hemisphere.SOUTH:
        reasons.append(_("Le porteur doit être un établissement du Sud."))
    if call.partner_required and not partners:
        reasons.append(_("Il faut au moins un établissement partenaire qui a confirmé."))
    return Eligibility(eligible=not reasons, reasons=tuple(reasons))


def application_eligibility(*, application: Application) -> Eligibility:
    partners = [
        p.institution
        for p in application.partners.select_related("institution").filter(
            status=PartnerStatus.CONFIRMED
        )
    ]
    return eligibility_check(call=application.call, lead=application.lead, partners=partners)


# --- Applications (institution staff) --------------------------------------------------------


def _lead_staff_only(*, by: User, lead: Institution) -> None:
    if not user_is_institution_staff(user=by, institution_id=lead.pk):
        raise _refuse(
            _("Seul le personnel de l'établissement porteur modifie sa candidature."),
            "not_allowed",
        )


def _locked_for_lead(application: Application, by: User) -> Application:
    """The application under its row lock, once ``by`` is known to be of its lead's staff."""
    current = (
        Application.objects.select_for_update()
        .select_related("call", "lead")
        .get(pk=application.pk)
    )
    _lead_staff_only(by=by, lead=current.lead)
    return current


def _still_a_draft(application: Application, moment: datetime.datetime) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise _refuse(_("Cette candidature n'est plus un brouillon."), "not_a_draft")
    if moment >= application.deadline:
        raise DeadlinePassedError(
            _("L'appel est clos depuis le %(date)s : la candidature ne se modifie plus.")
            % {
                "date": date_format(
                    timezone.localtime(application.deadline, application.call.zone),
                    "DATETIME_FORMAT",
                )
            },
            code="deadline_passed",
        )


@transaction.atomic
def application_create(
    *, call: Call, lead: Institution, by: User, title: str, now: datetime.datetime | None = None
) -> Application:
    moment = timezone.now() if now is None else now
    _lead_staff_only(by=by, lead=lead)
    if not call.is_open(moment):
        raise _refuse(_("Cet appel n'est pas ouvert aux candidatures."), "call_not_open")
    if not title.strip():
        raise _refuse(_("Donnez un titre au projet."), "empty")
    application = Application.objects.create(
        call=call, lead=lead, title=title.strip(), created_by=by, updated_at=moment
    )
    _log(call=call, application=application, action="application_created", actor=by)
    return application


def _amount(value: Decimal | str) -> Decimal:
    amount = number_parse(str(value))
    if amount is None:
        raise _refuse(_("Montant illisible : %(value)s.") % {"value": value}, "bad_amount")
    if amount < 0 or amount >= MAX_AMOUNT:
        raise _refuse(
            _("Un montant demandé est positif et inférieur à dix milliards."), "bad_amount"
        )
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Saved:
    application: Application
    revision: int


@transaction.atomic
def application_save(
    *,
    application: Application,
    by: User,
    revision: int,
    answers: Mapping[str, str] | None = None,
    title: str | None = None,
    requested_amount: Decimal | str | None = None,
    tier_id: int | None = None,
    strand_id: int | None = None,
    discipline_ids: Sequence[int] | None = None,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> Saved:
    """Save a draft (the page saves it as it is typed). ``revision`` is the one the page
    loaded: a save from an older tab is refused rather than overwriting newer text. The
    disciplines and the language are what the reviewers' expertise is matched on."""
    moment = timezone.now() if now is None else now
    current = _locked_for_lead(application, by)
    _still_a_draft(current, moment)
    if revision != current.revision:
        raise _refuse(
            _("La candidature a été modifiée ailleurs entre-temps : rechargez la page."),
            "stale_revision",
        )
    sections = {s.key: s for s in current.call.sections.filter(kind=SectionKind.TEXT)}
    if answers is not None:
        unknown = [key for key in answers if key not in sections]
        if unknown:
            raise _refuse(_("Rubrique inconnue : %(key)s.") % {"key": unknown[0]}, "bad_section")
        for key, text in answers.items():
            if len(text) > sections[key].max_length:
                raise _refuse(
                    _("« %(title)s » tient en %(max)s caractères.")
                    % {"title": sections[key].title, "max": sections[key].max_length},
                    "too_long",
                )
        current.answers = {**current.answers, **{k: v.strip() for k, v in answers.items()}}
    if title is not None:
        if not title.strip():
            raise _refuse(_("Donnez un titre au projet."), "empty")
        current.title = title.strip()[:200]
    if requested_amount is not None:
        current.requested_amount = _amount(requested_amount)
    if tier_id is not None:
        tier = current.call.tiers.filter(pk=tier_id).first()
        if tier is None:
            raise _refuse(_("Palier inconnu."), "bad_tier")
        current.tier = tier
    if strand_id is not None:
        strand = current.call.strands.filter(pk=strand_id).first()
        if strand is None:
            raise _refuse(_("Volet inconnu."), "bad_strand")
        current.strand = strand
    if language is not None:
        if not Language.objects.filter(code=language).exists():
            raise _refuse(_("Langue inconnue."), "bad_language")
        current.language = language
    if discipline_ids is not None:
        chosen = list(Discipline.objects.filter(pk__in=list(discipline_ids)))
        if len(chosen) != len(set(discipline_ids)):
            raise _refuse(_("Discipline inconnue."), "bad_discipline")
        if len(chosen) > 5:
            raise _refuse(_("Cinq disciplines au plus."), "too_many_disciplines")
        current.disciplines.set(chosen)
    if current.tier is not None and current.requested_amount > current.tier.max_amount:
        raise _refuse(
            _("Le palier « %(tier)s » finance au plus %(max)s.")
            % {"tier": current.tier.label, "max": current.tier.max_amount},
            "above_tier",
        )
    current.revision = F("revision") + 1
    current.updated_at = moment
    current.save()
    current.refresh_from_db(fields=["revision"])
    return Saved(application=current, revision=current.revision)


@transaction.atomic
def application_partner_add(
    *, application: Application, by: User, institution: Institution, role: str,
    now: datetime.datetime | None = None,
) -> ApplicationPartner:  # fmt: skip
    moment = timezone.now() if now is None else now
    current = _locked_for_lead(application, by)
    _still_a_draft(current, moment)
    if institution.pk == current.lead_id:
        raise _refuse(_("Le porteur n'est pas son propre partenaire."), "self_partner")
    try:
        with transaction.atomic():
            partner = ApplicationPartner.objects.create(
                application=current, institution=institution, role=role.strip()
            )
    except IntegrityError:
        raise _refuse(_("Cet établissement est déjà partenaire."), "already_partner") from None
    _log(
        call=current.call,
        application=current,
        action="partner_invited",
        actor=by,
        institution=institution.pk,
    )
    return partner


@transaction.atomic
def partner_answer(
    *, partner: ApplicationPartner, by: User, confirm: bool, now: datetime.datetime | None = None
) -> ApplicationPartner:
    """The partner institution's staff confirm (or decline) its commitment."""
    moment = timezone.now() if now is None else now
    current = (
        ApplicationPartner.objects.select_for_update()
        .select_related("application__call")
        .get(pk=partner.pk)
    )
    if not user_is_institution_staff(user=by, institution_id=current.institution_id):
        raise _refuse(_("Seul le personnel de l'établissement partenaire répond."), "not_allowed")
    if moment >= current.application.deadline:
        raise DeadlinePassedError(_("L'appel est clos."), code="deadline_passed")
    current.status = PartnerStatus.CONFIRMED if confirm else PartnerStatus.DECLINED
    current.answered_at = moment
    current.answered_by = by
    current.save(update_fields=["status", "answered_at", "answered_by"])
    _log(
        call=current.application.call, application=current.application, actor=by,
        action="partner_confirmed" if confirm else "partner_declined",
        institution=current.institution_id,
    )  # fmt: skip
    return current


@transaction.atomic
def attachment_add(
    *, application: Application, by: User, section_key: str, upload: UploadedFile,
    now: datetime.datetime | None = None,
) -> Attachment:  # fmt: skip
    """A file for one of the dossier's attachment sections, checked by its content (not only
    its name) and its size; it replaces the section's previous file."""
    moment = timezone.now() if now is None else now
    current = _locked_for_lead(application, by)
    _still_a_draft(current, moment)
    section = current.call.sections.filter(key=section_key, kind=SectionKind.ATTACHMENT).first()
    if section is None:
        raise _refuse(_("Rubrique inconnue : %(key)s.") % {"key": section_key}, "bad_section")
    extension = file_check(
        upload, allowed=list(section.accepted_types or ["pdf"]), max_bytes=section.max_bytes
    )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    current.attachments.filter(section=section).delete()
    attachment = Attachment(
        application=current, section=section, original_name=(upload.name or "")[:255],
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=upload.size or 0, sha256=digest.hexdigest(), uploaded_by=by, uploaded_at=moment,
    )  # fmt: skip
    attachment.file.save(f"{current.pk}-{section.key}.{extension}", upload, save=False)
    attachment.save()
    _log(
        call=current.call,
        application=current,
        action="attachment_added",
        actor=by,
        section=section.key,
    )
    return attachment


def missing_parts(*, application: Application) -> list[StrOrPromise]:
    """What a submission still lacks: required texts and files."""
    missing: list[StrOrPromise] = []
    attached = set(application.attachments.values_list("section__key", flat=True))
    for section in application.call.sections.filter(required=True, stage=application.stage):
        if (
            section.kind == SectionKind.TEXT
            and not application.answers.get(section.key, "").strip()
        ):
            missing.append(_("Rubrique à remplir : %(title)s") % {"title": section.title})
        if section.kind == SectionKind.ATTACHMENT and section.key not in attached:
            missing.append(_("Pièce à joindre : %(title)s") % {"title": section.title})
    if application.requested_amount <= 0:
        missing.append(_("Indiquez le montant demandé."))
    return missing


def _receipt_number(call: Call) -> str:
    return f"{call.pk}-{secrets.token_hex(4).upper()}"


@transaction.atomic
def application_submit(
    *,
    application: Application,
    by: User,
    now: Callable[[], datetime.datetime] = timezone.now,
) -> Application:
    """Submit before the deadline. ``now`` is read twice: when the request starts (a quick
    refusal) and once everything is checked, just before the commit: a submission whose
    request ends after the closing instant is refused and leaves the draft as it was."""
    current = _locked_for_lead(application, by)
    _still_a_draft(current, now())
    missing = missing_parts(application=current)
    if missing:
        raise CallError(
            _("La candidature est incomplète : %(missing)s.")
            % {"missing": " ; ".join(str(m) for m in missing)},
            code="incomplete",
        )
    eligibility = application_eligibility(application=current)
    if not eligibility.eligible:
        raise CallError(
            _("La candidature n'est pas éligible : %(reasons)s.")
            % {"reasons": " ; ".join(str(r) for r in eligibility.reasons)},
            code="not_eligible",
        )
    current.status = ApplicationStatus.SUBMITTED
    current.receipt_number = _receipt_number(current.call)
    current.save(update_fields=["status", "receipt_number"])
    _log(call=current.call, application=current, action="application_submitted", actor=by,
         receipt=current.receipt_number)  # fmt: skip
    # The clock, read again last: what took time above must not carry a late submission in.
    moment = now()
    if moment >= current.deadline:
        raise DeadlinePassedError(
            _("L'appel a été clos pendant l'envoi : la candidature n'est pas déposée."),
            code="deadline_passed",
        )
    Application.objects.filter(pk=current.pk).update(submitted_at=moment)
    current.submitted_at = moment
    # Imported here, as the partnerships do: the tasks stay out of the services' import graph,
    # so a task that one day calls a service makes no import cycle.
    from sankore.calls.tasks import application_acknowledge_task

    pk = current.pk
    # Once committed only: a submission rolled back must not be acknowledged.
    transaction.on_commit(lambda: application_acknowledge_task.enqueue(pk))
    return current


@transaction.atomic
def application_withdraw(
    *, application: Application, by: User, now: datetime.datetime | None = None
) -> Application:
    """The lead withdraws its application (draft or submitted) until the call closes."""
    moment = timezone.now() if now is None else now
    current = _locked_for_lead(application, by)
    if current.status == ApplicationStatus.WITHDRAWN:
        raise _refuse(_("Cette candidature est déjà retirée."), "already_withdrawn")
    if moment >= current.deadline:
        raise DeadlinePassedError(
            _("L'appel est clos : la candidature ne se retire plus."), code="deadline_passed"
        )
    current.status = ApplicationStatus.WITHDRAWN
    current.withdrawn_at = moment
    current.save(update_fields=["status", "withdrawn_at"])
    _log(call=current.call, application=current, action="application_withdrawn", actor=by)
    return current
