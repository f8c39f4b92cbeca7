"""Exam day at the centre: the attendance list, the fee at the desk, the check-in with the
identity document seen — by that centre's staff only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.exams import services
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.services import ExamError
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    paying_sitting,
)

pytestmark = pytest.mark.django_db

# 09:00 in Dakar (UTC+0) on exam day: the sitting has started.
AT_THE_DOOR = datetime.datetime(2030, 6, 12, 8, 45, tzinfo=datetime.UTC)


def _registered(sitting: ExamSitting, count: int = 1) -> list[ExamRegistration]:
    return [
        services.registration_create(
            learner=learner_of(sitting.course_run), sitting=sitting, now=DURING_REGISTRATION
        )
        for _ in range(count)
    ]


def test_the_centre_checks_a_candidate_in_once_with_their_identity_seen() -> None:
    dakar = centre()
    sitting = paying_sitting(at=dakar)
    (registration,) = _registered(sitting)
    staff = campus_staff(dakar)

    with pytest.raises(ExamError) as no_identity:
        services.registration_check_in(
            registration=registration, by=staff, identity_checked=False, now=AT_THE_DOOR
        )
    registration.refresh_from_db()
    assert no_identity.value.code == "identity_required"
    assert registration.checked_in_at is None

    services.registration_check_in(
        registration=registration, by=staff, identity_checked=True, now=AT_THE_DOOR
    )
    with pytest.raises(ExamError) as twice:
        services.registration_check_in(
            registration=registration, by=staff, identity_checked=True, now=AT_THE_DOOR
        )

    registration.refresh_from_db()
    assert (registration.checked_in_at, registration.checked_in_by) == (AT_THE_DOOR, staff)
    assert registration.identity_checked is True
    assert twice.value.code == "already_checked_in"


def test_check_in_is_refused_the_day_before_and_at_another_centre() -> None:
    dakar, kinshasa = centre(), centre(city="Kinshasa", country="CD", time_zone="Africa/Kinshasa")
    sitting = paying_sitting(at=dakar)
    (registration,) = _registered(sitting)

    with pytest.raises(ExamError) as early:
        services.registration_check_in(
            registration=registration, by=campus_staff(dakar), identity_checked=True,
            now=AT_THE_DOOR - datetime.timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ExamError) as elsewhere:
        services.registration_check_in(
            registration=registration, by=campus_staff(kinshasa), identity_checked=True,
            now=AT_THE_DOOR,
        )  # fmt: skip

    assert (early.value.code, elsewhere.value.code) == ("check_in_closed", "not_allowed")
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_attendance_list_for_the_centre_staff_only(client: Client) -> None:
    dakar = centre()
    sitting = paying_sitting(at=dakar, seats=2)
    first, second, waiting = _registered(sitting, 3)
    url = reverse("exams:attendance", args=[sitting.pk])

    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(
        campus_staff(centre(city="Cotonou", country="BJ", time_zone="Africa/Porto-Novo"))
    )
    assert client.get(url).status_code == 403

    client.force_login(campus_staff(dakar))
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert first.learner.email in text
    assert second.learner.email in text
    assert waiting.learner.email not in text  # waiting: no seat, not on the list
    assert "1 en liste d’attente" in text
    # Addresses with the seat's digit in them are not found by it (apprenant12@… for seat 2).
    first.learner.email = f"candidat{second.seat_number}{second.seat_number}@example.org"
    first.learner.save(update_fields=["email"])
    searched = client.get(url, {"q": str(second.seat_number)}).content.decode()
    assert second.learner.email in searched
    assert first.learner.email not in searched

    paid = client.post(
        reverse("exams:payment", args=[sitting.pk, first.pk]), {"receipt_number": "R-0042"}
    )
    first.refresh_from_db()
    assert paid.status_code == 302
    assert first.receipt_number == "R-0042"
    assert len(queries) <= 12


def test_a_payment_form_from_another_sitting_is_a_404(client: Client) -> None:
    dakar = centre()
    one, other = paying_sitting(at=dakar), paying_sitting(at=dakar)
    (registration,) = _registered(other)
    client.force_login(campus_staff(dakar))

    response = client.post(
        reverse("exams:payment", args=[one.pk, registration.pk]), {"receipt_number": "R-1"}
    )

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.receipt_number == ""
