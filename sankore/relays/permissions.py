"""Who curates a campus's relay page: its campus staff, and programme staff."""

from __future__ import annotations

from sankore.accounts.permissions import AnyUser, user_is_campus_staff, user_is_programme_staff
from sankore.institutions.models import Institution


def user_can_manage_relay(*, user: AnyUser, campus: Institution) -> bool:
    return user_is_programme_staff(user=user) or user_is_campus_staff(
        user=user, institution_id=campus.pk
    )
