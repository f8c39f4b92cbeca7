"""Check-in by scanning the convocation: the signed token, the staff's scan page (a phone's
camera opens the QR code's URL; a barcode scanner types it into the attendance page's field),
and the printed attendance list."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pypdf
import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.exams import services
from sankore.exams.convocation import convocation_scan_url
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    paying_sitting,
    sitting,
)
from sankore.exams.tokens import (
    SALT,
    ConvocationToken,
    convocation_token_from_scan,
    convocation_token_make,
    convocation_token_read,
)

pytestmark = pytest.mark.django_db


def _register(exam: ExamSitting, **learner_fields: Any) -> ExamRegistration:
    return services.registration_create(
        learner=learner_of(exam.course_run, **learner_fields),
        sitting=exam,
        now=DURING_REGISTRATION,
    )


def _scan_path(registration: ExamRegistration) -> str:
    # What a phone opens: the QR code's URL, on this site.
    return convocation_scan_url(registration=registration).removeprefix(settings.SITE_URL)


def _nothing_checked_in(*registrations: ExamRegistration) -> bool:
    pks = [r.pk for r in registrations]
    return not ExamRegistration.objects.filter(pk__in=pks, checked_in_at__isnull=False).exists()


# --- The token ---


def test_a_token_reads_back_as_its_registration_and_sitting() -> None:
    exam = sitting(at=centre())
    registration = _register(exam)

    token = convocation_token_make(registration=registration)

    assert convocation_token_read(token=token) == ConvocationToken(registration.pk, exam.pk)
    assert convocation_token_make(registration=registration) == token  # same code, reprinted


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "abc",
        "WzEsMl0:",
        "é:ü",
        ":" * 10,
        signing.Signer(salt="another.salt").sign_object([1, 2]),  # another of our signatures
        signing.Signer(salt=SALT).sign_object({"registration": 1}),  # not our format
        signing.Signer(salt=SALT).sign_object([1, 2, 3]),
        signing.Signer(salt=SALT).sign_object([0, 2]),
        signing.Signer(salt=SALT).sign_object([True, 2]),
    ],
)
def test_anything_else_is_not_a_token(forged: str) -> None:
    assert convocation_token_read(token=forged) is None


def test_a_tampered_token_is_refused() -> None:
    registration = _register(sitting(at=centre()))
    token = convocation_token_make(registration=registration)
    payload, signature = token.split(":")

    other_payload = signing.b64_encode(
        f"[{registration.pk + 1},{registration.sitting_id}]".encode()
    )

    assert convocation_token_read(token=f"{other_payload.decode()}:{signature}") is None
    last = "B" if signature[-1] != "B" else "C"
    assert convocation_token_read(token=f"{payload}:{signature[:-1]}{last}") is None


def test_what_a_scanner_types_gives_the_token_from_the_url_or_as_it_is() -> None:
    url = "https://sankore.example.org/examens/4/emargement/scan/?c=WzEsNF0:abc&x=1"

    assert convocation_token_from_scan(f"  {url}\n") == "WzEsNF0:abc"
    assert convocation_token_from_scan(" WzEsNF0:abc ") == "WzEsNF0:abc"
    assert convocation_token_from_scan("https://sankore.example.org/?q=1") == ""


# --- The scan page ---


def _exam_starting_soon(**fields: Any) -> ExamSitting:
    """A sitting in Dakar (UTC+0) starting in an hour: check-in is open now (the check-in
    view uses the clock)."""
    start = (timezone.now() + datetime.timedelta(hours=1)).replace(
        tzinfo=None, second=0, microsecond=0
    )
    return paying_sitting(
        at=centre(),
        local_start=start,
        local_registration_opens=start - datetime.timedelta(days=30),
        local_registration_closes=start - datetime.timedelta(minutes=30),
        local_cancellation_deadline=start - datetime.timedelta(days=2),
        **fields,
    )


def _register_before(exam: ExamSitting, **learner_fields: Any) -> ExamRegistration:
    return services.registration_create(
        learner=learner_of(exam.course_run, **learner_fields),
        sitting=exam,
        now=exam.starts_at - datetime.timedelta(days=3),
    )


def test_scanning_a_convocation_shows_the_candidate_and_checks_them_in(client: Client) -> None:
    exam = _exam_starting_soon()
    registration = _register_before(exam, full_name="Aminata Diallo", certificate_name="")
    client.force_login(campus_staff(exam.centre))

    page = client.get(_scan_path(registration))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Aminata Diallo" in text
    assert registration.learner.email in text
    assert "Place n° 1" in text
    assert "photo collée sur sa convocation" in text
    assert "non réglés" in text
    check_in_url = reverse("exams:check_in", args=[exam.pk, registration.pk])
    assert f'action="{check_in_url}"' in text
    assert "autofocus" not in text  # the check-in form comes first, not the next scan

    response = client.post(check_in_url, {"identity_checked": "on"})

    registration.refresh_from_db()
    assert response.status_code == 302
    assert registration.checked_in_at is not None
    assert registration.identity_checked is True
    again = client.get(_scan_path(registration)).content.decode()
    assert "Déjà accueilli" in again
    assert f'action="{check_in_url}"' not in again


@pytest.mark.parametrize("typed", ["url", "token"])
def test_the_attendance_page_field_takes_the_url_or_the_token_a_scanner_types(
    client: Client, typed: str
) -> None:
    exam = sitting(at=centre())
    registration = _register(exam, full_name="Awa Ndiaye", certificate_name="")
    client.force_login(campus_staff(exam.centre))
    attendance = client.get(reverse("exams:attendance", args=[exam.pk])).content.decode()
    assert f'action="{reverse("exams:scan", args=[exam.pk])}"' in attendance
    assert 'name="c"' in attendance

    url = convocation_scan_url(registration=registration)
    value = url if typed == "url" else convocation_token_make(registration=registration)
    page = client.get(reverse("exams:scan", args=[exam.pk]), {"c": value})

    assert page.status_code == 200
    assert "Awa Ndiaye" in page.content.decode()


def test_a_forged_code_is_a_400_saying_it_is_not_a_convocation(client: Client) -> None:
    exam = sitting(at=centre())
    registration = _register(exam)
    token = convocation_token_make(registration=registration)
    client.force_login(campus_staff(exam.centre))
    scan = reverse("exams:scan", args=[exam.pk])

    for forged in [token[:-2] + "xx", "n'importe quoi", "https://example.org/?c=abc", "é" * 900]:
        page = client.get(scan, {"c": forged})
        assert page.status_code == 400, forged
        assert "Ce code n’est pas une convocation valide." in page.content.decode()
        assert registration.learner.email not in page.content.decode()
    assert _nothing_checked_in(registration)


def test_a_convocation_for_another_sitting_is_refused_naming_only_its_date_and_centre(
    client: Client,
) -> None:
    dakar = centre()
    here = sitting(at=dakar)
    elsewhere = sitting(
        at=centre(city="Kinshasa", country="CD", time_zone="Africa/Kinshasa"),
        local_start=datetime.datetime(2030, 6, 13, 14, 0),
    )
    registration = _register(elsewhere, full_name="Awa Ndiaye", certificate_name="")
    client.force_login(campus_staff(dakar))

    page = client.get(reverse("exams:scan", args=[here.pk]), {"c": _scan_path(registration)})

    text = page.content.decode()
    assert page.status_code == 400
    assert "Cette convocation est pour une autre session d’examen." in text
    assert "jeudi 13 juin 2030 à 14:00 (heure de Kinshasa (UTC+1))" in text
    assert "Campus numérique de Kinshasa" in text
    assert "Awa Ndiaye" not in text
    assert registration.learner.email not in text
    assert elsewhere.course_run.course.title not in text
    assert f'action="{reverse("exams:check_in", args=[here.pk, registration.pk])}"' not in text
    assert _nothing_checked_in(registration)


def test_a_cancelled_registrations_convocation_has_no_check_in(client: Client) -> None:
    exam = sitting(at=centre())
    registration = _register(exam)
    services.registration_cancel(
        registration=registration, by=registration.learner, now=DURING_REGISTRATION
    )
    client.force_login(campus_staff(exam.centre))

    text = client.get(_scan_path(registration)).content.decode()

    assert "Cette inscription est annulée" in text
    assert reverse("exams:check_in", args=[exam.pk, registration.pk]) not in text


def test_the_scan_page_is_for_the_centres_staff_logged_in(client: Client) -> None:
    exam = sitting(at=centre())
    registration = _register(exam)
    path = _scan_path(registration)

    anonymous = client.get(path)
    client.force_login(UserFactory())
    learner = client.get(path)
    client.force_login(campus_staff(centre(city="Cotonou", time_zone="Africa/Porto-Novo")))
    other_centre = client.get(path)
    client.force_login(registration.learner)
    candidate = client.get(path)

    # The login page brings the staff person back to the scanned URL.
    assert anonymous.status_code == 302
    login = urlsplit(anonymous["Location"])
    assert login.path == reverse("account_login")
    assert parse_qs(login.query)["next"] == [path]
    assert (learner.status_code, other_centre.status_code, candidate.status_code) == (
        403,
        403,
        403,
    )


def test_an_empty_scan_shows_the_field_only(client: Client) -> None:
    exam = sitting(at=centre())
    client.force_login(campus_staff(exam.centre))

    page = client.get(reverse("exams:scan", args=[exam.pk]))

    assert page.status_code == 200
    assert "autofocus" in page.content.decode()


# --- The printed attendance list ---


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_attendance_list_prints_the_confirmed_candidates_by_seat(client: Client) -> None:
    dakar = centre()
    room = services.exam_room_create(centre=dakar, name="Salle Senghor", capacity=40)
    exam = paying_sitting(at=dakar, seats=2, room=room)
    first = _register(exam, full_name="Aminata Diallo", certificate_name="")
    second = _register(exam, full_name="Moussa Sow", certificate_name="")
    waiting = _register(exam, full_name="Awa Ndiaye", certificate_name="")
    staff = campus_staff(dakar)
    services.registration_payment_record(registration=first, by=staff, receipt_number="R-0042")
    ExamRegistration.objects.filter(pk=second.pk).update(
        checked_in_at=datetime.datetime(2030, 6, 12, 8, 40, tzinfo=datetime.UTC)
    )
    client.force_login(staff)

    response = client.get(reverse("exams:attendance_pdf", args=[exam.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = flat(text_of(response.content))
    for expected in [
        "Liste d’émargement",
        exam.course_run.course.title,
        "Salle Senghor",
        "mercredi 12 juin 2030, 09:00 (heure de Dakar (UTC+0))",
        "durée : 2 heures",
        "2 candidats convoqués",
        "1 Aminata Diallo",
        first.learner.email,
        "réglés (reçu R-0042)",
        "2 Moussa Sow",
        "non réglés",
        "présent à 08:40",
        "Signature",
        "Page 1 / 1",
    ]:
        assert flat(expected) in text, expected
    assert "Awa Ndiaye" not in text_of(response.content)
    assert text.index("AminataDiallo") < text.index("MoussaSow")
    assert waiting.learner.email not in text


def test_the_attendance_list_is_for_the_centres_staff_only(client: Client) -> None:
    dakar, cotonou = centre(), centre(city="Cotonou", time_zone="Africa/Porto-Novo")
    exam = sitting(at=dakar)
    _register(exam)
    url = reverse("exams:attendance_pdf", args=[exam.pk])

    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(campus_staff(cotonou))
    assert client.get(url).status_code == 403
    client.force_login(campus_staff(dakar))
    assert client.get(url).status_code == 200


def test_the_attendance_list_costs_the_same_queries_for_few_or_many_candidates(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    dakar = centre()
    few, many = paying_sitting(at=dakar, seats=40), paying_sitting(at=dakar, seats=40)
    for _ in range(2):
        _register(few)
    for _ in range(25):
        _register(many)
    client.force_login(campus_staff(dakar))
    client.get(reverse("exams:attendance_pdf", args=[few.pk]))  # warm the caches

    with django_assert_max_num_queries(6):
        small = client.get(reverse("exams:attendance_pdf", args=[few.pk]))
    with django_assert_max_num_queries(6):
        large = client.get(reverse("exams:attendance_pdf", args=[many.pk]))

    assert (small.status_code, large.status_code) == (200, 200)
    assert flat("25 candidats convoqués") in flat(text_of(large.content))
