"""Defects found in review, each pinned by the test that failed before its fix."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from sankore.catalog.models import CourseRun, featured_run_of
from sankore.catalog.search import course_search
from sankore.catalog.search_params import CourseSearchParams
from sankore.catalog.services import (
    CapacityBelowEnrolmentsError,
    course_run_update,
    teacher_delete,
)
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory, TeacherFactory
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.learning.models import Enrolment
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("session", ["²", "①", "٣", "9" * 4301, "-1", "1e3"])
def test_a_strange_session_parameter_falls_back_to_the_featured_session(
    client: Client, session: str
) -> None:
    run = CourseRunFactory()

    response = client.get(run.course.get_absolute_url(), {"session": session})

    assert response.status_code == 200
    assert response.context["run"] == run


@pytest.mark.parametrize("country", ["ZZ", "x" * 500, "sn2"])
def test_an_unknown_country_filter_is_ignored_on_the_institution_list(
    client: Client, country: str
) -> None:
    InstitutionFactory(name="Université de Kinshasa", country="CD")

    response = client.get(reverse("institutions:list"), {"country": country})

    assert response.status_code == 200
    assert [i.name for i in response.context["institutions"]] == ["Université de Kinshasa"]


def test_a_capacity_below_the_seats_taken_is_refused_and_nothing_changes() -> None:
    run = CourseRunFactory(capacity=5)
    for _ in range(3):
        enrolment_create(user=UserFactory(), course_run=run)

    with pytest.raises(CapacityBelowEnrolmentsError):
        course_run_update(run=run, capacity=2, title="Nouveau titre")

    run.refresh_from_db()
    assert (run.capacity, run.title, run.enrolment_count) == (5, "", 3)


def test_updating_a_session_never_writes_back_a_stale_enrolment_counter() -> None:
    run = CourseRunFactory(capacity=10)
    stale = CourseRun.objects.get(pk=run.pk)  # read before the enrolment
    enrolment_create(user=UserFactory(), course_run=run)

    course_run_update(run=stale, title="Session de printemps")

    run.refresh_from_db()
    assert (run.title, run.enrolment_count) == ("Session de printemps", 1)


def test_the_admin_says_why_a_capacity_is_refused(client: Client) -> None:
    run = CourseRunFactory(capacity=5)
    for _ in range(3):
        enrolment_create(user=UserFactory(), course_run=run)
    client.force_login(RoleAssignmentFactory().user)
    url = reverse("admin:catalog_courserun_change", args=[run.pk])
    fields = ("start", "end", "enrolment_start", "enrolment_end")
    data = {
        "course": run.course_id,
        "title": "",
        "pacing": run.pacing,
        "capacity": "2",
        "is_published": "on",
    }
    for name in fields:
        value = timezone.localtime(getattr(run, name))
        data[f"{name}_0"] = value.strftime("%Y-%m-%d")
        data[f"{name}_1"] = value.strftime("%H:%M:%S")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "inférieure aux 3 inscrits actuels" in response.content.decode()
    run.refresh_from_db()
    assert run.capacity == 5


def test_enrolling_into_an_unpublished_course_is_a_404_that_reveals_nothing(
    client: Client,
) -> None:
    run = CourseRunFactory(course=CourseFactory(is_published=False))
    hidden_session = CourseRunFactory(is_published=False)
    client.force_login(UserFactory())

    for target in (run, hidden_session):
        response = client.post(reverse("learning:enrol", args=[target.pk]))
        assert response.status_code == 404
        assert "Location" not in response
    assert Enrolment.objects.count() == 0


def test_a_learner_can_still_unenrol_from_a_course_unpublished_since(client: Client) -> None:
    learner = UserFactory()
    run = CourseRunFactory()
    enrolment_create(user=learner, course_run=run)
    run.course.__class__.objects.filter(pk=run.course_id).update(is_published=False)
    client.force_login(learner)

    response = client.post(reverse("learning:unenrol", args=[run.pk]))

    assert response.status_code == 302
    assert Enrolment.objects.get().is_active is False


def test_the_dashboard_does_not_link_to_an_unpublished_course(client: Client) -> None:
    learner = UserFactory()
    run = CourseRunFactory(course=CourseFactory(title="Cours retiré"))
    enrolment_create(user=learner, course_run=run)
    run.course.__class__.objects.filter(pk=run.course_id).update(is_published=False)
    client.force_login(learner)

    body = client.get(reverse("learning:dashboard")).content.decode()

    assert "<h3>Cours retiré</h3>" in body
    assert run.get_absolute_url() not in body
    assert "plus proposé" in body


@pytest.mark.parametrize("path", ["/", "/cours/", "/etablissements/", "/healthz"])
def test_pages_answer_head_requests(client: Client, path: str) -> None:
    assert client.head(path).status_code == 200


def test_the_api_answers_head_requests_without_a_body(client: Client) -> None:
    CourseFactory()

    response = client.head("/api/v1/courses")

    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0
    assert response["Access-Control-Allow-Origin"] == "*"


def test_deleting_a_teacher_keeps_the_search_index_current() -> None:
    teacher = TeacherFactory(full_name="Hamza Gharbi")
    CourseFactory(title="Énergie solaire", teachers=[teacher])
    assert course_search(params=CourseSearchParams(q="gharbi")).total == 1

    teacher_delete(teacher=teacher)

    assert course_search(params=CourseSearchParams(q="gharbi")).total == 0


def test_a_session_whose_enrolment_never_closes_is_not_featured_first() -> None:
    now = timezone.now()
    course = CourseFactory()
    never_closes = CourseRunFactory(
        course=course,
        start=now - datetime.timedelta(days=300),
        enrolment_start=now - datetime.timedelta(days=300),
        enrolment_end=None,
        end=None,
    )
    closes_soon = CourseRunFactory(course=course, enrolment_end=now + datetime.timedelta(days=3))

    assert featured_run_of([never_closes, closes_soon], now) == closes_soon


def test_session_dates_read_in_the_owning_institutions_time_zone(client: Client) -> None:
    haiti = InstitutionFactory(country="HT", time_zone="America/Port-au-Prince")
    # 31 December 21:00 in Port-au-Prince is already 1 January in UTC.
    end = datetime.datetime(2027, 1, 1, 2, 0, tzinfo=datetime.UTC)
    run = CourseRunFactory(
        course=CourseFactory(owners=[haiti]),
        start=timezone.now() + datetime.timedelta(days=7),
        end=end,
        enrolment_end=timezone.now() + datetime.timedelta(days=6),
    )

    body = client.get(run.course.get_absolute_url()).content.decode()

    assert "<dd>31 décembre 2026</dd>" in body
    assert "<dd>America/Port-au-Prince</dd>" in body


def test_search_results_have_a_heading_between_the_title_and_the_cards(client: Client) -> None:
    CourseFactory()

    body = client.get("/cours/").content.decode()

    assert '<h2 class="visually-hidden">Résultats</h2>' in body
