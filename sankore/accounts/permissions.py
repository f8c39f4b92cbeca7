"""Role checks shared by every app: one place answers "may this user …?"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from sankore.accounts.models import Role, RoleAssignment, User

AnyUser = User | AnonymousUser


def user_has_role(*, user: AnyUser, role: Role, institution_id: int | None = None) -> bool:
    if not user.is_authenticated:
        return False
    assignments = RoleAssignment.objects.filter(user_id=user.pk, role=role)
    if institution_id is not None:
        assignments = assignments.filter(institution_id=institution_id)
    return assignments.exists()


def user_is_programme_staff(*, user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user_has_role(user=user, role=Role.PROGRAMME_STAFF))
    )


def institution_ids_staffed_by(*, user: AnyUser) -> set[int]:
    """Institutions (and campuses) whose staff this user belongs to."""
    if not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(
            user_id=user.pk, role__in=[Role.INSTITUTION_STAFF, Role.CAMPUS_STAFF]
        ).values_list("institution_id", flat=True)
    )


def user_can_manage_institution(*, user: AnyUser, institution_id: int) -> bool:
    return user_is_programme_staff(user=user) or institution_id in institution_ids_staffed_by(
        user=user
    )
