"""Registrations at the same moment (PostgreSQL only: the sitting's row lock is what keeps
the count right): never more confirmed learners than seats, every other one waiting with a
position of their own, no error; a learner clicking twice at once is registered once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from sankore.core.errors import ServiceError
from sankore.exams import services
from sankore.exams.models import ExamRegistration, RegistrationStatus
from sankore.exams.tests.factories import DURING_REGISTRATION, centre, learner_of, sitting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (set DATABASE_URL to run)")


def _at_once(calls: list[Callable[[], str]]) -> list[str]:
    """Run the calls from as many connections, released together; each one's outcome (a
    status, a refusal code, or the repr of anything else raised)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcomes[number] = calls[number]()
        except ServiceError as refused:
            outcomes[number] = refused.code
        except Exception as error:  # reported by the assertions, not lost
            outcomes[number] = f"crash: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_sixty_learners_at_once_for_ten_seats() -> None:
    given = sitting(at=centre(), seats=10)
    learners = [learner_of(given.course_run) for _ in range(60)]

    def register(learner: object) -> Callable[[], str]:
        def call() -> str:
            return services.registration_create(
                learner=learner,
                sitting=given,
                now=DURING_REGISTRATION,  # type: ignore[arg-type]
            ).status

        return call

    outcomes = _at_once([register(learner) for learner in learners])

    assert Counter(outcomes) == {RegistrationStatus.CONFIRMED: 10, RegistrationStatus.WAITING: 50}
    rows = ExamRegistration.objects.filter(sitting=given)
    seats = sorted(rows.filter(status="confirmee").values_list("seat_number", flat=True))
    positions = sorted(rows.filter(status="attente").values_list("waiting_position", flat=True))
    assert seats == list(range(1, 11))
    assert positions == list(range(1, 51))


def test_one_learner_clicking_twice_at_once_is_registered_once() -> None:
    first = sitting(at=centre(), seats=10)
    second = sitting(at=centre(city="Thiès"), run=first.course_run, seats=10)
    learner = learner_of(first.course_run)

    def register(at: object) -> Callable[[], str]:
        def call() -> str:
            return services.registration_create(
                learner=learner,
                sitting=at,
                now=DURING_REGISTRATION,  # type: ignore[arg-type]
            ).status

        return call

    outcomes = _at_once([register(first), register(second), register(first), register(second)])

    assert sorted(outcomes) == ["already_registered"] * 3 + [RegistrationStatus.CONFIRMED]
    assert ExamRegistration.objects.filter(learner=learner).count() == 1


def test_cancellations_and_registrations_at_once_keep_the_seats_full_and_distinct() -> None:
    given = sitting(at=centre(), seats=5)
    seated = [
        services.registration_create(
            learner=learner_of(given.course_run), sitting=given, now=DURING_REGISTRATION
        )
        for _ in range(15)
    ]
    newcomers = [learner_of(given.course_run) for _ in range(10)]

    def cancel(registration: ExamRegistration) -> Callable[[], str]:
        def call() -> str:
            return services.registration_cancel(
                registration=registration, by=registration.learner, now=DURING_REGISTRATION
            ).registration.status

        return call

    def register(learner: object) -> Callable[[], str]:
        def call() -> str:
            return services.registration_create(
                learner=learner,
                sitting=given,
                now=DURING_REGISTRATION,  # type: ignore[arg-type]
            ).status

        return call

    outcomes = _at_once([cancel(r) for r in seated[:5]] + [register(n) for n in newcomers])

    assert not [outcome for outcome in outcomes if outcome.startswith("crash")]
    confirmed = ExamRegistration.objects.filter(sitting=given, status="confirmee")
    assert sorted(confirmed.values_list("seat_number", flat=True)) == [1, 2, 3, 4, 5]
    # The five freed seats went to the five first of the waiting list, not to newcomers.
    assert set(confirmed.values_list("pk", flat=True)) == {r.pk for r in seated[5:10]}
