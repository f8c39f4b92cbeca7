"""The reference data the imports and the synchronisation find their courses by."""

from __future__ import annotations

from typing import Any

import pytest

from sankore.catalog.models import Course, Hosting
from sankore.catalog.tests.factories import CourseFactory, DisciplineFactory, LanguageFactory
from sankore.institutions.tests.factories import InstitutionFactory


@pytest.fixture
def reference() -> dict[str, Any]:
    return {
        "fr": LanguageFactory(code="fr", name_fr="Français", name_en="French"),
        "en": LanguageFactory(code="en", name_fr="Anglais", name_en="English"),
        "economie": DisciplineFactory(slug="economie", name_fr="Économie", name_en="Economics"),
        "droit": DisciplineFactory(slug="droit", name_fr="Droit", name_en="Law"),
        "ucad": InstitutionFactory(slug="ucad", acronym="UCAD", name="Université Cheikh Anta Diop"),
    }


@pytest.fixture
def external_course(reference: dict[str, Any]) -> Course:
    course: Course = CourseFactory(
        code="UCAD+ECO101",
        title="Économie du développement",
        languages=[reference["fr"]],
        disciplines=[reference["economie"]],
        owners=[reference["ucad"]],
        hosting=Hosting.EXTERNAL,
        external_url="https://mooc.example.org/courses/ucad-eco101",
        external_platform="FUN MOOC",
    )
    return course
