from __future__ import annotations

import pytest

from sankore.catalog.search import course_search
from sankore.catalog.search_params import CourseSearchParams
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory

pytestmark = pytest.mark.django_db


def test_smoke() -> None:
    CourseRunFactory(course=CourseFactory(title="Introduction à l'économie du développement"))
    CourseRunFactory(course=CourseFactory(title="Chimie organique"), archived=True)
    CourseFactory(title="École sans session")

    result = course_search(params=CourseSearchParams(q="economique"))
    assert [c.title for c in result.courses] == ["Introduction à l'économie du développement"]
    result = course_search(params=CourseSearchParams())
    assert [c.title for c in result.courses] == ["Introduction à l'économie du développement", "Chimie organique", "École sans session"]
    print(result.facets)
    result = course_search(params=CourseSearchParams(availability=("archivee",)))
    assert [c.title for c in result.courses] == ["Chimie organique"]
    print(result.facets)


def test_vendor() -> None:
    from django.db import connection
    print("VENDOR", connection.vendor, connection.settings_dict["NAME"])
