"""A course that leaves the public catalog is recorded as withdrawn, for good, by the services."""

from __future__ import annotations

import pytest

from sankore.catalog import services
from sankore.catalog.models import CourseWithdrawal
from sankore.catalog.tests.factories import CourseFactory, DisciplineFactory
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def withdrawn() -> list[tuple[str, list[str], list[str]]]:
    return [
        (
            w.slug,
            sorted(i.slug for i in w.institutions.all()),
            sorted(d.slug for d in w.disciplines.all()),
        )
        for w in CourseWithdrawal.objects.order_by("slug")
    ]


def test_unpublishing_records_the_sets_the_course_had() -> None:
    owner, partner = InstitutionFactory(slug="owner"), InstitutionFactory(slug="partner")
    course = CourseFactory(
        slug="c", owners=[owner], partners=[partner], disciplines=[DisciplineFactory(slug="d")]
    )

    services.course_update(
        course=course, is_published=False, disciplines=[DisciplineFactory(slug="other")]
    )

    assert withdrawn() == [("c", ["owner", "partner"], ["d"])]


def test_a_form_that_already_set_the_new_values_on_the_instance_is_seen_through() -> None:
    course = CourseFactory(slug="c")
    course.is_published = False  # as a ModelForm does before the admin calls the service
    course.slug = "renamed"

    services.course_update(course=course, is_published=False, slug="renamed")

    assert [slug for slug, _i, _d in withdrawn()] == ["c"]


def test_deleting_a_public_course_records_it_and_a_draft_leaves_nothing() -> None:
    services.course_delete(course=CourseFactory(slug="public"))
    services.course_delete(course=CourseFactory(slug="draft", is_published=False))

    assert [slug for slug, _i, _d in withdrawn()] == ["public"]


def test_a_slug_public_again_is_no_longer_withdrawn() -> None:
    course = CourseFactory(slug="c")
    services.course_update(course=course, is_published=False)
    services.course_delete(course=CourseFactory(slug="gone"))

    services.course_update(course=course, is_published=True)
    CourseFactory(slug="gone")  # another course takes the slug

    assert withdrawn() == []


def test_edits_that_keep_a_course_public_record_nothing() -> None:
    course = CourseFactory(slug="c")

    services.course_update(course=course, title="Autre titre")

    assert withdrawn() == []
