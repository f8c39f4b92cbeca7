"""The small catalog that the search tests share: every facet varied."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sankore.catalog.models import Level
from sankore.catalog.tests.factories import (
    CourseFactory,
    DisciplineFactory,
    LanguageFactory,
    run_at,
)
from sankore.institutions.tests.factories import InstitutionFactory


@pytest.fixture
def catalog() -> dict[str, Any]:
    """A small catalog with every facet varied."""
    fr = LanguageFactory(code="fr", name_fr="Français", name_en="French")
    en = LanguageFactory(code="en", name_fr="Anglais", name_en="English")
    sciences = DisciplineFactory(slug="sciences", name_fr="Sciences", name_en="Science")
    biology = DisciplineFactory(
        slug="biologie", name_fr="Biologie", name_en="Biology", parent=sciences
    )
    chemistry = DisciplineFactory(
        slug="chimie", name_fr="Chimie", name_en="Chemistry", parent=sciences
    )
    law = DisciplineFactory(slug="droit", name_fr="Droit", name_en="Law")
    dakar = InstitutionFactory(
        slug="ucad", name="Université Cheikh Anta Diop", country="SN", region="afrique-ouest"
    )
    thies = InstitutionFactory(
        slug="uidt", name="Université de Thiès", country="SN", region="afrique-ouest"
    )
    lyon = InstitutionFactory(
        slug="lyon", name="Université de Lyon", country="FR", region="europe-ouest"
    )
    now = timezone.now()
    courses = {
        "bio": CourseFactory(
            title="Biologie cellulaire",
            languages=[fr],
            disciplines=[biology],
            owners=[dakar, thies],
            level=Level.INTRODUCTORY,
        ),
        "biochem": CourseFactory(
            title="Biochimie",
            languages=[fr, en],
            disciplines=[biology, chemistry],
            owners=[lyon],
            level=Level.ADVANCED,
            offers_certificate=True,
        ),
        "chem": CourseFactory(
            title="Chimie verte",
            languages=[en],
            disciplines=[chemistry],
            owners=[dakar],
            level=Level.INTERMEDIATE,
            offers_attestation=False,
            ects_credits=3,
        ),
        "law": CourseFactory(
            title="Droit de l'environnement",
            languages=[fr],
            disciplines=[law],
            owners=[lyon, dakar],
            level=Level.INTRODUCTORY,
            ects_credits=5,
        ),
        "sciences": CourseFactory(
            title="Sciences pour tous",
            languages=[fr],
            disciplines=[sciences],
            owners=[thies],
            level=Level.INTRODUCTORY,
        ),
    }
    run_at(courses["bio"], now, enrolment=(-5, 10), session=(3, 40))
    run_at(courses["biochem"], now, enrolment=(5, 20), session=(25, 60))
    run_at(courses["chem"], now, enrolment=(-5, 10), session=(3, 40))
    run_at(courses["chem"], now, enrolment=(-130, -90), session=(-100, -50))
    run_at(courses["law"], now, enrolment=(-40, -5), session=(-10, 30))
    return courses
