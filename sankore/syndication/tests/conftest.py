"""A small catalog for the feeds: courses of known ages, sessions opening at known dates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from sankore.catalog.models import Course
from sankore.catalog.tests.factories import (
    CourseFactory,
    CourseRunFactory,
    DisciplineFactory,
    LanguageFactory,
)
from sankore.institutions.tests.factories import InstitutionFactory


def _days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def aged(course: Course, *, days: float) -> Course:
    """Test set-up: the course was created ``days`` ago (creation dates are not editable)."""
    created = timezone.now() - _days(days)
    Course.objects.filter(pk=course.pk).update(created_at=created)
    course.created_at = created
    return course


@pytest.fixture
def site_url(settings: Any) -> str:
    settings.SITE_URL = "https://clom.example.org"
    return "https://clom.example.org"


@pytest.fixture
def feed_catalog(site_url: str) -> dict[str, Any]:
    fr = LanguageFactory(code="fr", name_fr="Français", name_en="French")
    en = LanguageFactory(code="en", name_fr="Anglais", name_en="English")
    health = DisciplineFactory(slug="sante", name_fr="Santé")
    epidemiology = DisciplineFactory(slug="epidemiologie", name_fr="Épidémiologie", parent=health)
    law = DisciplineFactory(slug="droit", name_fr="Droit")
    ucad = InstitutionFactory(slug="ucad", name="Université Cheikh Anta Diop", country="SN")
    laval = InstitutionFactory(
        slug="laval", name="Université Laval", country="CA", time_zone="America/Toronto"
    )
    courses = {
        "epidemio": aged(
            CourseFactory(
                title="Épidémiologie de terrain",
                slug="epidemiologie-de-terrain",
                summary="Enquêter sur une épidémie.",
                languages=[fr],
                disciplines=[epidemiology],
                owners=[ucad],
            ),
            days=1,
        ),
        "law": aged(
            CourseFactory(
                title="Droit OHADA",
                slug="droit-ohada",
                summary="Le droit des affaires en Afrique.",
                languages=[fr],
                disciplines=[law],
                owners=[ucad, laval],
            ),
            days=3,
        ),
        "health": aged(
            CourseFactory(
                title="Global health",
                slug="global-health",
                summary="Health across borders.",
                languages=[en],
                disciplines=[health],
                owners=[laval],
            ),
            days=2,
        ),
    }
    aged(CourseFactory(title="Brouillon", is_published=False, owners=[ucad]), days=0)
    now = timezone.now()
    runs = {
        "epidemio": CourseRunFactory(
            course=courses["epidemio"],
            title="Session de mai",
            enrolment_start=now + _days(5),
            enrolment_end=now + _days(20),
            start=now + _days(25),
            end=now + _days(60),
        ),
        "law": CourseRunFactory(
            course=courses["law"],
            title="Session d'hiver",
            enrolment_start=now - _days(10),
            enrolment_end=None,
            start=now + _days(3),
            end=now + _days(40),
        ),
        "health": CourseRunFactory(
            course=courses["health"],
            title="Spring",
            enrolment_start=now - _days(2),
            enrolment_end=now + _days(30),
            start=now + _days(10),
            end=now + _days(50),
        ),
    }
    # Out of the window, or not public: never in the sessions feed.
    CourseRunFactory(course=courses["law"], archived=True)
    CourseRunFactory(course=courses["law"], upcoming=True, enrolment_start=now + _days(45))
    CourseRunFactory(course=courses["health"], is_published=False)
    return {"courses": courses, "runs": runs}
