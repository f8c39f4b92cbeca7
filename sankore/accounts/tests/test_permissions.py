"""Role checks: one place answers "may this user …?", from role rows only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sankore.accounts import permissions
from sankore.accounts.models import Role, User
from sankore.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_a_plain_learner_has_no_role(learner: User) -> None:
    university = InstitutionFactory()

    assert permissions.user_is_programme_staff(user=learner) is False
    assert permissions.user_is_expert_reviewer(user=learner) is False
    assert (
        permissions.user_is_institution_staff(user=learner, institution_id=university.pk) is False
    )
    assert (
        permissions.user_can_manage_institution(user=learner, institution_id=university.pk) is False
    )
    assert permissions.user_may_use_admin(user=learner) is False
    assert permissions.institution_ids_staffed_by(user=learner) == set()


def test_anonymous_visitors_have_no_role() -> None:
    anonymous = AnonymousUser()

    assert permissions.user_is_programme_staff(user=anonymous) is False
    assert permissions.user_is_expert_reviewer(user=anonymous) is False
    assert permissions.user_is_campus_staff(user=anonymous, institution_id=1) is False
    assert permissions.campus_ids_staffed_by(user=anonymous) == set()
    assert permissions.user_may_use_admin(user=anonymous) is False


def test_programme_staff_manage_every_institution_and_use_the_admin(learner: User) -> None:
    RoleAssignmentFactory(user=learner, role=Role.PROGRAMME_STAFF)
    university = InstitutionFactory()

    assert permissions.user_is_programme_staff(user=learner) is True
    assert permissions.user_can_manage_institution(user=learner, institution_id=university.pk)
    assert permissions.user_can_manage_roles(user=learner) is True
    assert permissions.user_may_use_admin(user=learner) is True


def test_superusers_count_as_programme_staff() -> None:
    root = UserFactory(is_superuser=True)

    assert permissions.user_is_programme_staff(user=root) is True
    assert permissions.user_may_use_admin(user=root) is True


def test_is_staff_alone_does_not_open_the_admin() -> None:
    flagged = UserFactory(is_staff=True)

    assert permissions.user_may_use_admin(user=flagged) is False


def test_an_inactive_programme_staff_member_cannot_use_the_admin() -> None:
    former = UserFactory(is_active=False)
    RoleAssignmentFactory(user=former, role=Role.PROGRAMME_STAFF)

    assert permissions.user_may_use_admin(user=former) is False


def test_expert_reviewer(learner: User) -> None:
    RoleAssignmentFactory(user=learner, role=Role.EXPERT_REVIEWER)

    assert permissions.user_is_expert_reviewer(user=learner) is True
    assert permissions.user_is_programme_staff(user=learner) is False


def test_institution_staff_manage_only_their_institution(learner: User) -> None:
    mine, other = InstitutionFactory(), InstitutionFactory()
    RoleAssignmentFactory(user=learner, role=Role.INSTITUTION_STAFF, institution=mine)

    assert permissions.user_is_institution_staff(user=learner, institution_id=mine.pk) is True
    assert permissions.user_is_institution_staff(user=learner, institution_id=other.pk) is False
    assert permissions.user_can_manage_institution(user=learner, institution_id=mine.pk) is True
    assert permissions.user_can_manage_institution(user=learner, institution_id=other.pk) is False
    assert permissions.institution_ids_staffed_by(user=learner) == {mine.pk}
    assert permissions.campus_ids_staffed_by(user=learner) == set()


def test_campus_staff_run_exams_only_in_their_campus(learner: User) -> None:
    campus = InstitutionFactory(kind=InstitutionKind.CAMPUS)
    other_campus = InstitutionFactory(kind=InstitutionKind.CAMPUS)
    RoleAssignmentFactory(user=learner, role=Role.CAMPUS_STAFF, institution=campus)

    assert permissions.user_is_campus_staff(user=learner, institution_id=campus.pk) is True
    assert permissions.user_can_run_exams_at(user=learner, institution_id=campus.pk) is True
    assert permissions.user_can_run_exams_at(user=learner, institution_id=other_campus.pk) is False
    assert permissions.campus_ids_staffed_by(user=learner) == {campus.pk}
    assert permissions.institution_ids_staffed_by(user=learner) == {campus.pk}
