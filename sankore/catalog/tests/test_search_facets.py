"""Course search: disjunctive facet counts, pages of results and their query counts."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sankore.catalog import services
from sankore.catalog.models import Level, RunState
from sankore.catalog.search import (
    CourseSearchResult,
    FacetOption,
    course_search,
)
from sankore.catalog.search_params import FACET_NAMES, CourseSearchParams
from sankore.catalog.selectors import catalog_counts
from sankore.catalog.tests.factories import (
    CourseFactory,
)
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def titles(result: CourseSearchResult) -> list[str]:
    return [course.title for course in result.courses]


def search(q: str = "", **selections: tuple[str, ...]) -> CourseSearchResult:
    return course_search(params=CourseSearchParams(q=q, **selections), page_size=50)


def counts(result: CourseSearchResult, facet: str) -> dict[str, int]:
    return {option.value: option.count for option in result.facets[facet]}


# --- Facets ----------------------------------------------------------------------------------


def test_every_facet_counts_the_matching_courses(catalog: dict[str, Any]) -> None:
    result = search()

    assert result.total == 5
    assert counts(result, "availability") == {
        "ouverte": 2,
        "a-venir": 1,
        "en-cours": 1,
        "archivee": 1,
    }
    assert counts(result, "discipline") == {"sciences": 4, "biologie": 2, "chimie": 2, "droit": 1}
    assert counts(result, "language") == {"fr": 4, "en": 2}
    assert counts(result, "level") == {"introductif": 3, "intermediaire": 1, "avance": 1}
    assert counts(result, "recognition") == {"attestation": 4, "certificat": 1, "ects": 2}
    assert counts(result, "institution") == {"ucad": 3, "lyon": 2, "uidt": 2}
    assert counts(result, "country") == {"SN": 4, "FR": 2}
    assert counts(result, "region") == {"afrique-ouest": 4, "europe-ouest": 2}


def test_facet_counts_follow_the_taxonomy_and_links_after_every_write(
    catalog: dict[str, Any],
) -> None:
    search()  # fills the cache of the whole catalog's counts
    sciences = catalog["sciences"].disciplines.get()
    biology = catalog["bio"].disciplines.get()
    law = catalog["law"].disciplines.get()

    services.discipline_update(discipline=law, parent=sciences)
    services.course_update(course=catalog["sciences"], languages=["en"], disciplines=[biology])
    result = search()

    assert counts(result, "discipline") == {"sciences": 5, "biologie": 3, "chimie": 2, "droit": 1}
    assert counts(result, "language") == {"fr": 3, "en": 3}
    assert counts(search(language=("en",)), "discipline") == {
        "sciences": 3,
        "biologie": 2,
        "chimie": 2,
    }


def test_the_home_page_counts_are_cached_until_the_catalog_changes(
    catalog: dict[str, Any], django_assert_num_queries: Any
) -> None:
    first = catalog_counts()
    with django_assert_num_queries(1):  # the index version only
        assert catalog_counts() == first
    assert (first.courses, first.institutions, first.countries) == (5, 3, 2)

    CourseFactory(title="Nouveau", owners=[InstitutionFactory(country="CI")])

    assert catalog_counts() == replace(first, courses=6, institutions=4, countries=3)


def test_facet_options_carry_labels_in_the_current_language(catalog: dict[str, Any]) -> None:
    result = search(country=("SN",))

    assert result.facets["country"] == [
        FacetOption("SN", "Sénégal", 4, True),
        FacetOption("FR", "France", 2, False),
    ]
    assert result.facets["discipline"] == [
        FacetOption("droit", "Droit", 1, False, 0),
        FacetOption("sciences", "Sciences", 3, False, 0),
        FacetOption("biologie", "Biologie", 1, False, 1),
        FacetOption("chimie", "Chimie", 1, False, 1),
    ]
    with translation.override("en"):
        english = search()
    assert [o.label for o in english.facets["language"]] == ["French", "English"]
    assert [o.label for o in english.facets["country"]] == ["Senegal", "France"]
    assert [o.label for o in english.facets["discipline"]][:2] == ["Law", "Science"]


@pytest.mark.parametrize(
    ("selections", "expected"),
    [
        (
            {"discipline": ("sciences",)},
            ["Biologie cellulaire", "Chimie verte", "Biochimie", "Sciences pour tous"],
        ),
        ({"discipline": ("chimie",)}, ["Chimie verte", "Biochimie"]),
        (
            {"discipline": ("droit", "biologie")},
            ["Biologie cellulaire", "Biochimie", "Droit de l'environnement"],
        ),
        ({"language": ("en",)}, ["Chimie verte", "Biochimie"]),
        (
            {"level": ("introductif",)},
            ["Biologie cellulaire", "Droit de l'environnement", "Sciences pour tous"],
        ),
        ({"level": ("avance", "intermediaire")}, ["Chimie verte", "Biochimie"]),
        ({"institution": ("uidt",)}, ["Biologie cellulaire", "Sciences pour tous"]),
        ({"country": ("FR",)}, ["Biochimie", "Droit de l'environnement"]),
        (
            {"region": ("afrique-ouest",)},
            [
                "Biologie cellulaire",
                "Chimie verte",
                "Droit de l'environnement",
                "Sciences pour tous",
            ],
        ),
        ({"availability": ("archivee",)}, ["Chimie verte"]),
        ({"availability": ("a-venir", "en-cours")}, ["Biochimie", "Droit de l'environnement"]),
        ({"recognition": ("certificat",)}, ["Biochimie"]),
        ({"recognition": ("ects",)}, ["Chimie verte", "Droit de l'environnement"]),
        ({"recognition": ("attestation",), "language": ("en",)}, ["Biochimie"]),
    ],
)
def test_each_facet_filters_values_or_ed_facets_and_ed(
    catalog: dict[str, Any], selections: dict[str, tuple[str, ...]], expected: list[str]
) -> None:
    result = search(**selections)

    assert titles(result) == expected
    assert result.total == len(expected)


def test_a_selected_value_is_shown_even_without_results(catalog: dict[str, Any]) -> None:
    result = search("droit", language=("en",))

    assert result.total == 0
    assert result.facets["language"] == [
        FacetOption("fr", "Français", 1, False),
        FacetOption("en", "Anglais", 0, True),
    ]
    assert result.facets["level"] == []


def all_single_selections() -> list[tuple[str, str]]:
    return [("availability", value) for value in ("ouverte", "a-venir", "en-cours", "archivee")] + [
        ("discipline", "sciences"),
        ("discipline", "chimie"),
        ("language", "en"),
        ("level", "introductif"),
        ("recognition", "ects"),
        ("institution", "ucad"),
        ("country", "FR"),
        ("region", "afrique-ouest"),
    ]


def assert_counts_are_what_selecting_gives(params: CourseSearchParams) -> None:
    result = course_search(params=params)
    for facet in FACET_NAMES:
        for option in result.facets[facet]:
            alone = replace(params, **{facet: (option.value,)})
            assert course_search(params=alone).total == option.count, (facet, option, params)


@pytest.mark.parametrize(
    "base",
    [
        {},
        {"q": "chimie"},
        *({facet: (value,)} for facet, value in all_single_selections()),
        *(
            {first[0]: (first[1],), second[0]: (second[1],)}
            for first, second in itertools.combinations(all_single_selections(), 2)
            if first[0] != second[0]
        ),
    ][::5],
)
def test_a_value_selected_alone_gives_exactly_its_displayed_count(
    catalog: dict[str, Any], base: dict[str, Any]
) -> None:
    assert_counts_are_what_selecting_gives(CourseSearchParams(**base))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    selections=st.fixed_dictionaries(
        {},
        optional={
            facet: st.lists(st.sampled_from(values), unique=True, min_size=1).map(tuple)
            for facet, values in {
                "availability": ["ouverte", "a-venir", "en-cours", "archivee"],
                "discipline": ["sciences", "biologie", "chimie", "droit"],
                "language": ["fr", "en"],
                "level": ["introductif", "intermediaire", "avance"],
                "recognition": ["attestation", "certificat", "ects"],
                "institution": ["ucad", "uidt", "lyon"],
                "country": ["SN", "FR"],
                "region": ["afrique-ouest", "europe-ouest"],
            }.items()
        },
    ),
    q=st.sampled_from(["", "chimie", "biologie cellulaire", "droit"]),
)
def test_disjunctive_counts_hold_for_any_selection(
    catalog: dict[str, Any], selections: dict[str, tuple[str, ...]], q: str
) -> None:
    assert_counts_are_what_selecting_gives(CourseSearchParams(q=q, **selections))


def test_counts_follow_a_catalog_write(catalog: dict[str, Any]) -> None:
    assert counts(search(), "level")["avance"] == 1

    services.course_update(course=catalog["bio"], level=Level.ADVANCED)

    assert counts(search(), "level") == {"introductif": 2, "intermediaire": 1, "avance": 2}


@pytest.mark.parametrize(
    "selections",
    [
        {"level": ("introductif",), "language": ("fr",)},
        {"availability": ("ouverte",), "language": ("fr",)},
        {"discipline": ("sciences",), "country": ("SN",), "recognition": ("ects",)},
        {"level": ("introductif",), "institution": ("ucad",), "q": ("cellulaire",)},
    ],
)
def test_a_combination_counts_the_same_when_its_parts_were_asked_before(
    catalog: dict[str, Any], selections: dict[str, tuple[str, ...]]
) -> None:
    from django.core.cache import cache

    q = selections.pop("q", ("",))[0]
    searches = [{facet: values} for facet, values in selections.items()] + [selections]
    fresh = []
    for selection in searches:  # each computed with an empty cache
        cache.clear()
        fresh.append(search(q, **selection))
    cache.clear()
    search()  # the whole catalog, then each facet alone, then the combination: each reuses
    # the counts cached before it and computes only the rest
    again = [search(q, **selection) for selection in searches]

    assert [(r.total, r.facets, titles(r)) for r in again] == [
        (r.total, r.facets, titles(r)) for r in fresh
    ]


# --- Pages and queries -----------------------------------------------------------------------


def test_pages_split_the_results(catalog: dict[str, Any]) -> None:
    params = CourseSearchParams()

    first = course_search(params=params, page=1, page_size=2)
    last = course_search(params=params, page=3, page_size=2)
    beyond = course_search(params=params, page=4, page_size=2)

    assert (first.total, first.num_pages, first.has_previous, first.has_next) == (5, 3, False, True)
    assert titles(first) == ["Biologie cellulaire", "Chimie verte"]
    assert titles(last) == ["Sciences pour tous"]
    assert (last.has_previous, last.has_next) == (True, False)
    assert titles(beyond) == []


def test_each_course_comes_with_what_a_result_card_shows(
    catalog: dict[str, Any], django_assert_num_queries: Any
) -> None:
    result = search()

    with django_assert_num_queries(0):
        for course in result.courses:
            list(course.owners.all())
            list(course.languages.all())
            list(course.disciplines.all())
            assert course.featured_run in [*course.published_runs, None]
    chem = next(course for course in result.courses if course.title == "Chimie verte")
    assert chem.featured_run.state_at(result.now) == RunState.OPEN
    assert chem.availability == RunState.OPEN


@pytest.mark.parametrize("page_size", [1, 20])
def test_a_search_runs_the_same_queries_whatever_the_page_size(
    catalog: dict[str, Any], page_size: int, django_assert_num_queries: Any
) -> None:
    # Taxonomy, index state, the index read for its bitmaps (twice) and its state again,
    # institutions, courses and their 4 relations, language labels.
    with django_assert_num_queries(12):
        course_search(params=CourseSearchParams(q="", level=("introductif",)), page_size=page_size)

    # The bitmaps are kept while nothing changed: counts and page cost no query, whatever
    # the combination.
    with django_assert_num_queries(9):
        course_search(params=CourseSearchParams(q="", level=("introductif",)), page_size=page_size)
    with django_assert_num_queries(9):
        course_search(
            params=CourseSearchParams(level=("avance",), language=("fr",)), page_size=page_size
        )
