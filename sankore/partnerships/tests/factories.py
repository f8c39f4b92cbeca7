"""Institutions of both hemispheres, their people, and partnerships at any step."""

from __future__ import annotations

import datetime
from typing import Any

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.institutions.models import Institution
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.partnerships import services
from sankore.partnerships.models import Partnership


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
            services.PartyTerms(partnership.proposer, "Porteur", "Experts du contenu, tuteurs"),
            services.PartyTerms(partnership.partner, "Co-producteur", "Studio vidéo"),
        ],
        "milestones": [services.Milestone("Tournage", datetime.date(2027, 4, 1))],
        "budget_lines": [
            services.BudgetLine("Tournage", partnership.partner, "12 500,50"),
            services.BudgetLine("Tutorat", partnership.proposer, "3000"),
        ],
    }
