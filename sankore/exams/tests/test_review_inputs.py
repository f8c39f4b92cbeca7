"""Review of the staff and learner pages against odd input: huge or foreign ids in URLs, the
wrong HTTP method, strange search texts and scanned codes, oversized incident reports, dates
that do not exist, a window duration that is not one. Each gets a 4xx or a form error with
a message, never a 500, and changes nothing."""

from __future__ import annotations

import datetime
import html
import zoneinfo
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.catalog.tests.factories import CourseRunFactory
from sankore.exams import services
from sankore.exams.models import ExamIncident, ExamRegistration, ExamSitting
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    paying_sitting,
    sitting,
)
from sankore.exams.tests.window_setup import ExamDay, exam_day

pytestmark = pytest.mark.django_db

HUGE = 2**70  # past every integer column


def _register(exam: ExamSitting) -> ExamRegistration:
    return services.registration_create(
        learner=learner_of(exam.course_run), sitting=exam, now=DURING_REGISTRATION
    )


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Ids in URLs ----------------------------------------------------------------------------


def test_huge_ids_in_urls_are_404s(client: Client) -> None:
    dakar = centre()
    exam = paying_sitting(at=dakar)
    registration = _register(exam)
    client.force_login(campus_staff(dakar))
    gets = [
        reverse("exams:sitting", args=[HUGE]),
        reverse("exams:attendance", args=[HUGE]),
        reverse("exams:scan", args=[HUGE]),
        reverse("exams:attendance_pdf", args=[HUGE]),
        reverse("exams:staff_convocation", args=[exam.pk, HUGE]),
        reverse("exams:staff_convocation", args=[HUGE, registration.pk]),
        reverse("exams:incidents", args=[HUGE]),
        reverse("exams:window", args=[HUGE]),
        reverse("exams:results", args=[HUGE]),
        reverse("exams:run_dashboard", args=[HUGE]),
        reverse("exams:convocation", args=[HUGE]),
    ]
    posts = [
        reverse("exams:register", args=[HUGE]),
        reverse("exams:cancel", args=[HUGE]),
        reverse("exams:check_in", args=[exam.pk, HUGE]),
        reverse("exams:check_in", args=[HUGE, registration.pk]),
        reverse("exams:payment", args=[exam.pk, HUGE]),
        reverse("exams:window_open", args=[HUGE]),
        reverse("exams:results_validate", args=[HUGE]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"identity_checked": "on"}).status_code == 404, url


def test_a_registration_of_another_sitting_in_the_check_in_url_is_a_404(client: Client) -> None:
    dakar = centre()
    one, other = sitting(at=dakar), sitting(at=dakar)
    elsewhere = _register(other)
    client.force_login(campus_staff(dakar))

    for name in ("exams:check_in", "exams:staff_convocation"):
        method = client.post if name == "exams:check_in" else client.get
        assert method(reverse(name, args=[one.pk, elsewhere.pk])).status_code == 404

    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_staff_of_another_campus_get_nothing_of_this_one(client: Client) -> None:
    dakar = centre()
    exam = paying_sitting(at=dakar)
    registration = _register(exam)
    client.force_login(campus_staff(centre(city="Lomé", country="TG", time_zone="Africa/Lome")))

    for url in [
        reverse("exams:attendance", args=[exam.pk]),
        reverse("exams:scan", args=[exam.pk]),
        reverse("exams:attendance_pdf", args=[exam.pk]),
        reverse("exams:staff_convocation", args=[exam.pk, registration.pk]),
        reverse("exams:incidents", args=[exam.pk]),
        reverse("exams:centre_dashboard", args=[dakar.institution.slug]),
        reverse("exams:sitting_create", args=[dakar.institution.slug]),
    ]:
        assert client.get(url).status_code == 403, url
    for url in [
        reverse("exams:check_in", args=[exam.pk, registration.pk]),
        reverse("exams:payment", args=[exam.pk, registration.pk]),
    ]:
        assert client.post(url, {"identity_checked": "on", "receipt_number": "R"}).status_code == (
            403
        )
    registration.refresh_from_db()
    assert (registration.checked_in_at, registration.receipt_number) == (None, "")
    # A learner's own convocation page is theirs: not another learner's, not the staff's.
    assert client.get(reverse("exams:convocation", args=[registration.pk])).status_code == 404


# --- Methods --------------------------------------------------------------------------------


def test_post_only_endpoints_refuse_get_and_head_with_a_405(client: Client) -> None:
    dakar = centre()
    exam = sitting(at=dakar)
    registration = _register(exam)
    client.force_login(campus_staff(dakar))
    for url in [
        reverse("exams:register", args=[exam.pk]),
        reverse("exams:cancel", args=[registration.pk]),
        reverse("exams:check_in", args=[exam.pk, registration.pk]),
        reverse("exams:payment", args=[exam.pk, registration.pk]),
        reverse("exams:window_open", args=[exam.pk]),
        reverse("exams:window_renew", args=[exam.pk]),
        reverse("exams:window_close", args=[exam.pk]),
        reverse("exams:results_import", args=[exam.pk]),
        reverse("exams:results_collect", args=[exam.pk]),
        reverse("exams:results_validate", args=[exam.pk]),
        reverse("exams:results_publish_retry", args=[exam.pk]),
    ]:
        assert client.get(url).status_code == 405, url
        assert client.head(url).status_code == 405, url
    for url in [
        reverse("exams:attendance", args=[exam.pk]),
        reverse("exams:scan", args=[exam.pk]),
        reverse("exams:attendance_pdf", args=[exam.pk]),
        reverse("exams:convocation", args=[registration.pk]),
        reverse("exams:hub"),
    ]:
        assert client.post(url).status_code == 405, url
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert registration.is_active


def test_posts_are_csrf_checked() -> None:
    dakar = centre()
    exam = sitting(at=dakar)
    registration = _register(exam)
    client = Client(enforce_csrf_checks=True)
    client.force_login(registration.learner)

    assert client.post(reverse("exams:cancel", args=[registration.pk])).status_code == 403
    registration.refresh_from_db()
    assert registration.is_active


# --- What is typed and scanned ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["²", "①", "٣", str(HUGE), "%", "_", "'; --", "\x00"])
def test_the_attendance_search_takes_any_text(client: Client, query: str) -> None:
    dakar = centre()
    exam = sitting(at=dakar)
    _register(exam)
    client.force_login(campus_staff(dakar))

    assert client.get(reverse("exams:attendance", args=[exam.pk]), {"q": query}).status_code in (
        200,
        400,
    )


@pytest.mark.parametrize(
    "scanned",
    [
        "é", "😀", "1:é", "WzEsMl0:ü", "é:" * 200, "https://exemple.org/?c=ü", "?c=%FF%FE",
        "?c=", "?" * 600, "\x00", "\u202e1:2",
    ],
)  # fmt: skip
def test_a_scanned_text_with_unicode_is_not_a_convocation_and_not_a_500(
    client: Client, scanned: str
) -> None:
    dakar = centre()
    exam = sitting(at=dakar)
    client.force_login(campus_staff(dakar))

    response = client.get(reverse("exams:scan", args=[exam.pk]), {"c": scanned})

    assert response.status_code in (200, 400)


def _sitting_today() -> ExamSitting:
    dakar = zoneinfo.ZoneInfo("Africa/Dakar")
    start = (
        (timezone.now() - datetime.timedelta(hours=1))
        .astimezone(dakar)
        .replace(tzinfo=None, second=0, microsecond=0)
    )
    return sitting(
        at=centre(), local_start=start, duration_minutes=180,
        local_registration_opens=start - datetime.timedelta(days=30),
        local_registration_closes=start - datetime.timedelta(days=1),
        local_cancellation_deadline=start - datetime.timedelta(days=2),
    )  # fmt: skip


def test_an_incident_description_past_the_limit_is_a_form_error(client: Client) -> None:
    exam = _sitting_today()
    client.force_login(campus_staff(exam.centre))
    url = reverse("exams:incidents", args=[exam.pk])

    too_long = client.post(url, {"kind": "autre", "description": "x" * 4001})
    assert too_long.status_code == 200
    assert "4000" in too_long.content.decode()
    # Ten megabytes: Django refuses the body before reading it into a form.
    huge = client.post(url, {"kind": "autre", "description": "x" * (10 * 1024 * 1024)})
    assert huge.status_code == 400
    assert client.post(url, {"description": "x"}).status_code == 200  # no kind
    assert client.post(url, {"kind": "autre", "registration": str(HUGE), "description": "x"})
    assert client.post(url, {"kind": "autre", "occurred_time": "25:99", "description": "x"})
    assert not ExamIncident.objects.exists()


def _sitting_post(run_pk: int, **changes: str) -> dict[str, str]:
    data = {
        "course_run": str(run_pk), "mode": "papier", "exam_unit_key": "", "room": "",
        "local_start": "2030-06-12T09:00", "duration_minutes": "120", "seats": "30",
        "local_registration_opens": "2030-03-01T08:00",
        "local_registration_closes": "2030-05-31T18:00", "local_cancellation_deadline": "",
        "fee_amount": "5000", "fee_currency": "XOF", "max_score": "20", "pass_mark": "10",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("city", "zone", "changes"),
    [
        ("Dakar", "Africa/Dakar", {"local_start": "2030-02-30T10:00"}),
        ("Dakar", "Africa/Dakar", {"local_start": "2030-06-12T25:00"}),
        ("Dakar", "Africa/Dakar", {"course_run": str(HUGE)}),
        ("Dakar", "Africa/Dakar", {"course_run": "abc"}),
        ("Dakar", "Africa/Dakar", {"seats": str(HUGE)}),
        ("Dakar", "Africa/Dakar", {"fee_amount": "1e309"}),
        ("Dakar", "Africa/Dakar", {"fee_amount": "NaN"}),
        ("Dakar", "Africa/Dakar", {"max_score": "12,345"}),
        ("Dakar", "Africa/Dakar", {"mode": "plateforme"}),
        ("Dakar", "Africa/Dakar", {"local_start": ""}),
        # Past either end of the calendar once in UTC: an hour ahead of UTC on the first day,
        # behind it on the last.
        ("Antananarivo", "Indian/Antananarivo", {"local_registration_opens": "0001-01-01T00:00"}),
        ("Port-au-Prince", "America/Port-au-Prince", {"local_start": "9999-12-31T23:00"}),
    ],
)
def test_a_sitting_form_with_impossible_values_is_a_form_error(
    client: Client, city: str, zone: str, changes: dict[str, str]
) -> None:
    at = centre(city=city, time_zone=zone)
    run = CourseRunFactory(course__offers_certificate=True)
    client.force_login(campus_staff(at))

    response = client.post(
        reverse("exams:sitting_create", args=[at.institution.slug]),
        _sitting_post(run.pk, **changes),
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not ExamSitting.objects.exists()


# --- The window's duration ------------------------------------------------------------------


@pytest.fixture
def day() -> ExamDay:
    return exam_day()


@pytest.mark.parametrize("typed", ["abc", "0", "-5", "181", str(HUGE), "1e3"])
def test_a_window_duration_that_is_not_one_opens_nothing_and_says_why(
    client: Client, day: ExamDay, typed: str
) -> None:
    client.force_login(day.staff)

    response = client.post(
        reverse("exams:window_open", args=[day.at_dakar.pk]), {"duration_minutes": typed}
    )

    said = html.unescape(" ".join(_messages(response)))
    assert response.status_code == 302
    assert "L'épreuve dure de 1 à 180 minutes." in said or "Saisissez un nombre entier." in said
    day.at_dakar.refresh_from_db()
    assert day.at_dakar.window_opened_at is None


def test_a_window_opened_without_a_duration_lasts_the_sitting(client: Client, day: ExamDay) -> None:
    client.force_login(day.staff)

    client.post(reverse("exams:window_open", args=[day.at_dakar.pk]))

    day.at_dakar.refresh_from_db()
    assert day.at_dakar.window_opened_at is not None
    assert day.at_dakar.window_closes_at is not None
    assert day.at_dakar.window_closes_at - day.at_dakar.window_opened_at == datetime.timedelta(
        minutes=day.at_dakar.duration_minutes
    )


def test_someone_logged_out_is_sent_to_the_login_page_and_nothing_changes() -> None:
    dakar = centre()
    exam = sitting(at=dakar)
    registration = _register(exam)
    client = Client()

    for url in [
        reverse("exams:check_in", args=[exam.pk, registration.pk]),
        reverse("exams:cancel", args=[registration.pk]),
    ]:
        assert client.post(url, {"identity_checked": "on"}).status_code == 302
    assert client.get(reverse("exams:attendance", args=[exam.pk])).status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert registration.is_active


# --- The desk -------------------------------------------------------------------------------


def test_a_receipt_number_longer_than_its_column_is_refused_with_a_message(
    client: Client,
) -> None:
    # PostgreSQL refuses a 41st character with a DataError (a 500, not an IntegrityError the
    # service turns into a message); SQLite stores it. Either way the desk gets told.
    dakar = centre()
    exam = paying_sitting(at=dakar)
    registration = _register(exam)
    client.force_login(campus_staff(dakar))

    response = client.post(
        reverse("exams:payment", args=[exam.pk, registration.pk]), {"receipt_number": "R" * 41}
    )

    assert response.status_code == 302
    assert "40" in " ".join(_messages(response))
    registration.refresh_from_db()
    assert (registration.paid_at, registration.receipt_number) == (None, "")
    missing = client.post(reverse("exams:payment", args=[exam.pk, registration.pk]))
    assert "Indiquez le numéro du reçu." in html.unescape(" ".join(_messages(missing)))


def test_an_empty_post_of_the_staff_forms_says_what_is_missing(client: Client) -> None:
    # ``Form(request.POST or None)`` left a form with an empty body unbound: shown again
    # without a word, as if nothing had been sent.
    exam = _sitting_today()
    client.force_login(campus_staff(exam.centre))

    for url in [
        reverse("exams:sitting_create", args=[exam.centre.institution.slug]),
        reverse("exams:incidents", args=[exam.pk]),
    ]:
        response = client.post(url, {})
        assert response.status_code == 200, url
        assert "Ce champ est obligatoire." in response.content.decode(), url
    assert not ExamIncident.objects.exists()
    assert ExamSitting.objects.count() == 1
