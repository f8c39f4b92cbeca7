"""A sitting is entered in the centre's wall-clock time and kept in UTC, whatever the zone:
without daylight saving (Dakar, Antananarivo, Kinshasa) or with it (Port-au-Prince, Paris)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sankore.core.errors import ServiceError
from sankore.exams.models import ExamSitting
from sankore.exams.services import exam_sitting_create
from sankore.exams.tests.factories import centre, sitting
from sankore.exams.times import NonExistentLocalTime, local_to_utc, utc_offset_label

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("zone", "month", "day", "local_hour", "utc_hour"),
    [
        ("Africa/Dakar", 6, 12, 9, 9),
        ("Africa/Kinshasa", 6, 12, 9, 8),
        ("Indian/Antananarivo", 6, 12, 9, 6),
        # Haiti: UTC−5 in winter, UTC−4 from the second Sunday of March.
        ("America/Port-au-Prince", 1, 15, 9, 14),
        ("America/Port-au-Prince", 6, 12, 9, 13),
        ("Europe/Paris", 1, 15, 9, 8),
        ("Europe/Paris", 6, 12, 9, 7),
    ],
)  # fmt: skip
def test_a_local_start_is_stored_in_utc(
    zone: str, month: int, day: int, local_hour: int, utc_hour: int
) -> None:
    local = datetime.datetime(2030, month, day, local_hour, 0)
    utc = datetime.datetime(2030, month, day, utc_hour, 0)
    given_centre = centre(city="Ville", time_zone=zone)

    created = sitting(
        at=given_centre, local_start=local,
        local_registration_opens=local - datetime.timedelta(days=60),
        local_registration_closes=local - datetime.timedelta(days=2),
        local_cancellation_deadline=local - datetime.timedelta(days=3),
    )  # fmt: skip

    assert created.starts_at == utc.replace(tzinfo=UTC)


def test_the_hour_skipped_in_port_au_prince_in_spring_is_refused_and_nothing_is_stored() -> None:
    haiti = centre(city="Port-au-Prince", country="HT", time_zone="America/Port-au-Prince")

    with pytest.raises(ServiceError) as refused:
        sitting(at=haiti, local_start=datetime.datetime(2030, 3, 10, 2, 30))

    assert refused.value.code == "nonexistent_local_time"
    assert "02:30" in str(refused.value.message)
    assert "Port-au-Prince" in str(refused.value.message)
    assert not ExamSitting.objects.exists()


def test_the_hour_repeated_in_paris_in_autumn_takes_summer_time_and_says_so() -> None:
    paris = centre(city="Paris", country="FR", time_zone="Europe/Paris")
    local = datetime.datetime(2030, 10, 27, 2, 30)

    created = exam_sitting_create(
        course_run=sitting(at=paris).course_run, centre=paris, mode="papier",
        local_start=local, duration_minutes=60, seats=5,
        local_registration_opens=datetime.datetime(2030, 9, 1, 8, 0),
        local_registration_closes=datetime.datetime(2030, 10, 20, 8, 0),
    )  # fmt: skip

    assert created.sitting.starts_at == datetime.datetime(2030, 10, 27, 0, 30, tzinfo=UTC)
    assert len(created.notices) == 1
    assert "deux fois" in str(created.notices[0])


def test_a_time_without_daylight_saving_is_never_ambiguous() -> None:
    dakar = centre()

    created = exam_sitting_create(
        course_run=sitting(at=dakar).course_run, centre=dakar, mode="papier",
        local_start=datetime.datetime(2030, 10, 27, 2, 30), duration_minutes=60, seats=5,
        local_registration_opens=datetime.datetime(2030, 9, 1, 8, 0),
        local_registration_closes=datetime.datetime(2030, 10, 20, 8, 0),
    )  # fmt: skip

    assert created.notices == []


def test_an_aware_local_time_is_refused() -> None:
    dakar = centre()

    with pytest.raises(ServiceError) as refused:
        sitting(at=dakar, local_start=datetime.datetime(2030, 6, 12, 9, 0, tzinfo=UTC))

    assert refused.value.code == "aware_local_time"
    assert not ExamSitting.objects.exists()


@pytest.mark.parametrize(
    ("zone", "at", "label"),
    [
        ("Africa/Dakar", datetime.datetime(2030, 6, 12, 9, tzinfo=UTC), "UTC+0"),
        ("Indian/Antananarivo", datetime.datetime(2030, 6, 12, 9, tzinfo=UTC), "UTC+3"),
        ("America/Port-au-Prince", datetime.datetime(2030, 1, 12, 9, tzinfo=UTC), "UTC−5"),
        ("America/Port-au-Prince", datetime.datetime(2030, 6, 12, 9, tzinfo=UTC), "UTC−4"),
        ("Asia/Kolkata", datetime.datetime(2030, 6, 12, 9, tzinfo=UTC), "UTC+5:30"),
    ],
)
def test_the_offset_label_follows_the_zone_and_the_date(
    zone: str, at: datetime.datetime, label: str
) -> None:
    assert utc_offset_label(at=at, zone_name=zone) == label


ZONES = ["Africa/Dakar", "Africa/Kinshasa", "Indian/Antananarivo", "America/Port-au-Prince",
         "Europe/Paris", "America/Toronto"]  # fmt: skip


@given(
    zone=st.sampled_from(ZONES),
    local=st.datetimes(
        min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2035, 12, 31)
    ),
)
def test_a_local_time_that_exists_comes_back_unchanged(zone: str, local: datetime.datetime) -> None:
    try:
        resolved = local_to_utc(local=local, zone_name=zone)
    except NonExistentLocalTime:
        return
    assert resolved.at.tzinfo is UTC
    assert resolved.at.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None) == local
