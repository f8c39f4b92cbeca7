"""Role checks shared by every app: one place answers "may this user …?".

Roles are rows of ``RoleAssignment``, read here and nowhere else, so that a page, the API and
the admin always give the same answer. Course-team roles live with the catalog
(``catalog.permissions``), which sits above this app.
"""

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


def user_is_expert_reviewer(*, user: AnyUser) -> bool:
    return user_has_role(user=user, role=Role.EXPERT_REVIEWER)


def user_is_institution_staff(*, user: AnyUser, institution_id: int) -> bool:
    return user_has_role(user=user, role=Role.INSTITUTION_STAFF, institution_id=institution_id)


def user_is_signatory(*, user: AnyUser, institution_id: int) -> bool:
    """Whether the user may sign agreements in the institution's name."""
    return user_has_role(user=user, role=Role.SIGNATORY, institution_id=institution_id)


def user_is_campus_staff(*, user: AnyUser, institution_id: int) -> bool:
    return user_has_role(user=user, role=Role.CAMPUS_STAFF, institution_id=institution_id)


def institution_ids_staffed_by(*, user: AnyUser) -> set[int]:
    """Institutions (and campuses) whose staff this user belongs to."""
    if not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(
            user_id=user.pk, role__in=[Role.INSTITUTION_STAFF, Role.CAMPUS_STAFF]
        ).values_list("institution_id", flat=True)
    )


def institution_ids_of_institution_staff(*, user: AnyUser) -> set[int]:
    """Institutions whose institution staff (not campus staff) this user belongs to: those
    for which they may create courses."""
    if not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(user_id=user.pk, role=Role.INSTITUTION_STAFF).values_list(
            "institution_id", flat=True
        )
    )


def campus_ids_staffed_by(*, user: AnyUser) -> set[int]:
    """Campuses (exam centres) whose staff this user belongs to."""
    if not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(user_id=user.pk, role=Role.CAMPUS_STAFF).values_list(
            "institution_id", flat=True
        )
    )


def user_can_manage_institution(*, user: AnyUser, institution_id: int) -> bool:
    return user_is_programme_staff(user=user) or institution_id in institution_ids_staffed_by(
        user=user
    )


def user_can_run_exams_at(*, user: AnyUser, institution_id: int) -> bool:
    """Exam sessions in a centre are run by its campus staff, or by programme staff."""
    return user_is_programme_staff(user=user) or user_is_campus_staff(
        user=user, institution_id=institution_id
    )


def user_can_manage_roles(*, user: AnyUser) -> bool:
    """Granting and revoking roles is the programme's business."""
    return user_is_programme_staff(user=user)


def user_may_use_admin(*, user: AnyUser) -> bool:
    """The admin is the programme staff's back office (and the superusers')."""
    return bool(user.is_authenticated and user.is_active and user_is_programme_staff(user=user))
