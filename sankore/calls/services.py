"""Writes of the calls for projects: a call and its parts (programme staff), an application's
life (institution staff): draft saved as it is typed, partners who confirm, files checked by
their content, the eligibility check, the submission before the deadline, the withdrawal.

The deadline is the server's clock, read when the submission's transaction is about to
commit: a request that started before the closing instant and ends after it is refused
(nothing of it is kept).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_institution_staff, user_is_programme_staff
from sankore.calls.models import (
    DEFAULT_GRID,
    KIND_VALUES,
    REGION_VALUES,
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
from sankore.institutions.geography import Hemisphere
from sankore.institutions.models import Institution

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


def _programme_only(by: User) -> None:
    if not user_is_programme_staff(user=by):
        raise _refuse(_("Seule l'équipe du programme gère les appels à projets."), "not_allowed")


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
    total_budget: Decimal,
    time_zone: str = "Europe/Paris",
    currency: str = "EUR",
    regions: Sequence[str] = (),
    institution_kinds: Sequence[str] = (),
    members_only: bool = True,
    southern_lead_required: bool = True,
    partner_required: bool = False,
    reviewers_per_application: int = 2,
    two_stages: bool = False,
) -> Call:
    """A call in preparation, with the programme's default grid and dossier."""
    _programme_only(by)
    unknown = [r for r in regions if r not in REGION_VALUES] + [
        k for k in institution_kinds if k not in KIND_VALUES
    ]
    if unknown:
        raise _refuse(_("Valeur inconnue : %(value)s.") % {"value": unknown[0]}, "bad_choice")
    if not opens_at < closes_at <= review_ends_at:
        raise _refuse(
            _("Le calendrier va de l'ouverture à la clôture, puis à la fin de l'évaluation."),
            "bad_timeline",
        )
    if total_budget < 0:
        raise _refuse(_("L'enveloppe est positive."), "bad_amount")
    base = slugify(title)[:60] or "appel"
    slug, n = base, 1
    while Call.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    call = Call(
        title=title.strip(), slug=slug, description=description.strip(), opens_at=opens_at,
        closes_at=closes_at, review_ends_at=review_ends_at, results_on=results_on,
        total_budget=total_budget, time_zone=time_zone, currency=currency,
        regions=list(regions), institution_kinds=list(institution_kinds),
        members_only=members_only, southern_lead_required=southern_lead_required,
        partner_required=partner_required, reviewers_per_application=reviewers_per_application,
        two_stages=two_stages, created_by=by,
    )  # fmt: skip
    call.full_clean()
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


@transaction.atomic
def call_publish(*, call: Call, by: User) -> Call:
    _programme_only(by)
    if not call.criteria.exists():
        raise _refuse(_("Un appel publié a une grille d'évaluation."), "no_grid")
    Call.objects.filter(pk=call.pk).update(status=CallStatus.PUBLISHED)
    call.status = CallStatus.PUBLISHED
    _log(call=call, action="call_published", actor=by)
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
    if moment >= application.call.closes_at:
        raise DeadlinePassedError(
            _("L'appel est clos depuis le %(date)s : la candidature ne se modifie plus.")
            % {
                "date": date_format(
                    timezone.localtime(application.call.closes_at, application.call.zone),
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
    if moment >= current.application.call.closes_at:
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
    if moment >= current.call.closes_at:
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
    if moment >= current.call.closes_at:
        raise DeadlinePassedError(
            _("L'appel est clos : la candidature ne se retire plus."), code="deadline_passed"
        )
    current.status = ApplicationStatus.WITHDRAWN
    current.withdrawn_at = moment
    current.save(update_fields=["status", "withdrawn_at"])
    _log(call=current.call, application=current, action="application_withdrawn", actor=by)
    return current
