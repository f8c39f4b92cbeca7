"""Writes of the partnerships app: profiles, project ideas, the matchmaking's weights, and a
partnership's whole life, from the proposal to its close.

The agreement's writes (drafting, freezing, signatures) are in ``agreements``. A partnership
moves only along ``TRANSITIONS``, under a row lock, and each move is written
to its journal (``PartnershipEvent``) in the same transaction. E-mails to the other party
leave after the commit, through the task worker.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.accounts.permissions import (
    user_is_institution_staff,
    user_is_programme_staff,
    user_is_signatory,
)
from sankore.catalog.models import Course, Discipline, Language
from sankore.core.errors import ServiceError
from sankore.institutions.models import Institution, InstitutionKind
from sankore.partnerships.models import (
    Audience,
    Capability,
    EventKind,
    IdeaKind,
    IdeaStatus,
    InstitutionProfile,
    MatchWeights,
    Partnership,
    PartnershipEvent,
    PartnershipMessage,
    PartnershipState,
    ProfileContact,
    ProjectIdea,
)

State = PartnershipState

# Where a partnership may go from each state (the states absent have no way out).
TRANSITIONS: dict[str, frozenset[str]] = {
    State.PROPOSED: frozenset({State.DISCUSSION, State.ACCEPTED, State.DECLINED}),
    State.DISCUSSION: frozenset({State.ACCEPTED, State.DECLINED}),
    State.ACCEPTED: frozenset({State.DRAFTED}),
    State.DRAFTED: frozenset({State.ACCEPTED, State.ACTIVE}),
    State.ACTIVE: frozenset({State.PRODUCED}),
    State.PRODUCED: frozenset({State.CLOSED}),
}
# States in which the parties still talk on the thread.
THREAD_OPEN = frozenset(
    {State.PROPOSED, State.DISCUSSION, State.ACCEPTED, State.DRAFTED, State.ACTIVE, State.PRODUCED}
)
# Partnerships that occupy an institution (the matchmaking's « current load »).
UNDER_WAY = frozenset({State.ACCEPTED, State.DRAFTED, State.ACTIVE})
# Institutions that co-build courses (companies and foundations are private partners).
ACADEMIC_KINDS = frozenset(
    {InstitutionKind.UNIVERSITY, InstitutionKind.SCHOOL, InstitutionKind.RESEARCH}
)
MAX_SIGNED_PDF_BYTES = 10 * 1024 * 1024


class PartnershipError(ServiceError):
    pass


class IllegalTransitionError(PartnershipError):
    pass


def _refuse(message: Any, code: str) -> PartnershipError:
    return PartnershipError(message, code=code)


def _capabilities_clean(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [value for value in chosen if value not in Capability.values]
    if unknown:
        raise _refuse(_("Capacité inconnue : %(value)s.") % {"value": unknown[0]}, "bad_capability")
    return [value for value in Capability.values if value in chosen]


def _staff_or_programme(*, user: User, institution: Institution) -> bool:
    return user_is_programme_staff(user=user) or user_is_institution_staff(
        user=user, institution_id=institution.pk
    )


def user_speaks_for(*, user: User, institution: Institution) -> bool:
    """Institution staff or one of its signatories act in its name in a partnership."""
    return user_is_institution_staff(user=user, institution_id=institution.pk) or user_is_signatory(
        user=user, institution_id=institution.pk
    )


# --- Profiles and project ideas ------------------------------------------------------------


def profile_for(*, institution: Institution) -> InstitutionProfile:
    """The institution's profile, created empty the first time (the one-to-one constraint
    settles two first visits at once)."""
    try:
        with transaction.atomic():
            profile, _created = InstitutionProfile.objects.get_or_create(institution=institution)
    except IntegrityError:
        profile = InstitutionProfile.objects.get(institution=institution)
    return profile


@dataclass(frozen=True)
class ContactData:
    full_name: str
    email: str
    function: str = ""
    phone: str = ""


@transaction.atomic
def profile_update(
    *,
    institution: Institution,
    by: User,
    disciplines: Sequence[Discipline],
    languages: Sequence[Language],
    capabilities: Sequence[str],
    interests: str = "",
    open_to_partnerships: bool = True,
    contacts: Sequence[ContactData] | None = None,
) -> InstitutionProfile:
    if not _staff_or_programme(user=by, institution=institution):
        raise _refuse(_("Seul le personnel de l'établissement modifie son profil."), "not_allowed")
    profile = profile_for(institution=institution)
    profile = InstitutionProfile.objects.select_for_update().get(pk=profile.pk)
    profile.capabilities = _capabilities_clean(capabilities)
    profile.interests = interests.strip()
    profile.open_to_partnerships = open_to_partnerships
    profile.updated_at = timezone.now()
    profile.updated_by = by
    profile.full_clean()
    profile.save()
    profile.disciplines.set(disciplines)
    profile.languages.set(languages)
    if contacts is not None:
        profile.contacts.all().delete()
        ProfileContact.objects.bulk_create(
            ProfileContact(
                profile=profile,
                full_name=contact.full_name.strip(),
                email=contact.email.strip(),
                function=contact.function.strip(),
                phone=contact.phone.strip(),
                position=index,
            )
            for index, contact in enumerate(contacts)
            if contact.full_name.strip()
        )
    return profile


@transaction.atomic
def idea_create(
    *,
    institution: Institution,
    by: User,
    kind: str,
    title: str,
    description: str,
    discipline: Discipline,
    audience: str,
    language: Language,
    starts_on: datetime.date,
    ends_on: datetime.date,
    brings: Sequence[str] = (),
    seeks: Sequence[str] = (),
    brings_details: str = "",
    seeks_details: str = "",
) -> ProjectIdea:
    if not _staff_or_programme(user=by, institution=institution):
        raise _refuse(
            _("Seul le personnel de l'établissement publie ses idées de projet."), "not_allowed"
        )
    if kind not in IdeaKind.values or audience not in Audience.values:
        raise _refuse(_("Nature ou public inconnu."), "bad_choice")
    if ends_on < starts_on:
        raise _refuse(_("La fin doit suivre le début."), "bad_dates")
    idea = ProjectIdea(
        institution=institution, kind=kind, title=title.strip(), description=description.strip(),
        discipline=discipline, audience=audience, language=language,
        brings=_capabilities_clean(brings), seeks=_capabilities_clean(seeks),
        brings_details=brings_details.strip(), seeks_details=seeks_details.strip(),
        starts_on=starts_on, ends_on=ends_on, created_by=by,
    )  # fmt: skip
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def idea_close(*, idea: ProjectIdea, by: User) -> ProjectIdea:
    if not _staff_or_programme(user=by, institution=idea.institution):
        raise _refuse(_("Seul le personnel de l'établissement clôt ses idées."), "not_allowed")
    ProjectIdea.objects.filter(pk=idea.pk).update(status=IdeaStatus.CLOSED)
    idea.status = IdeaStatus.CLOSED
    return idea


WEIGHT_FIELDS = (
    "discipline",
    "capabilities",
    "language",
    "north_south",
    "past_collaborations",
    "load",
)


@transaction.atomic
def match_weights_set(*, by: User, **weights: int) -> MatchWeights:
    """New weights for the matchmaking (programme staff); the previous ones stay on record."""
    if not user_is_programme_staff(user=by):
        raise _refuse(_("Seule l'équipe du programme règle la mise en relation."), "not_allowed")
    unknown = set(weights) - set(WEIGHT_FIELDS)
    if unknown:
        raise _refuse(_("Critère inconnu : %(name)s.") % {"name": sorted(unknown)[0]}, "bad_weight")
    if any(not isinstance(value, int) or not 0 <= value <= 100 for value in weights.values()):
        raise _refuse(_("Chaque poids est un entier de 0 à 100."), "bad_weight")
    current = MatchWeights.objects.first() or MatchWeights()  # unsaved: the defaults
    values: dict[str, int] = {name: getattr(current, name) for name in WEIGHT_FIELDS}
    values.update(weights)
    if not any(values[name] for name in WEIGHT_FIELDS if name != "load"):
        raise _refuse(_("Au moins un critère doit compter."), "bad_weight")
    return MatchWeights.objects.create(created_by=by, **values)


# --- The partnership's life ------------------------------------------------------------------


def _log(
    *,
    partnership: Partnership,
    kind: str,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> PartnershipEvent:
    return PartnershipEvent.objects.create(
        partnership=partnership, kind=kind, actor=actor, from_state=from_state,
        to_state=to_state, detail=detail or {}, ip_address=ip_address,
    )  # fmt: skip


def _notify_on_commit(*, partnership: Partnership, event: PartnershipEvent) -> None:
    from sankore.partnerships.tasks import partnership_notify_task

    transaction.on_commit(lambda: partnership_notify_task.enqueue(partnership.pk, event.pk))


def _locked(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _move(
    *,
    partnership: Partnership,
    to: str,
    by: User,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> PartnershipEvent:
    """Move a locked partnership along ``TRANSITIONS``, journal it, tell the other party."""
    if to not in TRANSITIONS.get(partnership.state, frozenset()):
        raise IllegalTransitionError(
            _("Un partenariat « %(state)s » ne peut pas passer à « %(to)s ».")
            % {"state": partnership.get_state_display(), "to": State(to).label},
            code="illegal_transition",
        )
    from_state = partnership.state
    partnership.state = to
    fields = ["state"]
    now = timezone.now()
    if to == State.ACTIVE:
        partnership.signed_at = now
        fields.append("signed_at")
    if to == State.CLOSED:
        partnership.closed_at = now
        fields.append("closed_at")
    partnership.save(update_fields=fields)
    event = _log(
        partnership=partnership, kind=EventKind.TRANSITION, actor=by, from_state=from_state,
        to_state=to, detail=detail, ip_address=ip_address,
    )  # fmt: skip
    _notify_on_commit(partnership=partnership, event=event)
    return event


def _party_of(
    *, partnership: Partnership, by: User, institution: Institution | None
) -> Institution:
    """The party ``by`` acts for: the one named, or the only one they speak for."""
    parties = [partnership.proposer, partnership.partner]
    if institution is not None:
        if institution.pk not in partnership.party_ids:
            raise _refuse(_("Cet établissement n'est pas partie au partenariat."), "not_a_party")
        if not user_speaks_for(user=by, institution=institution):
            raise _refuse(_("Vous ne parlez pas au nom de cet établissement."), "not_allowed")
        return institution
    speaking = [party for party in parties if user_speaks_for(user=by, institution=party)]
    if not speaking:
        raise _refuse(
            _("Seul le personnel des établissements partenaires intervient ici."), "not_allowed"
        )
    return speaking[0]


@transaction.atomic
def partnership_propose(
    *,
    proposer: Institution,
    partner: Institution,
    by: User,
    title: str,
    message: str,
    idea: ProjectIdea | None = None,
    ip_address: str | None = None,
) -> Partnership:
    """A proposal from ``proposer``'s staff to ``partner``, opening the thread."""
    if not user_speaks_for(user=by, institution=proposer):
        raise _refuse(
            _("Seul le personnel de l'établissement propose un partenariat en son nom."),
            "not_allowed",
        )
    if proposer.pk == partner.pk:
        raise _refuse(
            _("Un partenariat réunit deux établissements différents."), "same_institution"
        )
    if partner.kind not in ACADEMIC_KINDS or proposer.kind not in ACADEMIC_KINDS:
        raise _refuse(
            _("Les partenariats de co-construction réunissent des établissements d'enseignement "
              "ou de recherche."),
            "not_academic",
        )  # fmt: skip
    if idea is not None and idea.institution_id not in (proposer.pk, partner.pk):
        raise _refuse(
            _("Cette idée de projet n'est pas celle d'un des deux établissements."), "bad_idea"
        )
    if idea is not None and idea.status != IdeaStatus.OPEN:
        raise _refuse(_("Cette idée de projet est close."), "idea_closed")
    if not title.strip() or not message.strip():
        raise _refuse(_("Donnez un intitulé et un message."), "empty")
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                title=title.strip(), idea=idea, proposer=proposer, partner=partner,
                proposed_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise _refuse(
            _("Une proposition est déjà en cours entre ces établissements pour ce projet."),
            "already_proposed",
        ) from None
    PartnershipMessage.objects.create(
        partnership=partnership, author=by, institution=proposer, body=message.strip()
    )
    event = _log(
        partnership=partnership, kind=EventKind.TRANSITION, actor=by, to_state=State.PROPOSED,
        ip_address=ip_address,
    )  # fmt: skip
    _notify_on_commit(partnership=partnership, event=event)
    return partnership


@transaction.atomic
def partnership_message_post(
    *,
    partnership: Partnership,
    by: User,
    body: str,
    institution: Institution | None = None,
    ip_address: str | None = None,
) -> PartnershipMessage:
    """A message on the thread; the partner's first reply opens the discussion."""
    partnership = _locked(partnership)
    party = _party_of(partnership=partnership, by=by, institution=institution)
    if partnership.state not in THREAD_OPEN:
        raise _refuse(_("Ce partenariat est terminé : le fil est fermé."), "thread_closed")
    if not body.strip():
        raise _refuse(_("Le message est vide."), "empty")
    message = PartnershipMessage.objects.create(
        partnership=partnership, author=by, institution=party, body=body.strip()
    )
    if partnership.state == State.PROPOSED and party.pk == partnership.partner_id:
        _move(partnership=partnership, to=State.DISCUSSION, by=by, ip_address=ip_address)
    event = _log(
        partnership=partnership, kind=EventKind.MESSAGE, actor=by,
        detail={"message": message.pk, "institution": party.pk}, ip_address=ip_address,
    )  # fmt: skip
    _notify_on_commit(partnership=partnership, event=event)
    return message


def _partner_only(*, partnership: Partnership, by: User) -> None:
    if not user_speaks_for(user=by, institution=partnership.partner):
        raise _refuse(
            _("Seul l'établissement sollicité accepte ou refuse la proposition."), "not_allowed"
        )


@transaction.atomic
def partnership_accept(
    *, partnership: Partnership, by: User, ip_address: str | None = None
) -> Partnership:
    partnership = _locked(partnership)
    _partner_only(partnership=partnership, by=by)
    _move(partnership=partnership, to=State.ACCEPTED, by=by, ip_address=ip_address)
    return partnership


@transaction.atomic
def partnership_decline(
    *, partnership: Partnership, by: User, reason: str = "", ip_address: str | None = None
) -> Partnership:
    partnership = _locked(partnership)
    _partner_only(partnership=partnership, by=by)
    _move(
        partnership=partnership, to=State.DECLINED, by=by, detail={"reason": reason.strip()},
        ip_address=ip_address,
    )  # fmt: skip
    return partnership


# --- Courses produced, close -----------------------------------------------------------------


@transaction.atomic
def partnership_course_link(
    *, partnership: Partnership, by: User, course: Course, ip_address: str | None = None
) -> Partnership:
    partnership = _locked(partnership)
    _party_of(partnership=partnership, by=by, institution=None)
    if partnership.state not in (State.ACTIVE, State.PRODUCED):
        raise _refuse(
            _("Un cours se rattache à un partenariat actif, une fois la convention signée."),
            "not_active",
        )
    institutions = {*course.owners.values_list("pk", flat=True)} | {
        *course.partners.values_list("pk", flat=True)
    }
    if not institutions & set(partnership.party_ids):
        raise _refuse(
            _("Ce cours n'est porté par aucun des deux établissements."), "not_their_course"
        )
    if partnership.courses.filter(pk=course.pk).exists():
        raise _refuse(_("Ce cours est déjà rattaché au partenariat."), "already_linked")
    partnership.courses.add(course)
    _log(
        partnership=partnership, kind=EventKind.COURSE, actor=by, detail={"course": course.pk},
        ip_address=ip_address,
    )  # fmt: skip
    return partnership


@transaction.atomic
def partnership_mark_produced(
    *, partnership: Partnership, by: User, ip_address: str | None = None
) -> Partnership:
    partnership = _locked(partnership)
    _party_of(partnership=partnership, by=by, institution=None)
    if not partnership.courses.exists():
        raise _refuse(_("Rattachez d'abord le ou les cours produits."), "no_course")
    _move(partnership=partnership, to=State.PRODUCED, by=by, ip_address=ip_address)
    return partnership


@transaction.atomic
def partnership_close(
    *, partnership: Partnership, by: User, ip_address: str | None = None
) -> Partnership:
    partnership = _locked(partnership)
    if not user_is_programme_staff(user=by):
        _party_of(partnership=partnership, by=by, institution=None)
    _move(partnership=partnership, to=State.CLOSED, by=by, ip_address=ip_address)
    return partnership
