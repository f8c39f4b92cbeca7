"""Who may run and list what: one answer for a detail and for a list."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseTeamMember, CourseTeamRole
from sankore.exams import services
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.permissions import (
    registration_queryset_visible_to,
    sitting_queryset_managed_by,
    user_can_manage_centre,
    user_can_manage_sitting,
    user_can_record_payment,
    user_can_see_registration,
)
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    programme_staff,
    sitting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_campuses() -> tuple[ExamSitting, ExamSitting]:
    return sitting(at=centre(city="Dakar")), sitting(at=centre(city="Thiès"))


def _register(at: ExamSitting) -> ExamRegistration:
    return services.registration_create(
        learner=learner_of(at.course_run), sitting=at, now=DURING_REGISTRATION
    )


def test_campus_staff_run_their_own_centre_only(
    two_campuses: tuple[ExamSitting, ExamSitting],
) -> None:
    dakar, thies = two_campuses
    staff = campus_staff(dakar.centre)

    assert user_can_manage_centre(user=staff, centre=dakar.centre)
    assert not user_can_manage_centre(user=staff, centre=thies.centre)
    assert user_can_record_payment(user=staff, centre=dakar.centre)
    assert not user_can_record_payment(user=staff, centre=thies.centre)
    assert list(sitting_queryset_managed_by(user=staff, queryset=ExamSitting.objects.all())) == [
        dakar
    ]


def test_the_lists_agree_with_the_detail_checks_for_every_role(
    two_campuses: tuple[ExamSitting, ExamSitting],
) -> None:
    dakar, thies = two_campuses
    registrations = [_register(dakar), _register(thies)]
    teacher = UserFactory()
    CourseTeamMember.objects.create(
        course=thies.course_run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR
    )
    people = [
        AnonymousUser(), UserFactory(), registrations[0].learner, teacher,
        campus_staff(dakar.centre), programme_staff(),
    ]  # fmt: skip

    for person in people:
        listed = set(
            registration_queryset_visible_to(user=person, queryset=ExamRegistration.objects.all())
        )
        assert listed == {
            r for r in registrations if user_can_see_registration(user=person, registration=r)
        }
        managed = set(sitting_queryset_managed_by(user=person, queryset=ExamSitting.objects.all()))
        assert managed == {
            s for s in (dakar, thies) if user_can_manage_sitting(user=person, sitting=s)
        }


def test_a_learner_sees_only_their_own_registration(
    two_campuses: tuple[ExamSitting, ExamSitting],
) -> None:
    dakar, _thies = two_campuses
    mine, theirs = _register(dakar), _register(dakar)

    visible = registration_queryset_visible_to(
        user=mine.learner, queryset=ExamRegistration.objects.all()
    )

    assert list(visible) == [mine]
    assert not user_can_see_registration(user=mine.learner, registration=theirs)


def test_the_course_team_manages_the_sittings_of_its_course_not_the_others(
    two_campuses: tuple[ExamSitting, ExamSitting],
) -> None:
    dakar, thies = two_campuses
    teacher = UserFactory()
    CourseTeamMember.objects.create(
        course=dakar.course_run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR
    )

    assert user_can_manage_sitting(user=teacher, sitting=dakar)
    assert not user_can_manage_sitting(user=teacher, sitting=thies)
    assert not user_can_record_payment(user=teacher, centre=dakar.centre)
