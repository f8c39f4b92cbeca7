"""Reads on users and roles that pages and other apps need."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from sankore.accounts.models import RoleAssignment, User
from sankore.institutions.models import Institution


@dataclass(frozen=True)
class RoleSummary:
    """One role as shown to its holder: what it is and where it applies."""

    role: str
    label: str
    institution_name: str


def user_role_summaries(*, user: User) -> list[RoleSummary]:
    """The platform-wide and institution roles of ``user``, programme-wide ones first."""
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .select_related("institution")
        .order_by("role", "institution__name")
    )
    summaries = [
        RoleSummary(
            role=assignment.role,
            label=str(assignment.get_role_display()),
            institution_name=str(assignment.institution) if assignment.institution else "",
        )
        for assignment in assignments
    ]
    return sorted(summaries, key=lambda summary: bool(summary.institution_name))


def institutions_for_profile() -> QuerySet[Institution]:
    """Institutions a learner may say they belong to, as the profile form lists them."""
    return Institution.objects.only("pk", "name", "acronym").order_by("name")
