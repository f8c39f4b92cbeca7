"""The demo's calls for projects: the 2027 call is open (UCAD has a draft with Bordeaux as
partner, invited); the 2026 call on teacher training closed three weeks ago — six Southern
universities applied, four experts sit on its panel, the assignment is validated, three
experts handed in their reviews and the demo expert (``expert@sankore.example``) still has
theirs to do. Nothing is decided yet: the programme's demo account runs the committee."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sankore.accounts.models import Role, User
from sankore.accounts.services import role_assign
from sankore.calls import reviewing, services
from sankore.calls.models import (
    Application,
    AssignmentState,
    Call,
    FundingTier,
    ReviewAssignment,
    Strand,
)
from sankore.catalog.models import Discipline
from sankore.demo.data.people import (
    INSTITUTION_STAFF_EMAIL,
    NORTHERN_STAFF_EMAIL,
    PROGRAMME_STAFF_EMAIL,
)
from sankore.institutions.models import Institution

OPEN_TITLE = "Appel à projets 2027 : des CLOM pour les campus numériques"
CLOSED_TITLE = "Appel à projets 2026 : former les enseignants à distance"
_PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
_DOSSIER = {
    "resume": "Un CLOM de {theme} conçu avec les campus numériques, pour des apprenants qui "
    "suivent les cours sur leur téléphone, avec des vidéos courtes et des quiz hors ligne.",
    "objectifs": "Former 2 000 apprenants en deux sessions ; 60 % de réussite à l'examen "
    "surveillé dans les campus.",
    "public": "Étudiants de licence et professionnels en reprise d'études.",
    "equipe": "Quatre enseignants, une ingénieure pédagogique, un technicien vidéo.",
    "calendrier": "Scénarisation au premier trimestre, tournage au deuxième, première "
    "session au quatrième.",
    "modele-economique": "Attestations gratuites ; certificats payants après examen, au tarif "
    "du pays ; les établissements reprennent le cours dans leurs maquettes.",
}
_APPLICANTS = (
    ("ucad", "santé communautaire", "CLOM Santé communautaire au Sahel", "45000"),
    ("ujkz", "numérique éducatif", "Enseigner avec le numérique en Afrique de l'Ouest", "38000"),
    ("uac", "agroécologie", "Agroécologie pour les techniciens agricoles", "52000"),
    ("unikin", "droit OHADA", "Droit des affaires OHADA", "30000"),
    ("univ-antananarivo", "biodiversité", "Biodiversité de l'océan Indien", "41000"),
    ("2ie", "eau et assainissement", "Eau et assainissement en milieu rural", "47500"),
)
# (e-mail, name, institution slug or None, max load)
_EXPERTS: tuple[tuple[str, str, str | None, int], ...] = (
    ("expert@sankore.example", "Hugues Lemaire-Tchouta", None, 4),
    ("expert-uliege@sankore.example", "Anne-Sophie Delvaux", "uliege", 4),
    ("expert-saclay@sankore.example", "Thomas Bernardin", "paris-saclay", 4),
    ("expert-ujkz@sankore.example", "Salamata Ouédraogo", "ujkz", 4),
)


def seed_calls() -> int:
    """Idempotent: returns how many calls were created now."""
    programme = User.objects.filter(email=PROGRAMME_STAFF_EMAIL).first()
    if programme is None or Call.objects.filter(title__in=[OPEN_TITLE, CLOSED_TITLE]).exists():
        return 0
    institutions = {i.slug: i for i in Institution.objects.all()}
    needed = {slug for slug, *_rest in _APPLICANTS} | {"u-bordeaux", "uliege", "paris-saclay"}
    if not needed <= set(institutions):
        return 0
    with transaction.atomic():
        _open_call(programme, institutions)
        _closed_call(programme, institutions)
    return 2


def _officer(institution: Institution, programme: User) -> User:
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


def _parts(call: Call) -> None:
    Strand.objects.bulk_create([
        Strand(call=call, title="CLOM de formation initiale", position=1,
               description="Des cours de licence ouverts à tous, repris dans les maquettes."),
        Strand(call=call, title="Formation continue", position=2,
               description="Des parcours courts pour les professionnels."),
    ])  # fmt: skip
    FundingTier.objects.bulk_create([
        FundingTier(call=call, label="Palier 1", max_amount=Decimal("30000")),
        FundingTier(call=call, label="Palier 2", max_amount=Decimal("60000")),
    ])  # fmt: skip


def _open_call(programme: User, institutions: dict[str, Institution]) -> None:
    now = timezone.now()
    call = services.call_create(
        by=programme, title=OPEN_TITLE, slug="clom-campus-2027",
        description=(
            "Le programme finance la conception de CLOM portés par des établissements du Sud, "
            "en binôme avec un établissement du Nord, et diffusés dans les campus numériques."
        ),
        opens_at=now - datetime.timedelta(days=15), time_zone="Africa/Dakar",
        closes_at=(now + datetime.timedelta(days=40)).replace(hour=23, minute=59, second=0,
                                                               microsecond=0),
        review_ends_at=now + datetime.timedelta(days=80),
        results_on=(now + datetime.timedelta(days=95)).date(),
        total_budget=Decimal("400000"), partner_required=True,
    )  # fmt: skip
    _parts(call)
    services.call_publish(call=call, by=programme)
    ucad = institutions["ucad"]
    author = User.objects.filter(email=INSTITUTION_STAFF_EMAIL).first() or _officer(ucad, programme)
    application = services.application_create(
        call=call, lead=ucad, by=author, title="CLOM d'agroécologie pour les techniciens agricoles"
    )
    services.application_save(
        application=application, by=author, revision=0, requested_amount="48 000",
        answers={"resume": _DOSSIER["resume"].format(theme="agroécologie")},
    )  # fmt: skip
    northern = User.objects.filter(email=NORTHERN_STAFF_EMAIL).first()
    if northern is not None:
        services.application_partner_add(
            application=application, by=author, institution=institutions["u-bordeaux"],
            role="Studio vidéo et ingénierie pédagogique",
        )  # fmt: skip


def _closed_call(programme: User, institutions: dict[str, Institution]) -> None:
    now = timezone.now()
    opened, closed = now - datetime.timedelta(days=80), now - datetime.timedelta(days=21)
    applied = closed - datetime.timedelta(days=5)
    call = services.call_create(
        by=programme, title=CLOSED_TITLE, slug="formation-enseignants-2026",
        description="Des parcours de formation des enseignants du supérieur à la pédagogie "
        "en ligne, portés par les établissements du Sud.",
        opens_at=opened, closes_at=closed, time_zone="Europe/Paris",
        review_ends_at=(now + datetime.timedelta(days=10)).replace(hour=17, minute=0, second=0,
                                                                   microsecond=0),
        results_on=(now + datetime.timedelta(days=20)).date(),
        total_budget=Decimal("150000"),
    )  # fmt: skip
    _parts(call)
    services.call_publish(call=call, by=programme)
    tier = call.tiers.get(label="Palier 2")
    strand = call.strands.get(position=1)
    disciplines = list(Discipline.objects.filter(parent__isnull=True).order_by("pk")[:6])
    for n, (slug, theme, title, amount) in enumerate(_APPLICANTS):
        lead = institutions[slug]
        author = _officer(lead, programme)
        application = services.application_create(
            call=call, lead=lead, by=author, title=title, now=applied
        )
        services.application_save(
            application=application, by=author, revision=0, requested_amount=amount,
            answers={key: text.format(theme=theme) for key, text in _DOSSIER.items()},
            tier_id=tier.pk, strand_id=strand.pk,
            discipline_ids=[disciplines[n % len(disciplines)].pk] if disciplines else [],
            now=applied,
        )  # fmt: skip
        services.attachment_add(
            application=application, by=author, section_key="budget",
            upload=SimpleUploadedFile("budget.pdf", _PDF), now=applied,
        )  # fmt: skip
        services.application_submit(application=application, by=author, now=lambda: applied)
    reviewers = []
    for email, name, home, load in _EXPERTS:
        person, _created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        expert = reviewing.expert_save(
            user=person, by=programme, institution=institutions.get(home) if home else None,
            languages=["fr"], disciplines=disciplines[:3], max_load=load,
        )  # fmt: skip
        reviewers.append(reviewing.call_reviewer_add(call=call, expert=expert, by=programme))
    reviewing.assignment_propose(call=call, by=programme)
    reviewing.assignment_confirm(call=call, by=programme)
    criteria = list(call.criteria.order_by("position"))
    for reviewer in reviewers[1:]:  # the demo expert's own reviews are left to do
        for offset, assignment in enumerate(
            ReviewAssignment.objects.filter(reviewer=reviewer, state=AssignmentState.CONFIRMED)
            .select_related("application")
            .order_by("application_id")
        ):
            base = 3 + (assignment.application_id + offset) % 3
            reviewing.review_save(
                assignment=assignment, by=reviewer.expert.user,
                scores={c.key: min(c.scale_max, base - (i % 2)) for i, c in enumerate(criteria)},
                comment_to_applicant="Projet clair et utile ; précisez le calendrier de "
                "tournage et le rôle des campus dans le tutorat.",
                comment_to_committee="Équipe solide, budget réaliste.", submit=True,
            )  # fmt: skip
    assert Application.objects.filter(call=call).count() == len(_APPLICANTS)
