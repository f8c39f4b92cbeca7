from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.learning.models import Enrolment
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.context["messages"]]


def test_enrolling_requires_a_login_and_writes_nothing(client: Client) -> None:
    run = CourseRunFactory()

    response = client.post(reverse("learning:enrol", args=[run.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Enrolment.objects.count() == 0


def test_enrolling_is_a_post_only_action(client: Client) -> None:
    learner = UserFactory()
    client.force_login(learner)
    run = CourseRunFactory()

    response = client.get(reverse("learning:enrol", args=[run.pk]))

    assert response.status_code == 405
    assert Enrolment.objects.count() == 0


def test_a_learner_enrols_and_comes_back_to_the_course_page(client: Client) -> None:
    learner = UserFactory()
    client.force_login(learner)
    run = CourseRunFactory(course=CourseFactory(title="Santé publique en Afrique"))

    response = client.post(reverse("learning:enrol", args=[run.pk]), follow=True)

    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    assert _messages(response) == ["Vous êtes inscrit à « Santé publique en Afrique »."]
    assert Enrolment.objects.filter(user=learner, course_run=run, is_active=True).count() == 1
    assert "Vous êtes inscrit à cette session." in response.content.decode()


def test_a_second_enrolment_gets_a_friendly_message_and_no_duplicate(client: Client) -> None:
    learner = UserFactory()
    client.force_login(learner)
    run = CourseRunFactory()
    enrolment_create(user=learner, course_run=run)

    response = client.post(reverse("learning:enrol", args=[run.pk]), follow=True)

    assert _messages(response) == ["Vous êtes déjà inscrit à cette session."]
    assert Enrolment.objects.count() == 1


def test_enrolling_into_a_closed_session_is_refused_with_the_reason(client: Client) -> None:
    client.force_login(UserFactory())
    run = CourseRunFactory(archived=True)

    response = client.post(reverse("learning:enrol", args=[run.pk]), follow=True)

    assert _messages(response) == ["Les inscriptions à cette session sont closes."]
    assert Enrolment.objects.count() == 0


def test_enrolling_into_a_full_session_is_refused_with_the_reason(client: Client) -> None:
    run = CourseRunFactory(capacity=1)
    enrolment_create(user=UserFactory(), course_run=run)
    client.force_login(UserFactory())

    response = client.post(reverse("learning:enrol", args=[run.pk]), follow=True)

    assert _messages(response) == ["Cette session est complète."]
    assert Enrolment.objects.count() == 1


def test_enrolling_into_an_unknown_session_is_a_404(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.post(reverse("learning:enrol", args=[999999]))

    assert response.status_code == 404
    assert Enrolment.objects.count() == 0


def test_redirects_only_to_this_site(client: Client) -> None:
    client.force_login(UserFactory())
    run = CourseRunFactory()

    response = client.post(
        reverse("learning:enrol", args=[run.pk]), {"next": "https://evil.example/phish"}
    )

    assert response["Location"] == run.get_absolute_url()


def test_unenrolling_gives_the_seat_back(client: Client) -> None:
    learner = UserFactory()
    client.force_login(learner)
    run = CourseRunFactory(capacity=5)
    enrolment_create(user=learner, course_run=run)

    response = client.post(reverse("learning:unenrol", args=[run.pk]), follow=True)

    assert _messages(response)[0].startswith("Vous êtes désinscrit de")
    run.refresh_from_db()
    assert run.enrolment_count == 0
    assert Enrolment.objects.get().is_active is False


def test_the_dashboard_splits_current_upcoming_and_past_sessions(client: Client) -> None:
    learner = UserFactory()
    client.force_login(learner)
    now = timezone.now()
    current = CourseRunFactory(course=CourseFactory(title="Cours en cours"))
    upcoming = CourseRunFactory(course=CourseFactory(title="Cours à venir"))
    past = CourseRunFactory(course=CourseFactory(title="Cours terminé"))
    for run in (current, upcoming, past):
        enrolment_create(user=learner, course_run=run)
    # Move the sessions in time after enrolment (enrolment needs them open).
    type(current).objects.filter(pk=current.pk).update(start=now - datetime.timedelta(days=1))
    type(past).objects.filter(pk=past.pk).update(
        start=now - datetime.timedelta(days=60), end=now - datetime.timedelta(days=1)
    )

    response = client.get(reverse("learning:dashboard"))

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert [e.course_run.course.title for e in dashboard.current] == ["Cours en cours"]
    assert [e.course_run.course.title for e in dashboard.upcoming] == ["Cours à venir"]
    assert [e.course_run.course.title for e in dashboard.past] == ["Cours terminé"]
    body = response.content.decode()
    assert '<h2 id="section-current">En cours <span' in body
    assert '<h2 id="section-upcoming">À venir <span' in body
    assert '<h2 id="section-past">Terminés <span' in body


def test_the_dashboard_runs_a_constant_number_of_queries(
    client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    learner = UserFactory()
    client.force_login(learner)
    for _ in range(2):
        enrolment_create(user=learner, course_run=CourseRunFactory())
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("learning:dashboard"))
    for _ in range(8):
        enrolment_create(user=learner, course_run=CourseRunFactory())

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("learning:dashboard"))

    assert len(response.context["dashboard"].upcoming) == 10


def test_the_dashboard_needs_a_login(client: Client) -> None:
    response = client.get(reverse("learning:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
