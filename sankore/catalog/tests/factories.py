"""Catalog factories. Courses and sessions are built through the services, so the search
index is current exactly as in production."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from sankore.catalog import services
from sankore.catalog.models import (
    Course,
    CourseRun,
    Discipline,
    Language,
    Level,
    Licence,
    Pacing,
    Teacher,
)
from sankore.institutions.tests.factories import InstitutionFactory


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "fr"
    name_fr = "Français"
    name_en = "French"


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline

    slug = factory.Sequence(lambda n: f"discipline-{n}")
    name_fr = factory.Sequence(lambda n: f"Discipline {n}")
    name_en = factory.Sequence(lambda n: f"Discipline {n} (en)")


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    full_name = factory.Faker("name", locale="fr_FR")
    title = "Maître de conférences"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"CLOM-{n:04d}")
    title = factory.Sequence(lambda n: f"Cours numéro {n}")
    summary = "Un cours en ligne ouvert et massif."
    description = "Une description du cours."
    level = Level.INTRODUCTORY
    effort_hours_per_week = 3
    duration_weeks = 6
    licence = Licence.CC_BY_SA
    is_published = True

    @classmethod
    def _create(cls, model_class: type[Course], *args: Any, **kwargs: Any) -> Course:
        languages = kwargs.pop("languages", None) or [LanguageFactory()]
        disciplines = kwargs.pop("disciplines", None) or [DisciplineFactory()]
        owners = kwargs.pop("owners", None) or [InstitutionFactory()]
        return services.course_create(
            languages=languages, disciplines=disciplines, owners=owners, **kwargs
        )


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class CourseRunFactory(factory.django.DjangoModelFactory):
    """Defaults to a session open for enrolment now; traits give the other states."""

    class Meta:
        model = CourseRun

    course = factory.SubFactory(CourseFactory)
    start = factory.LazyFunction(lambda: timezone.now() + _days(7))
    end = factory.LazyFunction(lambda: timezone.now() + _days(49))
    enrolment_start = factory.LazyFunction(lambda: timezone.now() - _days(7))
    enrolment_end = factory.LazyFunction(lambda: timezone.now() + _days(30))
    pacing = Pacing.INSTRUCTOR_LED
    capacity = None

    class Params:
        upcoming = factory.Trait(
            start=factory.LazyFunction(lambda: timezone.now() + _days(60)),
            end=factory.LazyFunction(lambda: timezone.now() + _days(100)),
            enrolment_start=factory.LazyFunction(lambda: timezone.now() + _days(30)),
            enrolment_end=factory.LazyFunction(lambda: timezone.now() + _days(70)),
        )
        ongoing = factory.Trait(
            start=factory.LazyFunction(lambda: timezone.now() - _days(10)),
            end=factory.LazyFunction(lambda: timezone.now() + _days(30)),
            enrolment_start=factory.LazyFunction(lambda: timezone.now() - _days(40)),
            enrolment_end=factory.LazyFunction(lambda: timezone.now() - _days(5)),
        )
        archived = factory.Trait(
            start=factory.LazyFunction(lambda: timezone.now() - _days(100)),
            end=factory.LazyFunction(lambda: timezone.now() - _days(50)),
            enrolment_start=factory.LazyFunction(lambda: timezone.now() - _days(130)),
            enrolment_end=factory.LazyFunction(lambda: timezone.now() - _days(90)),
        )

    @classmethod
    def _create(cls, model_class: type[CourseRun], *args: Any, **kwargs: Any) -> CourseRun:
        return services.course_run_create(**kwargs)


def run_at(
    course: Course,
    now: datetime.datetime,
    *,
    enrolment: tuple[int, int | None],
    session: tuple[int, int | None],
    is_published: bool = True,
) -> None:
    """A session whose enrolment and teaching start/end so many days from ``now``."""
    enrolment_start, enrolment_end = enrolment
    start, end = session
    CourseRunFactory(
        course=course,
        enrolment_start=now + enrolment_start * _days(1),
        enrolment_end=None if enrolment_end is None else now + enrolment_end * _days(1),
        start=now + start * _days(1),
        end=None if end is None else now + end * _days(1),
        is_published=is_published,
    )
