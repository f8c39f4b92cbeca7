"""The public centres and sittings pages, registering and cancelling from them, « Mes
examens »: each learner sees and changes their own registrations only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.exams import services
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.tests.factories import centre, learner_of, paying_sitting, sitting

pytestmark = pytest.mark.django_db


def _open_sitting(**fields: Any) -> ExamSitting:
    """A sitting whose registrations are open now (the page uses the clock)."""
    today = timezone.now().replace(tzinfo=None, microsecond=0)
    return sitting(
        local_start=today + datetime.timedelta(days=30),
        local_registration_opens=today - datetime.timedelta(days=1),
        local_registration_closes=today + datetime.timedelta(days=20),
        local_cancellation_deadline=today + datetime.timedelta(days=10),
        **fields,
    )


def test_the_centre_list_is_filtered_by_country_with_french_names(client: Client) -> None:
    centre(city="Dakar", country="SN")
    centre(city="Antananarivo", country="MG", time_zone="Indian/Antananarivo")

    page = client.get(reverse("exams:centre_list"), {"pays": "mg"})

    text = page.content.decode()
    assert page.status_code == 200
    assert "Campus numérique de Antananarivo" in text
    assert "Campus numérique de Dakar" not in text
    assert "Madagascar" in text
    assert "Sénégal" in text  # in the country filter


def test_an_unknown_country_shows_every_centre(client: Client) -> None:
    centre(city="Dakar")

    page = client.get(reverse("exams:centre_list"), {"pays": "ZZ'<"})

    assert page.status_code == 200
    assert "Campus numérique de Dakar" in page.content.decode()


def test_the_centre_list_costs_the_same_queries_for_one_or_many_centres(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    centre(city="Ville 0")
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("exams:centre_list"))
    for n in range(1, 8):
        centre(city=f"Ville {n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exams:centre_list"))


def test_the_centre_page_shows_its_sittings_in_its_own_time(client: Client) -> None:
    madagascar = centre(city="Antananarivo", country="MG", time_zone="Indian/Antananarivo")
    upcoming = _open_sitting(at=madagascar)

    page = client.get(madagascar.get_absolute_url())

    text = page.content.decode()
    assert page.status_code == 200
    assert upcoming.course_run.course.title in text
    assert "heure d’Antananarivo (UTC+3)" in text
    assert "Indian/Antananarivo" in text


def test_the_centre_page_costs_the_same_queries_for_one_or_many_sittings(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    dakar = centre()
    _open_sitting(at=dakar)
    with django_assert_max_num_queries(4) as few:
        client.get(dakar.get_absolute_url())
    for _ in range(6):
        _open_sitting(at=dakar)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(dakar.get_absolute_url())


def test_the_sitting_page_shows_the_centre_time_the_universal_time_and_the_fee(
    client: Client,
) -> None:
    haiti = centre(city="Port-au-Prince", country="HT", time_zone="America/Port-au-Prince")
    given = paying_sitting(at=haiti, local_start=datetime.datetime(2030, 6, 12, 9, 0))

    text = client.get(given.get_absolute_url()).content.decode()

    assert "09:00" in text
    assert "heure de Port-au-Prince (UTC−4)" in text
    assert "13:00 en temps universel" in text
    # Babel's French spacing (narrow no-break spaces) read as plain spaces.
    assert "15 000 F CFA" in text.replace("\u202f", " ").replace("\xa0", " ")


def test_a_learner_registers_from_the_sitting_page(client: Client) -> None:
    given = _open_sitting(at=centre(), seats=1)
    learner = learner_of(given.course_run)
    client.force_login(learner)

    response = client.post(reverse("exams:register", args=[given.pk]), follow=True)

    assert response.status_code == 200
    registration = ExamRegistration.objects.get(learner=learner)
    assert registration.seat_number == 1
    assert "Votre place est confirmée : place n° 1." in response.content.decode()


def test_registering_twice_from_the_page_says_so_and_stores_nothing_more(client: Client) -> None:
    given = _open_sitting(at=centre())
    learner = learner_of(given.course_run)
    client.force_login(learner)
    client.post(reverse("exams:register", args=[given.pk]))

    response = client.post(reverse("exams:register", args=[given.pk]), follow=True)

    assert response.status_code == 200
    assert "déjà inscrit" in response.content.decode()
    assert ExamRegistration.objects.filter(learner=learner).count() == 1


def test_a_learner_not_enrolled_gets_a_message_not_an_error(client: Client) -> None:
    given = _open_sitting(at=centre())
    client.force_login(UserFactory())

    response = client.post(reverse("exams:register", args=[given.pk]), follow=True)

    assert response.status_code == 200
    assert "Inscrivez-vous d" in response.content.decode()
    assert not ExamRegistration.objects.exists()


def test_registering_needs_a_signed_in_learner_and_a_post(client: Client) -> None:
    given = _open_sitting(at=centre())

    assert client.post(reverse("exams:register", args=[given.pk])).status_code == 302
    client.force_login(learner_of(given.course_run))
    assert client.get(reverse("exams:register", args=[given.pk])).status_code == 405
    assert client.post(reverse("exams:register", args=[99999])).status_code == 404
    assert not ExamRegistration.objects.exists()


def test_my_exams_lists_my_registrations_only(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    dakar = centre()
    mine = _open_sitting(at=dakar)
    theirs = _open_sitting(at=dakar)
    learner = learner_of(mine.course_run)
    other = learner_of(theirs.course_run)
    services.registration_create(learner=learner, sitting=mine)
    services.registration_create(learner=other, sitting=theirs)
    client.force_login(learner)

    # The list, its validated results, and whether there is a staff hub to link to.
    with django_assert_max_num_queries(10):
        text = client.get(reverse("exams:mine")).content.decode()

    assert mine.course_run.course.title in text
    assert theirs.course_run.course.title not in text


def test_a_learner_cancels_their_own_registration_but_not_another_one(client: Client) -> None:
    given = _open_sitting(at=centre())
    learner, other = learner_of(given.course_run), learner_of(given.course_run)
    own = services.registration_create(learner=learner, sitting=given)
    theirs = services.registration_create(learner=other, sitting=given)
    client.force_login(learner)

    refused = client.post(reverse("exams:cancel", args=[theirs.pk]))
    done = client.post(reverse("exams:cancel", args=[own.pk]), follow=True)

    assert refused.status_code == 404
    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.status == "confirmee"
    assert own.status == "annulee"
    assert "Votre inscription est annulée." in done.content.decode()


def test_the_sitting_page_shows_my_waiting_rank(client: Client) -> None:
    given = _open_sitting(at=centre(), seats=1)
    services.registration_create(learner=learner_of(given.course_run), sitting=given)
    first_waiting = services.registration_create(
        learner=learner_of(given.course_run), sitting=given
    )
    learner = learner_of(given.course_run)
    services.registration_create(learner=learner, sitting=given)
    services.registration_cancel(registration=first_waiting, by=first_waiting.learner)
    client.force_login(learner)

    text = client.get(given.get_absolute_url()).content.decode()

    assert "liste d’attente, au rang 1." in text
