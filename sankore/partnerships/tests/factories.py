"""Institutions of both hemispheres, their people, and partnerships at any step; private
partners, their sponsored seats and vouchers."""

from __future__ import annotations

import datetime
from typing import Any

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.institutions.models import Institution, InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.partnerships import agreements, services, sponsors
from sankore.partnerships.models import ContributionKind, Partnership, SponsorContribution, Voucher


def southern(**fields: Any) -> Institution:
    values = {"name": "Université de Ouagadougou", "country": "BF", "region": "afrique-ouest"}
    return InstitutionFactory(**{**values, **fields})


def northern(**fields: Any) -> Institution:
    values = {
        "name": "Université de Bordeaux", "country": "FR", "region": "europe-ouest",
        "city": "Bordeaux", "time_zone": "Europe/Paris",
    }  # fmt: skip
    return InstitutionFactory(**{**values, **fields})


def staff_of(institution: Institution, *, signatory: bool = False, **fields: Any) -> User:
    user = UserFactory(**fields)
    RoleAssignment.objects.create(user=user, role=Role.INSTITUTION_STAFF, institution=institution)
    if signatory:
        RoleAssignment.objects.create(user=user, role=Role.SIGNATORY, institution=institution)
    return user


def signatory_of(institution: Institution, **fields: Any) -> User:
    user = UserFactory(**fields)
    RoleAssignment.objects.create(user=user, role=Role.SIGNATORY, institution=institution)
    return user


def proposal(
    proposer: Institution | None = None, partner: Institution | None = None
) -> tuple[Partnership, User, User]:
    """A proposal from a Southern university to a Northern one, with one staff member each."""
    proposer = proposer or southern()
    partner = partner or northern()
    asking, asked = staff_of(proposer), staff_of(partner)
    partnership = services.partnership_propose(
        proposer=proposer, partner=partner, by=asking, title="CLOM d'agroécologie",
        message="Nous voulons co-construire un CLOM d'agroécologie.",
    )  # fmt: skip
    return partnership, asking, asked


def agreement_terms(partnership: Partnership) -> dict[str, Any]:
    return {
        "purpose": "Co-construire le CLOM « Agroécologie au Sahel ».",
        "licence": "CC-BY-SA-4.0",
        "starts_on": datetime.date(2027, 1, 1),
        "ends_on": datetime.date(2027, 12, 31),
        "parties": [
            agreements.PartyTerms(partnership.proposer, "Porteur", "Experts du contenu, tuteurs"),
            agreements.PartyTerms(partnership.partner, "Co-producteur", "Studio vidéo"),
        ],
        "milestones": [agreements.Milestone("Tournage", datetime.date(2027, 4, 1))],
        "budget_lines": [
            agreements.BudgetLine("Tournage", partnership.partner, "12 500,50"),
            agreements.BudgetLine("Tutorat", partnership.proposer, "3000"),
        ],
    }


# --- Private partners and their vouchers ---------------------------------------------------


def programme_person(**fields: Any) -> User:
    user = UserFactory(**fields)
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_STAFF)
    return user


def company(**fields: Any) -> Institution:
    values = {
        "name": "Fondation Orange Sénégal", "kind": InstitutionKind.FOUNDATION, "country": "SN",
        "region": "afrique-ouest",
    }  # fmt: skip
    return InstitutionFactory(**{**values, **fields})


def seats_contribution(
    *, sponsor: Institution | None = None, by: User | None = None, **fields: Any
) -> SponsorContribution:
    """Sponsored seats, recorded by programme staff (a new foundation unless given)."""
    return sponsors.sponsor_contribution_create(
        by=by or programme_person(), sponsor=sponsor or company(),
        kind=fields.pop("kind", ContributionKind.SPONSORED_SEATS), **fields,
    )  # fmt: skip


def shared_voucher(*, seats: int = 5, **fields: Any) -> Voucher:
    """One shared code of ``seats`` seats, for exam fees."""
    contribution = fields.pop("contribution", None) or seats_contribution()
    (voucher,) = sponsors.voucher_batch_create(
        by=programme_person(), contribution=contribution, seats=seats, shared=True, **fields
    )
    return voucher
