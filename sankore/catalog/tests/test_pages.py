"""Public catalog pages: home, search page, course page, institution pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.models import Role
from sankore.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_run_update, course_team_member_set, course_update
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db


def test_home_lists_courses_open_for_enrolment(client: Client) -> None:
    CourseRunFactory(course=CourseFactory(title="Éducation et numérique"))
    CourseRunFactory(course=CourseFactory(title="Histoire ancienne"), archived=True)

    response = client.get("/")

    assert response.status_code == 200
    assert [course.title for course in response.context["open_courses"]] == [
        "Éducation et numérique"
    ]


def test_the_catalog_finds_a_course_without_its_accents(client: Client) -> None:
    CourseRunFactory(course=CourseFactory(title="Introduction à l'économie du développement"))
    CourseRunFactory(course=CourseFactory(title="Chimie organique"))

    response = client.get(reverse("catalog:course_list"), {"q": "economie"})

    assert response.status_code == 200
    assert [c.title for c in response.context["result"].courses] == [
        "Introduction à l'économie du développement"
    ]
    assert "1 cours trouvé" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"q": "x" * 10_000}, {"language": "klingon"}, {"availability": "bientot"}],
)
def test_malformed_parameters_get_a_clear_message_not_an_error(
    client: Client, query: dict[str, str]
) -> None:
    response = client.get(reverse("catalog:course_list"), query)

    assert response.status_code == 400
    assert response.context["error"]
    assert 'role="alert"' in response.content.decode()


def test_the_catalog_page_runs_a_constant_number_of_queries(
    client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    CourseRunFactory.create_batch(2)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("catalog:course_list"))
    CourseRunFactory.create_batch(15)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalog:course_list"))

    assert response.context["result"].total == 17


def test_an_unknown_course_is_a_404_page(client: Client) -> None:
    response = client.get(reverse("catalog:course_detail", args=["nexiste-pas"]))

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_open_session_shows_the_enrol_button_to_a_logged_in_learner(client: Client) -> None:
    run = CourseRunFactory()
    client.force_login(UserFactory())

    response = client.get(run.course.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert "S'inscrire à cette session" in body
    assert reverse("learning:enrol", args=[run.pk]) in body
    assert response["Cache-Control"] == "private, no-cache"


def test_an_anonymous_visitor_is_invited_to_log_in_to_enrol(client: Client) -> None:
    run = CourseRunFactory()

    body = client.get(run.course.get_absolute_url()).content.decode()

    assert "Se connecter pour s'inscrire" in body
    assert reverse("learning:enrol", args=[run.pk]) not in body


def test_the_enrol_button_follows_the_state_at_request_time(client: Client) -> None:
    run = CourseRunFactory()
    client.force_login(UserFactory())
    assert (
        reverse("learning:enrol", args=[run.pk])
        in client.get(run.course.get_absolute_url()).content.decode()
    )

    course_run_update(run=run, enrolment_end=timezone.now() - datetime.timedelta(seconds=1))
    body = client.get(run.course.get_absolute_url()).content.decode()

    assert reverse("learning:enrol", args=[run.pk]) not in body
    assert "Les inscriptions à cette session sont closes." in body


def test_the_course_page_leads_with_the_open_session_and_lists_the_others(client: Client) -> None:
    course = CourseFactory()
    archived = CourseRunFactory(course=course, archived=True, title="2025")
    open_run = CourseRunFactory(course=course, title="2026")

    response = client.get(course.get_absolute_url())

    assert response.context["run"] == open_run
    assert response.context["state"].value == "ouverte"
    response = client.get(course.get_absolute_url(), {"session": archived.pk})
    assert response.context["run"] == archived
    assert "Cette session est terminée." in response.content.decode()


def test_an_enrolled_learner_sees_it_and_can_unenrol(client: Client) -> None:
    learner = UserFactory()
    run = CourseRunFactory()
    enrolment_create(user=learner, course_run=run)
    client.force_login(learner)

    body = client.get(run.course.get_absolute_url()).content.decode()

    assert "Vous êtes inscrit à cette session." in body
    assert reverse("learning:unenrol", args=[run.pk]) in body


def test_a_full_session_says_so(client: Client) -> None:
    run = CourseRunFactory(capacity=1)
    enrolment_create(user=UserFactory(), course_run=run)
    client.force_login(UserFactory())

    body = client.get(run.course.get_absolute_url()).content.decode()

    assert "Cette session est complète." in body
    assert reverse("learning:enrol", args=[run.pk]) not in body


def test_a_draft_course_is_hidden_from_the_public_but_shown_to_its_team(client: Client) -> None:
    course = CourseFactory(is_published=False)
    teacher = UserFactory()
    course_team_member_set(course=course, user=teacher, role=CourseTeamRole.INSTRUCTOR)

    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(teacher)
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    assert "Ce cours n'est pas publié" in response.content.decode()


def test_programme_staff_see_draft_courses(client: Client) -> None:
    course = CourseFactory(is_published=False)
    staff = RoleAssignmentFactory(role=Role.PROGRAMME_STAFF).user
    client.force_login(staff)

    assert client.get(course.get_absolute_url()).status_code == 200


def test_the_course_page_runs_a_constant_number_of_queries(
    client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    course = CourseFactory()
    CourseRunFactory(course=course)
    with django_assert_max_num_queries(30) as few:
        client.get(course.get_absolute_url())
    for _ in range(5):
        CourseRunFactory(course=course, archived=True)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(course.get_absolute_url())


def test_an_institution_page_lists_its_published_courses(client: Client) -> None:
    institution = InstitutionFactory(name="Université de Kinshasa", country="CD")
    CourseFactory(title="Géologie du bassin du Congo", owners=[institution])
    CourseFactory(title="Brouillon", owners=[institution], is_published=False)
    course_update(course=CourseFactory(title="Cours partenaire"), partners=[institution])

    response = client.get(institution.get_absolute_url())

    assert response.status_code == 200
    assert [c.title for c in response.context["courses"]] == [
        "Cours partenaire",
        "Géologie du bassin du Congo",
    ]


def test_the_institution_list_filters_by_country(client: Client) -> None:
    InstitutionFactory(name="Université de Kinshasa", country="CD")
    InstitutionFactory(name="Université Laval", country="CA")

    response = client.get(reverse("institutions:list"), {"country": "cd"})

    assert [i.name for i in response.context["institutions"]] == ["Université de Kinshasa"]


def test_an_unknown_institution_is_a_404(client: Client) -> None:
    assert client.get(reverse("institutions:detail", args=["inconnue"])).status_code == 404


def test_renaming_a_teacher_keeps_the_search_index_current() -> None:
    from sankore.catalog.search import course_search
    from sankore.catalog.search_params import CourseSearchParams
    from sankore.catalog.services import teacher_update
    from sankore.catalog.tests.factories import TeacherFactory

    teacher = TeacherFactory(full_name="Aminata Diallo")
    course = CourseFactory(teachers=[teacher])

    teacher_update(teacher=teacher, full_name="Aminata Ndiaye")

    found = course_search(params=CourseSearchParams(q="ndiaye")).courses
    assert [c.pk for c in found] == [course.pk]
    assert course_search(params=CourseSearchParams(q="diallo")).total == 0


def test_the_search_index_can_be_rebuilt_from_the_command_line() -> None:
    from io import StringIO

    from django.core.management import call_command

    CourseFactory.create_batch(3)
    out = StringIO()

    call_command("search_index_rebuild", stdout=out)

    assert out.getvalue().strip() == "3 courses indexed."


def test_the_institution_list_runs_a_constant_number_of_queries(
    client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    InstitutionFactory.create_batch(2)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("institutions:list"))
    InstitutionFactory.create_batch(20, country="CM")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("institutions:list"))

    assert response.context["page_obj"].paginator.count == 22


def test_an_institution_page_runs_a_constant_number_of_queries(
    client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    institution = InstitutionFactory()
    CourseRunFactory(course=CourseFactory(owners=[institution]))
    with django_assert_max_num_queries(15) as few:
        client.get(institution.get_absolute_url())
    for _ in range(6):
        CourseRunFactory(course=CourseFactory(owners=[institution]))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(institution.get_absolute_url())

    assert len(response.context["courses"]) == 7
