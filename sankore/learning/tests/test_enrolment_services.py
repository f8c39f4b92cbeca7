"""Enrolment rules: open sessions only, capacity never exceeded, no duplicate rows."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseRun
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.learning.models import Enrolment
from sankore.learning.services import (
    AlreadyEnrolledError,
    EnrolmentClosedError,
    SessionFullError,
    enrolment_create,
    enrolment_deactivate,
)

pytestmark = pytest.mark.django_db


def test_a_learner_enrols_into_an_open_session() -> None:
    learner = UserFactory()
    run = CourseRunFactory()

    enrolment = enrolment_create(user=learner, course_run=run)

    assert enrolment.is_active is True
    assert list(Enrolment.objects.values_list("user_id", "course_run_id", "is_active")) == [
        (learner.pk, run.pk, True)
    ]
    run.refresh_from_db()
    assert run.enrolment_count == 1


def test_a_second_enrolment_is_refused_without_a_duplicate_row() -> None:
    learner = UserFactory()
    run = CourseRunFactory()
    enrolment_create(user=learner, course_run=run)

    with pytest.raises(AlreadyEnrolledError) as refused:
        enrolment_create(user=learner, course_run=run)

    assert refused.value.code == "already_enrolled"
    assert Enrolment.objects.count() == 1
    run.refresh_from_db()
    assert run.enrolment_count == 1


@pytest.mark.parametrize(
    ("trait", "code"),
    [
        ("upcoming", "not_open_yet"),
        ("ongoing", "enrolment_closed"),
        ("archived", "enrolment_closed"),
    ],
)
def test_enrolment_outside_the_enrolment_window_is_refused(trait: str, code: str) -> None:
    learner = UserFactory()
    run = CourseRunFactory(**{trait: True})

    with pytest.raises(EnrolmentClosedError) as refused:
        enrolment_create(user=learner, course_run=run)

    assert refused.value.code == code
    assert Enrolment.objects.count() == 0
    run.refresh_from_db()
    assert run.enrolment_count == 0


def test_enrolment_into_an_unpublished_session_is_refused() -> None:
    run = CourseRunFactory(is_published=False)

    with pytest.raises(EnrolmentClosedError) as refused:
        enrolment_create(user=UserFactory(), course_run=run)

    assert refused.value.code == "not_published"
    assert Enrolment.objects.count() == 0


def test_the_state_is_judged_at_the_given_time() -> None:
    run = CourseRunFactory()
    after_enrolment_closed = run.enrolment_end + datetime.timedelta(minutes=1)

    with pytest.raises(EnrolmentClosedError):
        enrolment_create(user=UserFactory(), course_run=run, now=after_enrolment_closed)

    assert Enrolment.objects.count() == 0


def test_a_full_session_refuses_the_next_learner() -> None:
    run = CourseRunFactory(capacity=2)
    enrolment_create(user=UserFactory(), course_run=run)
    enrolment_create(user=UserFactory(), course_run=run)
    latecomer = UserFactory()

    with pytest.raises(SessionFullError) as refused:
        enrolment_create(user=latecomer, course_run=run)

    assert refused.value.code == "session_full"
    assert not Enrolment.objects.filter(user=latecomer).exists()
    run.refresh_from_db()
    assert run.enrolment_count == 2


def test_unenrolling_frees_the_seat_and_re_enrolling_revives_the_same_row() -> None:
    learner = UserFactory()
    run = CourseRunFactory(capacity=1)
    first = enrolment_create(user=learner, course_run=run)

    enrolment_deactivate(user=learner, course_run=run)
    run.refresh_from_db()
    assert run.enrolment_count == 0
    assert Enrolment.objects.get().is_active is False

    again = enrolment_create(user=learner, course_run=run)

    assert again.pk == first.pk
    assert Enrolment.objects.count() == 1
    assert Enrolment.objects.get().is_active is True
    run.refresh_from_db()
    assert run.enrolment_count == 1


def test_unenrolling_without_an_enrolment_is_refused_and_changes_nothing() -> None:
    run = CourseRunFactory()
    enrolment_create(user=UserFactory(), course_run=run)

    with pytest.raises(ServiceError) as refused:
        enrolment_deactivate(user=UserFactory(), course_run=run)

    assert refused.value.code == "not_enrolled"
    run.refresh_from_db()
    assert run.enrolment_count == 1
    assert Enrolment.objects.filter(is_active=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_learners_never_exceed_the_capacity() -> None:
    """Eight learners race for three seats from eight connections: exactly three win."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database cannot be shared between threads")
    run = CourseRunFactory(capacity=3)
    learners = UserFactory.create_batch(8)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(learners))

    def attempt(learner_id: int) -> None:
        from sankore.accounts.models import User

        try:
            barrier.wait()
            enrolment_create(
                user=User.objects.get(pk=learner_id),
                course_run=CourseRun.objects.get(pk=run.pk),
                now=timezone.now(),
            )
            outcomes.append("enrolled")
        except SessionFullError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(learner.pk,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["enrolled"] * 3 + ["full"] * 5
    run.refresh_from_db()
    assert run.enrolment_count == 3
    assert Enrolment.objects.filter(course_run=run, is_active=True).count() == 3
