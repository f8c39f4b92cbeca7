"""Role services: scoped roles need the right institution, assignments are idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.services import RoleScopeError, role_assign, role_revoke
from sankore.accounts.tests.factories import UserFactory
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory(email="programme@example.org")


def test_assign_a_programme_wide_role(learner: User, admin_user: User) -> None:
    assignment = role_assign(user=learner, role=Role.EXPERT_REVIEWER, granted_by=admin_user)

    assert assignment.user == learner
    assert assignment.role == Role.EXPERT_REVIEWER
    assert assignment.institution is None
    assert assignment.granted_by == admin_user
    assert RoleAssignment.objects.count() == 1


def test_assign_institution_staff_in_an_institution(learner: User, admin_user: User) -> None:
    university = InstitutionFactory()

    assignment = role_assign(
        user=learner, role=Role.INSTITUTION_STAFF, institution=university, granted_by=admin_user
    )

    assert assignment.institution == university
    assert RoleAssignment.objects.get().pk == assignment.pk


def test_assign_campus_staff_on_a_campus(learner: User, admin_user: User) -> None:
    campus = InstitutionFactory(kind=InstitutionKind.CAMPUS)

    assignment = role_assign(
        user=learner, role=Role.CAMPUS_STAFF, institution=campus, granted_by=admin_user
    )

    assert assignment.institution == campus


@pytest.mark.parametrize(
    ("role", "kind", "code"),
    [
        (Role.INSTITUTION_STAFF, None, "institution_required"),
        (Role.CAMPUS_STAFF, None, "institution_required"),
        (Role.CAMPUS_STAFF, InstitutionKind.UNIVERSITY, "institution_not_a_campus"),
        (Role.PROGRAMME_STAFF, InstitutionKind.UNIVERSITY, "institution_not_allowed"),
        (Role.EXPERT_REVIEWER, InstitutionKind.CAMPUS, "institution_not_allowed"),
        ("rector", None, "unknown_role"),
    ],
)
def test_invalid_scope_is_refused_and_nothing_is_written(
    learner: User, admin_user: User, role: str, kind: str | None, code: str
) -> None:
    institution = InstitutionFactory(kind=kind) if kind else None

    with pytest.raises(RoleScopeError) as refused:
        role_assign(user=learner, role=role, institution=institution, granted_by=admin_user)

    assert refused.value.code == code
    assert RoleAssignment.objects.count() == 0


def test_assigning_twice_returns_the_first_assignment(learner: User, admin_user: User) -> None:
    first = role_assign(user=learner, role=Role.PROGRAMME_STAFF, granted_by=admin_user)
    someone_else = UserFactory()

    again = role_assign(user=learner, role=Role.PROGRAMME_STAFF, granted_by=someone_else)

    assert again.pk == first.pk
    assert again.granted_by == admin_user
    assert RoleAssignment.objects.count() == 1


def test_assigning_twice_in_one_institution_is_idempotent_too(
    learner: User, admin_user: User
) -> None:
    university = InstitutionFactory()
    first = role_assign(
        user=learner, role=Role.INSTITUTION_STAFF, institution=university, granted_by=admin_user
    )

    again = role_assign(
        user=learner, role=Role.INSTITUTION_STAFF, institution=university, granted_by=admin_user
    )

    assert again.pk == first.pk
    assert RoleAssignment.objects.count() == 1


def test_the_same_role_in_two_institutions_is_two_assignments(
    learner: User, admin_user: User
) -> None:
    one, two = InstitutionFactory(), InstitutionFactory()

    role_assign(user=learner, role=Role.INSTITUTION_STAFF, institution=one, granted_by=admin_user)
    role_assign(user=learner, role=Role.INSTITUTION_STAFF, institution=two, granted_by=admin_user)

    assert set(RoleAssignment.objects.values_list("institution_id", flat=True)) == {one.pk, two.pk}


def test_the_database_refuses_a_duplicate_programme_role_even_without_the_service(
    learner: User,
) -> None:
    RoleAssignment.objects.create(user=learner, role=Role.PROGRAMME_STAFF)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=learner, role=Role.PROGRAMME_STAFF)


def test_assign_survives_losing_the_insert_race(
    learner: User, admin_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a concurrent request that inserts the same assignment between our read and write
    winner = RoleAssignment.objects.create(user=learner, role=Role.EXPERT_REVIEWER)
    real_get = QuerySet.get
    missed: list[bool] = []

    def get_missing_once(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        if self.model is RoleAssignment and not missed:
            missed.append(True)
            raise RoleAssignment.DoesNotExist
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", get_missing_once)

    # When the service runs, its insert hits the unique constraint
    assignment = role_assign(user=learner, role=Role.EXPERT_REVIEWER, granted_by=admin_user)

    # Then it returns the winner's row and wrote nothing more
    assert missed == [True]
    assert assignment.pk == winner.pk
    assert RoleAssignment.objects.count() == 1


def test_revoke_removes_the_role_and_is_idempotent(learner: User, admin_user: User) -> None:
    campus = InstitutionFactory(kind=InstitutionKind.CAMPUS)
    role_assign(user=learner, role=Role.CAMPUS_STAFF, institution=campus, granted_by=admin_user)

    first = role_revoke(
        user=learner, role=Role.CAMPUS_STAFF, institution=campus, revoked_by=admin_user
    )
    second = role_revoke(
        user=learner, role=Role.CAMPUS_STAFF, institution=campus, revoked_by=admin_user
    )

    assert (first, second) == (True, False)
    assert RoleAssignment.objects.count() == 0


def test_revoke_in_one_institution_keeps_the_others(learner: User, admin_user: User) -> None:
    one, two = InstitutionFactory(), InstitutionFactory()
    for institution in (one, two):
        role_assign(
            user=learner,
            role=Role.INSTITUTION_STAFF,
            institution=institution,
            granted_by=admin_user,
        )

    role_revoke(user=learner, role=Role.INSTITUTION_STAFF, institution=one, revoked_by=admin_user)

    assert list(RoleAssignment.objects.values_list("institution_id", flat=True)) == [two.pk]
