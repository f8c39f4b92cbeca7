"""The demo's partnerships: every university and school describes what it teaches and can
bring; a few post project ideas; UCAD has a proposal under discussion with Bordeaux, and two
older partnerships show an agreement signed and one declined (for the programme's dashboard).
UCAD's and Bordeaux's demo staff are also their institutions' signatories."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from sankore.accounts.models import Role, User
from sankore.accounts.services import role_assign
from sankore.catalog.models import Course, Discipline, Language
from sankore.demo.data.courses import FLAGSHIP_CODE
from sankore.demo.data.people import (
    INSTITUTION_STAFF_EMAIL,
    NORTHERN_STAFF_EMAIL,
    PROGRAMME_STAFF_EMAIL,
)
from sankore.institutions.models import Institution
from sankore.partnerships import agreements, services, sponsors
from sankore.partnerships.models import (
    Capability,
    ContributionKind,
    InstitutionProfile,
    Partnership,
    ProjectIdea,
    SponsorContribution,
)

# Capabilities by a stable rule (an institution's id), so that every run seeds the same.
_CAPABILITY_SETS = (
    [Capability.TUTORING, Capability.EXAM_CENTRE],
    [Capability.VIDEO_STUDIO, Capability.INSTRUCTIONAL_DESIGN, Capability.PLATFORM_HOSTING],
    [Capability.INSTRUCTIONAL_DESIGN, Capability.TUTORING],
    [Capability.TRANSLATION, Capability.TUTORING],
    [Capability.VIDEO_STUDIO, Capability.TRANSLATION],
)
_NORTH_CAPABILITIES = [
    Capability.VIDEO_STUDIO, Capability.INSTRUCTIONAL_DESIGN, Capability.PLATFORM_HOSTING,
]  # fmt: skip


def _profiles(programme: User) -> int:
    french = Language.objects.filter(code="fr").first()
    created = 0
    for institution in Institution.objects.filter(kind__in=list(services.ACADEMIC_KINDS)).order_by(
        "pk"
    ):
        if InstitutionProfile.objects.filter(institution=institution).exists():
            continue
        disciplines = Discipline.objects.filter(courses__owners=institution).distinct()[:4]
        north = institution.hemisphere == "nord"
        capabilities = (
            _NORTH_CAPABILITIES
            if north
            else _CAPABILITY_SETS[institution.pk % len(_CAPABILITY_SETS)]
        )
        services.profile_update(
            institution=institution, by=programme, disciplines=list(disciplines),
            languages=[french] if french else [], capabilities=capabilities,
            interests="Co-construire des CLOM avec les établissements du réseau.",
            contacts=[
                services.ContactData(
                    full_name="Service des relations internationales",
                    email=f"international@{institution.slug}.example",
                )
            ],
        )  # fmt: skip
        created += 1
    return created


def seed_partnerships() -> int:
    """Idempotent: returns how many profiles were created now."""
    programme = User.objects.filter(email=PROGRAMME_STAFF_EMAIL).first()
    institutions = {i.slug: i for i in Institution.objects.filter(slug__in=_SLUGS)}
    if programme is None or len(institutions) < len(_SLUGS):
        return 0
    with transaction.atomic():
        for email, slug in (
            (INSTITUTION_STAFF_EMAIL, "ucad"),
            (NORTHERN_STAFF_EMAIL, "u-bordeaux"),
        ):
            person = User.objects.filter(email=email).first()
            if person is not None:
                role_assign(
                    user=person, role=Role.SIGNATORY, institution=institutions[slug],
                    granted_by=programme,
                )  # fmt: skip
        created = _profiles(programme)
        if not ProjectIdea.objects.exists():
            _ideas(institutions, programme)
        if not Partnership.objects.exists():
            _partnerships(institutions, programme)
        if not SponsorContribution.objects.exists():
            _sponsors(programme)
    return created


def _sponsors(programme: User) -> None:
    """A foundation funds the teacher-training course; a company offers 20 exam seats for it,
    as one shared voucher code."""
    flagship = Course.objects.filter(code=FLAGSHIP_CODE, is_published=True).first()
    foundation = Institution.objects.filter(slug="fondation-sahel-savoirs").first()
    company = Institution.objects.filter(slug="baobab-numerique").first()
    if flagship is None or foundation is None or company is None:
        return
    sponsors.sponsor_contribution_create(
        by=programme, sponsor=foundation, kind=ContributionKind.FUNDING, course=flagship,
        description="Financement des tutorats du cours pour les campus numériques.",
        amount=Decimal("25000"), currency="EUR",
    )  # fmt: skip
    seats = sponsors.sponsor_contribution_create(
        by=programme, sponsor=company, kind=ContributionKind.SPONSORED_SEATS, course=flagship,
        description="Vingt places d'examen surveillé offertes aux enseignants du réseau.",
    )  # fmt: skip
    sponsors.voucher_batch_create(
        by=programme, contribution=seats, seats=20, shared=True, course=flagship
    )


_SLUGS = ("ucad", "u-bordeaux", "ujkz", "paris-saclay", "uac", "uliege", "2ie")


def _discipline(slug: str) -> Discipline:
    return Discipline.objects.get(slug=slug)


def _ideas(institutions: dict[str, Institution], programme: User) -> None:
    french = Language.objects.get(code="fr")
    year = datetime.date.today().year + 1
    for slug, kind, title, discipline, seeks, brings in (
        ("ucad", "besoin", "CLOM d'agroécologie pour les techniciens agricoles", "agroecologie",
         [Capability.VIDEO_STUDIO, Capability.PLATFORM_HOSTING], [Capability.TUTORING]),
        ("ujkz", "besoin", "Former les enseignants du secondaire au numérique éducatif",
         "numerique-educatif", [Capability.INSTRUCTIONAL_DESIGN], [Capability.EXAM_CENTRE]),
        ("2ie", "offre", "Hydraulique villageoise : un CLOM à co-produire", "agroecologie",
         [Capability.TRANSLATION], [Capability.VIDEO_STUDIO, Capability.TUTORING]),
    ):  # fmt: skip
        institution = institutions[slug]
        services.idea_create(
            institution=institution, by=_officer(institution, programme), kind=kind, title=title,
            description=(
                f"{institution.name} veut co-construire ce CLOM avec un établissement qui le "
                "complète ; il sera suivi dans les campus numériques du réseau."
            ),
            discipline=_discipline(discipline), audience="professionnels", language=french,
            seeks=seeks, brings=brings, starts_on=datetime.date(year, 1, 15),
            ends_on=datetime.date(year, 12, 15),
        )  # fmt: skip


def _partnerships(institutions: dict[str, Institution], programme: User) -> None:
    ucad, bordeaux = institutions["ucad"], institutions["u-bordeaux"]
    asking, asked = _officer(ucad, programme), _officer(bordeaux, programme)
    idea = ProjectIdea.objects.filter(institution=ucad).first()
    talking = services.partnership_propose(
        proposer=ucad, partner=bordeaux, by=asking, idea=idea,
        title="CLOM d'agroécologie pour les techniciens agricoles",
        message=(
            "Bonjour, nous préparons un CLOM d'agroécologie pour les techniciens du Sahel et "
            "cherchons un studio vidéo et un hébergement. Seriez-vous partants ?"
        ),
    )  # fmt: skip
    services.partnership_message_post(
        partnership=talking, by=asked,
        body="Avec plaisir : notre studio est libre au printemps. Parlons du calendrier.",
    )  # fmt: skip
    # A signed one (Ouagadougou with Paris-Saclay) and a declined one, for the dashboard.
    ujkz, saclay = institutions["ujkz"], institutions["paris-saclay"]
    signed = services.partnership_propose(
        proposer=ujkz, partner=saclay, by=_officer(ujkz, programme),
        title="Numérique éducatif pour les enseignants", message="Proposition de co-construction.",
    )  # fmt: skip
    services.partnership_accept(partnership=signed, by=_officer(saclay, programme))
    year = datetime.date.today().year
    agreements.agreement_save(
        partnership=signed, by=_officer(ujkz, programme),
        purpose="Co-construire le CLOM « Numérique éducatif » et le diffuser dans les campus.",
        licence="CC-BY-SA-4.0", starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year + 1, 6, 30), currency="EUR",
        parties=[
            agreements.PartyTerms(ujkz, "Porteur", "Experts du contenu, tutorat, examens"),
            agreements.PartyTerms(saclay, "Co-producteur", "Ingénierie pédagogique, studio"),
        ],
        milestones=[agreements.Milestone("Scénarisation", datetime.date(year, 3, 1))],
        budget_lines=[agreements.BudgetLine("Tournage", saclay, "18000")],
    )  # fmt: skip
    agreements.agreement_submit(partnership=signed, by=_officer(ujkz, programme))
    for institution in (ujkz, saclay):
        signer = _signatory(institution, programme)
        agreements.agreement_sign(
            partnership=signed, by=signer, institution=institution,
            signed_name=signer.get_full_name(), signed_function="Vice-président(e)",
        )  # fmt: skip
    course = Course.objects.filter(owners=ujkz, is_published=True).first()
    if course is not None:
        services.partnership_course_link(
            partnership=signed, by=_officer(ujkz, programme), course=course
        )
    uac, liege = institutions["uac"], institutions["uliege"]
    declined = services.partnership_propose(
        proposer=uac, partner=liege, by=_officer(uac, programme),
        title="Épidémiologie de terrain", message="Proposition de co-construction.",
    )  # fmt: skip
    services.partnership_decline(
        partnership=declined, by=_officer(liege, programme), reason="Pas avant 2028."
    )


def _officer(institution: Institution, programme: User) -> User:
    """The institution's staff, or a demo officer of its international relations (staff and
    signatory; no password: nobody signs in with it)."""
    staff = User.objects.filter(
        role_assignments__role=Role.INSTITUTION_STAFF, role_assignments__institution=institution
    ).first()
    if staff is None:
        staff, _created = User.objects.get_or_create(
            email=f"relations-{institution.slug}@sankore.example",
            defaults={"full_name": f"Relations internationales {institution.acronym}".strip()},
        )
        role_assign(
            user=staff, role=Role.INSTITUTION_STAFF, institution=institution, granted_by=programme
        )
    return staff


def _signatory(institution: Institution, programme: User) -> User:
    signer = User.objects.filter(
        role_assignments__role=Role.SIGNATORY, role_assignments__institution=institution
    ).first()
    if signer is None:
        signer = _officer(institution, programme)
        role_assign(user=signer, role=Role.SIGNATORY, institution=institution, granted_by=programme)
    return signer
