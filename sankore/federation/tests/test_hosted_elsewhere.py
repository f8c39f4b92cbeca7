"""A course hosted elsewhere: its page links to its platform instead of the enrol button, the
catalog lists it like the others, and Sankoré refuses to enrol anyone in it."""

from __future__ import annotations

import pytest
from django.test import Client

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import Course
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.learning.models import Enrolment
from sankore.learning.services import EnrolmentClosedError, enrolment_create

pytestmark = pytest.mark.django_db

LINK = "https://lms.example.org/courses/course-v1:UCAD+ECO101+2025/info"


def test_the_page_links_to_the_platform_instead_of_the_enrol_button(
    client: Client, external_course: Course
) -> None:
    CourseRunFactory(course=external_course, resource_link=LINK)
    client.force_login(UserFactory())

    page = client.get(external_course.get_absolute_url()).content.decode()

    assert "Ce cours se suit sur FUN MOOC." in page
    assert f'href="{LINK}"' in page
    assert "S&#x27;inscrire à cette session" not in page
    assert "S'inscrire à cette session" not in page


def test_without_session_the_page_links_to_the_course_on_its_platform(
    client: Client, external_course: Course
) -> None:
    page = client.get(external_course.get_absolute_url()).content.decode()

    assert 'href="https://mooc.example.org/courses/ucad-eco101"' in page


def test_the_catalog_lists_it_with_its_platform(client: Client, external_course: Course) -> None:
    CourseRunFactory(course=external_course, resource_link=LINK)

    page = client.get("/cours/").content.decode()

    assert external_course.title in page
    assert "sur FUN MOOC" in page


def test_enrolment_on_sankore_is_refused(external_course: Course) -> None:
    run = CourseRunFactory(course=external_course, resource_link=LINK)

    with pytest.raises(EnrolmentClosedError) as refused:
        enrolment_create(user=UserFactory(), course_run=run)

    assert refused.value.code == "hosted_elsewhere"
    assert Enrolment.objects.count() == 0
    run.refresh_from_db()
    assert run.enrolment_count == 0
