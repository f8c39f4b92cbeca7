"""The programme staff's back office: a sitting typed in the centre's local time, refused on
an hour skipped by daylight saving; registrations read-only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sankore.catalog.tests.factories import CourseRunFactory
from sankore.exams import services
from sankore.exams.models import ExamCentre, ExamSitting
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
def staff_client(client: Client) -> Client:
    client.force_login(programme_staff())
    return client


def _sitting_form(at: ExamCentre, **changes: Any) -> dict[str, Any]:
    data = {
        "course_run": CourseRunFactory().pk, "centre": at.pk, "room": "", "mode": "papier",
        "exam_unit_key": "", "duration_minutes": "120", "seats": "30", "fee_amount": "0",
        "fee_currency": "", "local_start_0": "2030-06-12", "local_start_1": "09:00",
        "local_registration_opens_0": "2030-03-01", "local_registration_opens_1": "08:00",
        "local_registration_closes_0": "2030-05-31", "local_registration_closes_1": "18:00",
        "local_cancellation_deadline_0": "", "local_cancellation_deadline_1": "",
    }  # fmt: skip
    data.update(changes)
    return data


def _single_field_dates(data: dict[str, Any]) -> dict[str, Any]:
    """The admin's split date/time widget, or one field: whichever the form renders."""
    merged = dict(data)
    for name in ("local_start", "local_registration_opens", "local_registration_closes",
                 "local_cancellation_deadline"):  # fmt: skip
        day, time = merged.pop(f"{name}_0"), merged.pop(f"{name}_1")
        merged[name] = f"{day} {time}".strip()
    return merged


def test_programme_staff_add_a_sitting_in_the_centre_local_time(staff_client: Client) -> None:
    madagascar = centre(city="Antananarivo", country="MG", time_zone="Indian/Antananarivo")

    response = staff_client.post(
        reverse("admin:exams_examsitting_add"), _single_field_dates(_sitting_form(madagascar))
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    created = ExamSitting.objects.get()
    assert created.starts_at == datetime.datetime(2030, 6, 12, 6, 0, tzinfo=datetime.UTC)
    assert created.cancellation_deadline == created.registration_closes_at


def test_an_hour_skipped_by_daylight_saving_is_a_form_error(staff_client: Client) -> None:
    haiti = centre(city="Port-au-Prince", country="HT", time_zone="America/Port-au-Prince")
    data = _sitting_form(haiti, local_start_0="2030-03-10", local_start_1="02:30")

    response = staff_client.post(reverse("admin:exams_examsitting_add"), _single_field_dates(data))

    assert response.status_code == 200
    assert "n&#x27;existe pas à Port-au-Prince" in response.content.decode()
    assert not ExamSitting.objects.exists()


def test_the_admin_pages_load_and_registrations_are_read_only(staff_client: Client) -> None:
    given = sitting(at=centre())
    registration = services.registration_create(
        learner=learner_of(given.course_run), sitting=given, now=DURING_REGISTRATION
    )

    for name in ("examcentre", "examsitting", "examregistration"):
        assert staff_client.get(reverse(f"admin:exams_{name}_changelist")).status_code == 200
    assert (
        staff_client.get(
            reverse("admin:exams_examcentre_change", args=[given.centre.pk])
        ).status_code
        == 200
    )
    assert staff_client.get(reverse("admin:exams_examregistration_add")).status_code == 403
    page = staff_client.get(reverse("admin:exams_examregistration_change", args=[registration.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_campus_staff_do_not_use_the_admin(client: Client) -> None:
    client.force_login(campus_staff(centre()))

    response = client.get(reverse("admin:exams_examsitting_changelist"))

    assert response.status_code == 302
