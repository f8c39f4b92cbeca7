"""The convocation: what it says (read back from the PDF as a person and a phone would), the
e-mail that brings it when a seat is confirmed, and who may download it."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sankore.exams import convocation, services
from sankore.exams.convocation import convocation_html, convocation_render, convocation_scan_url
from sankore.exams.models import ExamRegistration, ExamSitting, RegistrationStatus
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    paying_sitting,
    sitting,
)
from sankore.exams.tokens import convocation_token_read

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    # Lines wrap where the layout decides: compare without any white space.
    return re.sub(r"\s+", "", text)


def _dakar_sitting(**fields: Any) -> ExamSitting:
    dakar = centre(address="Avenue Cheikh Anta Diop\nFann, Dakar")
    room = services.exam_room_create(centre=dakar, name="Salle Senghor", capacity=40)
    return sitting(at=dakar, room=room, **fields)


def _register(exam: ExamSitting, **learner_fields: Any) -> ExamRegistration:
    return services.registration_create(
        learner=learner_of(exam.course_run, **learner_fields),
        sitting=exam,
        now=DURING_REGISTRATION,
    )


# --- What it says ---


def test_the_convocation_names_the_candidate_the_seat_the_centre_and_the_local_time() -> None:
    exam = _dakar_sitting()
    registration = _register(exam, full_name="Aminata Diallo", certificate_name="")

    html = convocation_html(registration=registration)
    text = flat(text_of(convocation_render(registration=registration)))

    assert 'lang="fr"' in html
    for expected in [
        "Aminata Diallo",
        registration.learner.email,
        exam.course_run.course.title,
        "PLACE n° 1",  # the label is printed in capitals
        "Salle Senghor",
        "Campus numérique de Dakar",
        "Avenue Cheikh Anta Diop Fann, Dakar",
        "mercredi 12 juin 2030",
        "09:00 (heure de Dakar (UTC+0))",
        "2 heures",
        "Photo d’identité",
        "soit à 08:30",  # 30 minutes before the start
        "pièce d’identité officielle",
        "Éteignez votre téléphone",
        "place n° 1",  # the fallback without a scanner
    ]:
        assert flat(expected) in text, expected


def test_the_printed_name_is_the_certificate_name_when_the_learner_set_one() -> None:
    exam = _dakar_sitting()
    registration = _register(exam, full_name="Awa Ndiaye", certificate_name="Awa Marie NDIAYE")

    assert "Awa Marie NDIAYE" in convocation_html(registration=registration)


def test_a_learner_without_a_name_is_told_to_set_it_before_the_exam() -> None:
    registration = _register(_dakar_sitting(), full_name="", certificate_name="")

    html = convocation_html(registration=registration)

    assert "Nom non renseigné" in html


def test_the_convocation_is_in_the_learners_language() -> None:
    registration = _register(_dakar_sitting(), preferred_language="en")

    html = convocation_html(registration=registration)

    assert 'lang="en"' in html
    assert "Wednesday, June 12, 2030" in html


def test_an_unpaid_fee_is_printed_as_to_pay_at_the_desk() -> None:
    exam = paying_sitting(at=centre())
    registration = _register(exam)

    html = convocation_html(registration=registration)

    assert "à régler à l’accueil du centre avant l’examen" in html


def test_the_qr_code_opens_the_scan_page_with_a_token_of_this_registration() -> None:
    exam = _dakar_sitting()
    registration = _register(exam)

    pdf = pypdfium2.PdfDocument(convocation_render(registration=registration))
    try:
        page = pdf[0].render(scale=2).to_pil()
    finally:
        pdf.close()
    (code,) = zxingcpp.read_barcodes(page)

    url = urlsplit(code.text)
    assert code.text == convocation_scan_url(registration=registration)
    assert f"{url.scheme}://{url.netloc}" == settings.SITE_URL
    assert url.path == reverse("exams:scan", args=[exam.pk])
    token = convocation_token_read(token=parse_qs(url.query)["c"][0])
    assert token is not None
    assert (token.registration_id, token.sitting_id) == (registration.pk, exam.pk)


# --- Sent when the seat is confirmed ---


def test_a_confirmed_seat_emails_the_convocation_once_with_the_pdf(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    exam = _dakar_sitting()

    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(exam, full_name="Aminata Diallo", certificate_name="")

    registration.refresh_from_db()
    assert registration.convocation_sent_at is not None
    (message,) = mailoutbox
    assert message.to == [registration.learner.email]
    assert message.subject == (
        f"Votre convocation : {exam.course_run.course.title}, mercredi 12 juin 2030"
    )
    assert "Place n° 1" in message.body
    assert "Salle Senghor" in message.body
    ((html, mime_type),) = message.alternatives
    assert mime_type == "text/html"
    assert "Aminata Diallo" in html
    ((filename, pdf, pdf_type),) = message.attachments
    assert (filename, pdf_type) == (
        f"convocation-{exam.course_run.course.slug}.pdf",
        "application/pdf",
    )
    assert pdf.startswith(b"%PDF")
    assert "Aminata Diallo" in text_of(pdf)


def test_a_waiting_learner_gets_no_convocation_until_promoted(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    exam = _dakar_sitting(seats=1)
    first = _register(exam)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = _register(exam, preferred_language="en")
    assert waiting.status == RegistrationStatus.WAITING
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, by=first.learner, now=DURING_REGISTRATION)

    waiting.refresh_from_db()
    (message,) = mailoutbox
    assert message.to == [waiting.learner.email]
    assert "June 12, 2030" in message.subject  # the learner's language (dates by Babel)
    assert waiting.convocation_sent_at is not None
    first.refresh_from_db()
    assert first.convocation_sent_at is None  # never ran for it: not captured above


def test_a_convocation_that_fails_to_render_leaves_the_seat_and_is_not_marked_sent(
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**kwargs: Any) -> bytes:
        raise OSError("fonts missing")

    monkeypatch.setattr(convocation, "convocation_render", broken)
    exam = _dakar_sitting()

    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(exam)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.convocation_sent_at is None
    assert mailoutbox == []
    assert f"convocation of registration {registration.pk}: not sent" in caplog.text


def test_sending_again_or_after_a_cancellation_sends_nothing(mailoutbox: list[Any]) -> None:
    exam = _dakar_sitting()
    sent, cancelled = _register(exam), _register(exam)
    services.registration_cancel(
        registration=cancelled, by=cancelled.learner, now=DURING_REGISTRATION
    )

    first_time = convocation.convocation_send(registration_id=sent.pk)
    again = convocation.convocation_send(registration_id=sent.pk)
    after_cancellation = convocation.convocation_send(registration_id=cancelled.pk)

    assert (first_time, again, after_cancellation) == (True, False, False)
    assert [m.to for m in mailoutbox] == [[sent.learner.email]]


# --- Downloaded from « Mes examens » ---


def test_the_learner_downloads_their_own_convocation_and_no_one_else_can(client: Client) -> None:
    exam = _dakar_sitting()
    registration = _register(exam, full_name="Aminata Diallo", certificate_name="")
    url = reverse("exams:convocation", args=[registration.pk])

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(learner_of(exam.course_run))
    assert client.get(url).status_code == 404
    client.force_login(campus_staff(exam.centre))  # staff have their own copy
    assert client.get(url).status_code == 404

    client.force_login(registration.learner)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert "Aminata Diallo" in text_of(response.content)


def test_a_waiting_or_cancelled_learner_is_told_there_is_no_convocation(client: Client) -> None:
    exam = _dakar_sitting(seats=1)
    _register(exam)
    waiting = _register(exam)
    client.force_login(waiting.learner)

    response = client.get(reverse("exams:convocation", args=[waiting.pk]), follow=True)

    assert response.redirect_chain == [(reverse("exams:mine"), 302)]
    assert "La convocation n’est disponible qu’avec une place confirmée." in (
        response.content.decode()
    )


def test_my_exams_links_the_convocation_of_a_confirmed_seat_only(client: Client) -> None:
    exam = _dakar_sitting(seats=1)
    confirmed = _register(exam)
    waiting = _register(exam)

    client.force_login(confirmed.learner)
    mine = client.get(reverse("exams:mine")).content.decode()
    client.force_login(waiting.learner)
    theirs = client.get(reverse("exams:mine")).content.decode()

    assert reverse("exams:convocation", args=[confirmed.pk]) in mine
    assert "/convocation.pdf" not in theirs


def test_the_centre_staff_print_a_candidates_convocation_again(client: Client) -> None:
    exam = _dakar_sitting()
    registration = _register(exam)
    other_exam = sitting(at=exam.centre)
    url = reverse("exams:staff_convocation", args=[exam.pk, registration.pk])

    client.force_login(campus_staff(centre(city="Cotonou", time_zone="Africa/Porto-Novo")))
    assert client.get(url).status_code == 403
    client.force_login(campus_staff(exam.centre))
    wrong_sitting = client.get(
        reverse("exams:staff_convocation", args=[other_exam.pk, registration.pk])
    )
    response = client.get(url)

    assert wrong_sitting.status_code == 404
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_convocation_shows_the_seat_as_it_is_now() -> None:
    exam = _dakar_sitting(seats=2)
    _first, second = _register(exam), _register(exam)

    # The seat changed after the convocation was sent: the next one says the new seat.
    ExamRegistration.objects.filter(pk=second.pk).update(seat_number=7)
    second.refresh_from_db()

    assert "place n° 7" in convocation_html(registration=second)
