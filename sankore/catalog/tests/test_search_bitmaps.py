"""Counts and pages from the index's bitmaps: what the database gives, current after each write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sankore.catalog import search, search_bitmaps, services
from sankore.catalog.models import Level
from sankore.catalog.search import CourseSearchResult, course_search
from sankore.catalog.search_params import CourseSearchParams
from sankore.catalog.tests.factories import CourseFactory, LanguageFactory
from sankore.institutions.services import institution_update
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@contextmanager
def counted_by_the_database() -> Iterator[None]:
    """Searches as when another process builds the bitmaps: the SQL counts and pages."""
    with mock.patch.object(search, "index_bitmaps", return_value=None):
        yield


def seen(result: CourseSearchResult) -> tuple[Any, ...]:
    return (result.total, result.num_pages, result.facets, [c.title for c in result.courses])


def counts(result: CourseSearchResult, facet: str) -> dict[str, int]:
    return {option.value: option.count for option in result.facets[facet]}


SELECTIONS = {
    "availability": ["ouverte", "a-venir", "en-cours", "archivee"],
    "discipline": ["sciences", "biologie", "chimie", "droit"],
    "language": ["fr", "en"],
    "level": ["introductif", "intermediaire", "avance"],
    "recognition": ["attestation", "certificat", "ects"],
    "institution": ["ucad", "uidt", "lyon"],
    "country": ["SN", "FR"],
    "region": ["afrique-ouest", "europe-ouest"],
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    selections=st.fixed_dictionaries(
        {},
        optional={
            facet: st.lists(st.sampled_from(values), unique=True, min_size=1).map(tuple)
            for facet, values in SELECTIONS.items()
        },
    ),
    q=st.sampled_from(["", "chimie", "biologie cellulaire", "droit", "sciences", "zythologie"]),
    page=st.integers(min_value=1, max_value=4),
    sparse=st.sampled_from([1, search_bitmaps._SPARSE]),  # both ways of finding a page
)
# The catalog's order is not the order of course ids (Chimie verte, open, before Biochimie).
@example(selections={}, q="", page=1, sparse=1)
@example(selections={}, q="", page=2, sparse=search_bitmaps._SPARSE)
@example(selections={"discipline": ("chimie",)}, q="", page=1, sparse=1)
@example(selections={"level": ("avance", "intermediaire")}, q="chimie", page=1, sparse=1)
def test_bitmaps_give_exactly_the_counts_and_pages_the_database_gives(
    catalog: dict[str, Any],
    selections: dict[str, tuple[str, ...]],
    q: str,
    page: int,
    sparse: int,
) -> None:
    params = CourseSearchParams(q=q, **selections)

    with mock.patch.object(search_bitmaps, "_SPARSE", sparse):
        from_bitmaps = course_search(params=params, page=page, page_size=2)
    with counted_by_the_database():
        from_database = course_search(params=params, page=page, page_size=2)

    assert seen(from_bitmaps) == seen(from_database)


def test_a_course_published_or_edited_changes_the_counts_at_once(
    catalog: dict[str, Any], django_assert_num_queries: Any
) -> None:
    params = CourseSearchParams(language=("fr",))
    before = course_search(params=params)
    assert (before.total, counts(before, "level")) == (4, {"introductif": 3, "avance": 1})
    fr = catalog["bio"].languages.get()

    draft = CourseFactory(
        title="Physique", languages=[fr], level=Level.ADVANCED, is_published=False
    )
    # Every catalog write makes a new index version: its first search reads the index again
    # for its bitmaps (a draft is written too, though nothing it has is counted).
    with django_assert_num_queries(12):
        unpublished = course_search(params=params)
    services.course_update(course=draft, is_published=True)
    with django_assert_num_queries(12):
        published = course_search(params=params)
    services.course_update(course=draft, level=Level.INTERMEDIATE)
    edited = course_search(params=params)
    with django_assert_num_queries(9):
        again = course_search(params=params)

    assert seen(unpublished) == seen(before)
    assert "Physique" not in [course.title for course in unpublished.courses]
    assert (published.total, counts(published, "level")) == (5, {"introductif": 3, "avance": 2})
    assert "Physique" in [course.title for course in published.courses]
    assert counts(edited, "level") == {"introductif": 3, "intermediaire": 1, "avance": 1}
    assert seen(again) == seen(edited)


def test_an_unpublished_course_leaves_the_counts_and_results(catalog: dict[str, Any]) -> None:
    course_search(params=CourseSearchParams())

    services.course_update(course=catalog["chem"], is_published=False)
    result = course_search(params=CourseSearchParams(q="chimie"))

    assert [course.title for course in result.courses] == ["Biochimie"]
    assert (result.total, counts(result, "language")) == (1, {"fr": 1, "en": 1})
    assert counts(course_search(params=CourseSearchParams()), "level") == {
        "introductif": 3,
        "avance": 1,
    }


def test_an_institution_moved_to_another_country_shows_at_once(catalog: dict[str, Any]) -> None:
    assert counts(course_search(params=CourseSearchParams()), "country") == {"SN": 4, "FR": 2}
    lyon = catalog["biochem"].owners.get()

    institution_update(institution=lyon, country="CI")  # the search index is not written
    result = course_search(params=CourseSearchParams(country=("CI",)))

    assert counts(result, "country") == {"SN": 4, "CI": 2}
    assert counts(result, "region") == {"afrique-ouest": 2}
    assert [course.title for course in result.courses] == [
        "Biochimie",
        "Droit de l'environnement",
    ]


def test_processes_share_one_build_through_the_cache(
    catalog: dict[str, Any], django_assert_num_queries: Any
) -> None:
    params = CourseSearchParams(q="chimie", level=("avance",))
    first = course_search(params=params)  # builds, and reads the words' matches
    search_bitmaps._local.clear()  # another process: nothing in its memory

    # Taxonomy, index state, institutions, courses and their 4 relations, language labels:
    # the bitmaps and the words' matches come from the cache.
    with django_assert_num_queries(9):
        other = course_search(params=params)

    assert seen(other) == seen(first)
    assert (other.total, counts(other, "level")) == (1, {"avance": 1, "intermediaire": 1})


def test_while_another_process_builds_the_database_counts(
    catalog: dict[str, Any], django_assert_num_queries: Any
) -> None:
    params = CourseSearchParams(discipline=("sciences",), country=("SN",))
    with counted_by_the_database():
        expected = course_search(params=params)
    cache.clear()
    state = search.index_state  # the key of the build lock is that of the index's state
    with search.connection.cursor() as cursor:
        key = search_bitmaps._key(state(cursor))
    cache.add(f"{key}:building", 1, 60)

    # Taxonomy, index state, counts, page, courses and their 4 relations, 2 facet labels.
    with django_assert_num_queries(11):
        meanwhile = course_search(params=params)

    assert seen(meanwhile) == seen(expected)
    assert cache.get(f"{key}:token") is None


def test_a_new_language_counts_without_a_stale_position(catalog: dict[str, Any]) -> None:
    course_search(params=CourseSearchParams(q="chimie"))  # caches the words' matches
    wolof = LanguageFactory(code="wo", name_fr="Wolof", name_en="Wolof")

    CourseFactory(title="Chimie du sol", languages=[wolof], owners=[InstitutionFactory()])
    result = course_search(params=CourseSearchParams(q="chimie", language=("wo",)))

    assert [course.title for course in result.courses] == ["Chimie du sol"]
    assert counts(result, "language") == {"fr": 1, "en": 2, "wo": 1}
