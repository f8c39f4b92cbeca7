"""Registering for a sitting, the waiting list, cancelling, paying at the desk: each refusal
names its reason and leaves every row as it was."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.credentials.models import Credential, CredentialKind, IssueBasis
from sankore.exams import services
from sankore.exams.models import ExamRegistration, ExamSitting, RegistrationStatus
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    paying_sitting,
    programme_staff,
    sitting,
)
from sankore.learning.models import Enrolment

pytestmark = pytest.mark.django_db

NOW = DURING_REGISTRATION
CONFIRMED, WAITING, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def _rows() -> list[tuple[object, ...]]:
    return list(
        ExamRegistration.objects.order_by("pk").values_list(
            "pk", "learner_id", "sitting_id", "status", "seat_number", "waiting_position",
            "paid_at", "receipt_number", "fee_waiver",
        )
    )  # fmt: skip


def _refused(code: str, call: object, *args: object, **kwargs: object) -> None:
    before = _rows()
    with pytest.raises(ServiceError) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    assert refused.value.code == code
    assert str(refused.value.message)
    assert _rows() == before


def _register(learner: object, at: ExamSitting) -> ExamRegistration:
    return services.registration_create(learner=learner, sitting=at, now=NOW)  # type: ignore[arg-type]


# --- Capacity and waiting list --------------------------------------------------------------


def test_seats_are_confirmed_in_order_then_the_waiting_list_fills() -> None:
    given = sitting(at=centre(), seats=2)
    learners = [learner_of(given.course_run) for _ in range(4)]

    registrations = [_register(learner, given) for learner in learners]

    assert [(r.status, r.seat_number, r.waiting_position) for r in registrations] == [
        (CONFIRMED, 1, None), (CONFIRMED, 2, None), (WAITING, None, 1), (WAITING, None, 2),
    ]  # fmt: skip
    assert registrations[2].waiting_since == NOW


def test_a_cancelled_seat_goes_to_the_first_waiting_learner_at_once() -> None:
    given = sitting(at=centre(), seats=2)
    first, _second, third, fourth = [
        _register(learner_of(given.course_run), given) for _ in range(4)
    ]

    cancellation = services.registration_cancel(registration=first, by=first.learner, now=NOW)

    assert cancellation.registration.status == CANCELLED
    assert cancellation.registration.cancelled_at == NOW
    assert cancellation.promoted is not None
    assert cancellation.promoted.pk == third.pk
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, third.seat_number, third.confirmed_at) == (CONFIRMED, 1, NOW)
    assert (fourth.status, fourth.waiting_position) == (WAITING, 2)
    assert ExamRegistration.objects.filter(sitting=given, status=CONFIRMED).count() == 2


def test_cancelling_a_waiting_registration_promotes_nobody() -> None:
    given = sitting(at=centre(), seats=1)
    confirmed = _register(learner_of(given.course_run), given)
    waiting = _register(learner_of(given.course_run), given)

    cancellation = services.registration_cancel(registration=waiting, by=waiting.learner, now=NOW)

    assert cancellation.promoted is None
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.seat_number) == (CONFIRMED, 1)


def test_the_lowest_free_seat_is_given_after_a_cancellation_with_nobody_waiting() -> None:
    given = sitting(at=centre(), seats=3)
    first, _second = [_register(learner_of(given.course_run), given) for _ in range(2)]
    services.registration_cancel(registration=first, by=first.learner, now=NOW)

    later = _register(learner_of(given.course_run), given)

    assert (later.status, later.seat_number) == (CONFIRMED, 1)


def test_a_learner_who_cancelled_may_register_again() -> None:
    given = sitting(at=centre(), seats=3)
    learner = learner_of(given.course_run)
    services.registration_cancel(registration=_register(learner, given), by=learner, now=NOW)

    again = _register(learner, given)

    assert again.status == CONFIRMED
    assert ExamRegistration.objects.filter(learner=learner).count() == 2


def test_the_next_waiting_position_follows_the_last_one_still_waiting() -> None:
    given = sitting(at=centre(), seats=1)
    _register(learner_of(given.course_run), given)
    waiting = [_register(learner_of(given.course_run), given) for _ in range(3)]
    services.registration_cancel(registration=waiting[2], by=waiting[2].learner, now=NOW)

    later = _register(learner_of(given.course_run), given)

    assert later.waiting_position == 3


# --- Refusals -------------------------------------------------------------------------------


def test_registering_twice_for_the_same_exam_is_refused() -> None:
    given = sitting(at=centre())
    learner = learner_of(given.course_run)
    _register(learner, given)

    _refused("already_registered", _register, learner, given)


def test_registering_for_another_sitting_of_the_same_exam_is_refused() -> None:
    dakar = sitting(at=centre())
    thies = sitting(at=centre(city="Thiès"), run=dakar.course_run)
    learner = learner_of(dakar.course_run)
    _register(learner, dakar)

    _refused("already_registered", _register, learner, thies)


def test_the_database_holds_one_active_registration_per_learner_and_exam() -> None:
    given = sitting(at=centre())
    first = _register(learner_of(given.course_run), given)

    with pytest.raises(IntegrityError), transaction.atomic():
        ExamRegistration.objects.create(
            sitting=given, learner=first.learner, course_run=given.course_run,
            centre=given.centre, status=WAITING, waiting_position=9,
        )  # fmt: skip


def test_the_database_holds_one_confirmed_learner_per_seat() -> None:
    given = sitting(at=centre())
    _register(learner_of(given.course_run), given)

    with pytest.raises(IntegrityError), transaction.atomic():
        ExamRegistration.objects.create(
            sitting=given, learner=learner_of(given.course_run), course_run=given.course_run,
            centre=given.centre, status=CONFIRMED, seat_number=1,
        )  # fmt: skip


def test_registering_without_an_active_enrolment_is_refused() -> None:
    given = sitting(at=centre())
    learner = learner_of(given.course_run)
    Enrolment.objects.filter(user=learner).update(is_active=False)

    _refused("not_enrolled", _register, learner, given)
    _refused("not_enrolled", _register, UserFactory(), given)


def test_registering_without_the_required_attestation_is_refused() -> None:
    given = sitting(at=centre(), requires_attestation=True)

    _refused("attestation_required", _register, learner_of(given.course_run), given)


def test_an_attestation_holder_registers_when_it_is_required() -> None:
    given = sitting(at=centre(), requires_attestation=True)
    learner = learner_of(given.course_run)
    Credential.objects.create(
        identifier="K7QM2X9D4HRT8WNB", kind=CredentialKind.ATTESTATION, holder=learner,
        course_run=given.course_run, basis=IssueBasis.GRADE, holder_name="A. Diallo",
        course_title="Cours", course_code="C", effort_hours=Decimal(10),
    )  # fmt: skip

    assert _register(learner, given).status == CONFIRMED


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (datetime.datetime(2030, 2, 1, tzinfo=datetime.UTC), "registration_not_open"),
        (datetime.datetime(2030, 5, 31, 18, 0, tzinfo=datetime.UTC), "registration_closed"),
    ],
)
def test_registering_outside_the_window_is_refused(moment: datetime.datetime, code: str) -> None:
    given = sitting(at=centre())
    learner = learner_of(given.course_run)

    _refused(code, services.registration_create, learner=learner, sitting=given, now=moment)


def test_a_full_sitting_puts_the_learner_on_the_waiting_list_not_in_a_seat() -> None:
    given = sitting(at=centre(), seats=1)
    _register(learner_of(given.course_run), given)

    late = _register(learner_of(given.course_run), given)

    assert (late.status, late.seat_number) == (WAITING, None)


def test_a_sitting_with_more_seats_than_its_room_is_refused() -> None:
    dakar = centre()
    room = services.exam_room_create(centre=dakar, name="Salle A", capacity=20)

    with pytest.raises(ServiceError) as refused:
        sitting(at=dakar, room=room, seats=21)

    assert refused.value.code == "seats_over_room_capacity"
    assert not ExamSitting.objects.exists()


def test_a_platform_sitting_needs_a_supervised_exam_unit_of_the_publication() -> None:
    with pytest.raises(ServiceError) as refused:
        sitting(at=centre(), mode="plateforme", exam_unit_key="u-inconnue")

    assert refused.value.code == "not_an_exam_unit"
    assert not ExamSitting.objects.exists()


def test_a_centre_is_a_campus_or_a_university() -> None:
    with pytest.raises(ServiceError) as refused:
        centre(kind="entreprise")

    assert refused.value.code == "not_a_centre_kind"


# --- Cancellation ---------------------------------------------------------------------------


def test_a_learner_cannot_cancel_after_the_deadline_but_the_centre_staff_can() -> None:
    given = sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)
    late = datetime.datetime(2030, 5, 20, tzinfo=datetime.UTC)

    _refused(
        "cancellation_closed", services.registration_cancel,
        registration=registration, by=registration.learner, now=late,
    )  # fmt: skip
    staff = campus_staff(given.centre)
    services.registration_cancel(registration=registration, by=staff, now=late)

    registration.refresh_from_db()
    assert (registration.status, registration.cancelled_by) == (CANCELLED, staff)


def test_another_learner_or_another_campus_cannot_cancel_a_registration() -> None:
    given = sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)
    elsewhere = campus_staff(centre(city="Thiès"))

    for stranger in (UserFactory(), elsewhere):
        _refused(
            "not_allowed", services.registration_cancel,
            registration=registration, by=stranger, now=NOW,
        )  # fmt: skip


def test_cancelling_twice_is_refused() -> None:
    given = sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)
    services.registration_cancel(registration=registration, by=registration.learner, now=NOW)

    _refused(
        "already_cancelled", services.registration_cancel,
        registration=registration, by=registration.learner, now=NOW,
    )  # fmt: skip


# --- Payment at the desk --------------------------------------------------------------------


def test_the_centre_staff_record_a_payment_with_its_receipt() -> None:
    given = paying_sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)
    staff = campus_staff(given.centre)

    paid = services.registration_payment_record(
        registration=registration, by=staff, receipt_number=" DKR-2030-0001 ", now=NOW
    )

    assert (paid.paid_at, paid.receipt_number, paid.recorded_by) == (NOW, "DKR-2030-0001", staff)


def test_staff_of_campus_a_cannot_record_a_payment_at_campus_b() -> None:
    given = paying_sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)

    for stranger in (campus_staff(centre(city="Thiès")), registration.learner, programme_staff()):
        _refused(
            "not_allowed", services.registration_payment_record,
            registration=registration, by=stranger, receipt_number="R1", now=NOW,
        )  # fmt: skip


def test_a_receipt_number_is_used_once_per_centre() -> None:
    given = paying_sitting(at=centre())
    staff = campus_staff(given.centre)
    first, second = [_register(learner_of(given.course_run), given) for _ in range(2)]
    services.registration_payment_record(registration=first, by=staff, receipt_number="R1")

    _refused(
        "receipt_taken", services.registration_payment_record,
        registration=second, by=staff, receipt_number="R1",
    )  # fmt: skip


@pytest.mark.parametrize(("receipt", "code"), [("  ", "receipt_required"), ("R2", "already_paid")])
def test_a_payment_needs_a_receipt_and_is_recorded_once(receipt: str, code: str) -> None:
    given = paying_sitting(at=centre())
    staff = campus_staff(given.centre)
    registration = _register(learner_of(given.course_run), given)
    services.registration_payment_record(registration=registration, by=staff, receipt_number="R1")

    _refused(
        code, services.registration_payment_record,
        registration=registration, by=staff, receipt_number=receipt,
    )  # fmt: skip


def test_a_waiting_learner_or_a_free_sitting_has_nothing_to_pay() -> None:
    paying = paying_sitting(at=centre(), seats=1)
    staff = campus_staff(paying.centre)
    _register(learner_of(paying.course_run), paying)
    waiting = _register(learner_of(paying.course_run), paying)
    free = sitting(at=paying.centre, run=CourseRunFactory())
    free_registration = _register(learner_of(free.course_run), free)

    _refused(
        "not_confirmed", services.registration_payment_record,
        registration=waiting, by=staff, receipt_number="R9",
    )  # fmt: skip
    _refused(
        "free_sitting", services.registration_payment_record,
        registration=free_registration, by=staff, receipt_number="R9",
    )  # fmt: skip


# --- Fee taken on by someone else (a sponsor's voucher) -------------------------------------


def test_a_waived_fee_is_paid_with_its_reference_and_no_receipt() -> None:
    given = paying_sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)

    waived = services.registration_fee_waive(
        registration=registration, reference=" SK-7KQM-3HXP ", now=NOW
    )

    registration.refresh_from_db()
    assert (registration.paid_at, registration.fee_waiver, registration.receipt_number) == (
        NOW, "SK-7KQM-3HXP", "",
    )  # fmt: skip
    assert registration.recorded_by is None
    assert waived.is_fee_waived
    assert registration.is_paid


def test_a_fee_is_waived_once_and_not_after_a_payment_at_the_desk() -> None:
    given = paying_sitting(at=centre())
    waived, paid = [_register(learner_of(given.course_run), given) for _ in range(2)]
    services.registration_fee_waive(registration=waived, reference="SK-7KQM-3HXP", now=NOW)
    staff = campus_staff(given.centre)
    services.registration_payment_record(registration=paid, by=staff, receipt_number="R1")

    _refused(
        "already_paid", services.registration_fee_waive,
        registration=waived, reference="SK-AAAA-BBBB", now=NOW,
    )  # fmt: skip
    _refused(
        "already_paid", services.registration_fee_waive,
        registration=paid, reference="SK-AAAA-BBBB", now=NOW,
    )  # fmt: skip
    # Nor is a waived fee then paid at the desk.
    _refused(
        "already_paid", services.registration_payment_record,
        registration=waived, by=staff, receipt_number="R2",
    )  # fmt: skip


def test_a_waiting_a_cancelled_or_a_free_registration_has_no_fee_to_waive() -> None:
    paying = paying_sitting(at=centre(), seats=1)
    seated = _register(learner_of(paying.course_run), paying)
    waiting = _register(learner_of(paying.course_run), paying)
    free = sitting(at=paying.centre, run=CourseRunFactory())
    free_registration = _register(learner_of(free.course_run), free)
    services.registration_cancel(registration=seated, by=seated.learner, now=NOW)
    waiting.refresh_from_db()  # promoted to the freed seat
    cancelled = seated

    _refused(
        "not_confirmed", services.registration_fee_waive,
        registration=cancelled, reference="SK-7KQM-3HXP", now=NOW,
    )  # fmt: skip
    _refused(
        "free_sitting", services.registration_fee_waive,
        registration=free_registration, reference="SK-7KQM-3HXP", now=NOW,
    )  # fmt: skip
    _refused(
        "waiver_reference", services.registration_fee_waive,
        registration=waiting, reference="  ", now=NOW,
    )  # fmt: skip


def test_the_database_refuses_a_waiver_with_a_receipt_or_without_payment() -> None:
    given = paying_sitting(at=centre())
    registration = _register(learner_of(given.course_run), given)

    with pytest.raises(IntegrityError), transaction.atomic():
        ExamRegistration.objects.filter(pk=registration.pk).update(fee_waiver="SK-7KQM-3HXP")
