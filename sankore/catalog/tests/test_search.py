"""Course search: French-aware matching, ranking, index upkeep, availability at request time.

Facets and pages are in ``test_search_facets.py``."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sankore.catalog import services
from sankore.catalog.models import Course, CourseRun, RunState
from sankore.catalog.search import (
    CourseSearchResult,
    course_search,
    search_index_rebuild,
    search_index_refresh_states,
)
from sankore.catalog.search_params import CourseSearchParams
from sankore.catalog.tests.factories import (
    CourseFactory,
    CourseRunFactory,
    DisciplineFactory,
    TeacherFactory,
    run_at,
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


# --- Matching --------------------------------------------------------------------------------


def test_a_query_without_accents_or_capitals_finds_the_accented_title() -> None:
    CourseFactory(title="École numérique et société")
    CourseFactory(title="Chimie organique")

    assert titles(search("ecole")) == ["École numérique et société"]
    assert titles(search("ÉCOLE NUMÉRIQUE")) == ["École numérique et société"]


def test_a_query_finds_other_forms_of_the_same_word() -> None:
    CourseFactory(title="Introduction à l'économie du développement")
    CourseFactory(title="Mathématique financière")
    CourseFactory(title="Chimie organique")

    assert titles(search("economique")) == ["Introduction à l'économie du développement"]
    assert titles(search("mathematiques")) == ["Mathématique financière"]


def test_every_word_of_the_query_must_match() -> None:
    CourseFactory(title="Économie de la santé")
    CourseFactory(title="Économie agricole")
    CourseFactory(title="Santé publique")

    assert titles(search("economie sante")) == ["Économie de la santé"]


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("code", "MOOC-AGRO-7", "agro"),
        ("summary", "Comprendre la photosynthèse.", "photosynthese"),
        ("description", "Nous étudierons la mangrove.", "mangroves"),
        ("learning_outcomes", "Décrire un écosystème lagunaire", "lagunaire"),
        ("prerequisites", "Notions de thermodynamique", "thermodynamique"),
    ],
)
def test_the_course_text_is_searched(field: str, value: str, query: str) -> None:
    CourseFactory(title="Le cours cherché", **{field: value})
    CourseFactory(title="Un autre cours")

    assert titles(search(query)) == ["Le cours cherché"]


def test_discipline_names_in_both_languages_and_teacher_names_are_searched() -> None:
    discipline = DisciplineFactory(name_fr="Hydrologie", name_en="Hydrology")
    teacher = TeacherFactory(full_name="Aminata Traoré")
    CourseFactory(title="Le cours cherché", disciplines=[discipline], teachers=[teacher])
    CourseFactory(title="Un autre cours")

    assert titles(search("hydrologie")) == ["Le cours cherché"]
    assert titles(search("hydrology")) == ["Le cours cherché"]
    assert titles(search("traore")) == ["Le cours cherché"]


def test_institution_names_are_not_part_of_the_course_text() -> None:
    owner = InstitutionFactory(name="Université Cheikh Anta Diop")
    CourseFactory(title="Droit constitutionnel", owners=[owner])

    assert titles(search("cheikh")) == []


def test_a_title_match_ranks_before_a_description_match() -> None:
    CourseFactory(title="Histoire ancienne", description="Un détour par la géologie.")
    CourseFactory(title="Géologie du Sahel", description="Roches et paysages.")

    assert titles(search("geologie")) == ["Géologie du Sahel", "Histoire ancienne"]


ECONOMY = ["Économie du développement"]
EVERYTHING = ["Chimie organique", "Économie du développement"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"', EVERYTHING),  # no word at all: like an empty query
        ("*", EVERYTHING),
        ("% _ \\", EVERYTHING),
        ("économie*", ECONOMY),
        ("-économie", ECONOMY),
        ("^économie", ECONOMY),
        ("title:économie", []),  # two words, « title » matches nothing
        ("(économie", ECONOMY),
        ("économie)", ECONOMY),
        ('"économie', ECONOMY),
        ("NEAR(économie développement)", []),  # « near » is a word like any other
        ("économie OR chimie", []),
        ("'; DROP TABLE catalog_course; --", []),
        ("🎓 économie 🌍", ECONOMY),
        ("économie\x00", ECONOMY),
    ],
)
def test_operators_and_symbols_in_a_query_are_plain_text(query: str, expected: list[str]) -> None:
    CourseFactory(title="Économie du développement")
    CourseFactory(title="Chimie organique")

    result = search(query)

    assert sorted(titles(result)) == expected
    assert Course.objects.count() == 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=200))
def test_any_text_is_a_valid_query(query: str) -> None:
    result = course_search(params=CourseSearchParams(q=query))

    assert result.total == len(result.courses)


def test_a_query_of_stop_words_only_lists_every_course() -> None:
    CourseFactory(title="Chimie organique")
    CourseFactory(title="Botanique")

    assert titles(search("de la")) == ["Botanique", "Chimie organique"]


# --- Publication and index upkeep ------------------------------------------------------------


def test_only_published_courses_are_found() -> None:
    CourseFactory(title="Géologie publiée")
    CourseFactory(title="Géologie en brouillon", is_published=False)

    assert titles(search("geologie")) == ["Géologie publiée"]


def test_the_index_follows_a_course_update() -> None:
    course = CourseFactory(title="Botanique")

    services.course_update(course=course, title="Zoologie")

    assert titles(search("botanique")) == []
    assert titles(search("zoologie")) == ["Zoologie"]


def test_an_unpublished_course_leaves_the_index_and_comes_back_when_published() -> None:
    course = CourseFactory(title="Botanique")

    services.course_update(course=course, is_published=False)
    assert titles(search("botanique")) == []

    services.course_update(course=course, is_published=True)
    assert titles(search("botanique")) == ["Botanique"]


def test_a_deleted_course_leaves_the_index() -> None:
    kept = CourseFactory(title="Botanique appliquée")
    deleted = CourseFactory(title="Botanique générale")

    services.course_delete(course=deleted)

    assert titles(search("botanique")) == ["Botanique appliquée"]
    assert search().total == 1
    assert kept.pk


def test_a_course_deleted_outside_the_services_also_leaves_the_index() -> None:
    CourseFactory(title="Botanique générale")

    Course.objects.all().delete()

    assert titles(search("botanique")) == []
    assert search().total == 0


def test_a_renamed_discipline_is_searched_under_its_new_name() -> None:
    discipline = DisciplineFactory(name_fr="Pédologie", name_en="Soil science")
    CourseFactory(title="Le cours cherché", disciplines=[discipline])

    services.discipline_update(discipline=discipline, name_fr="Science des sols")

    assert titles(search("pedologie")) == []
    assert titles(search("sols")) == ["Le cours cherché"]


def test_rebuilding_the_index_indexes_every_published_course() -> None:
    CourseFactory(title="Botanique")
    CourseFactory(title="Zoologie")
    CourseFactory(title="Brouillon", is_published=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_course_search")

    indexed = search_index_rebuild()

    assert indexed == 2
    assert titles(search()) == ["Botanique", "Zoologie"]


# --- Availability ----------------------------------------------------------------------------


@pytest.fixture
def catalog_by_state() -> datetime.datetime:
    """Five courses, one per availability, named so that titles alone would sort them wrong."""
    now = timezone.now()
    run_at(CourseFactory(title="E ouverte"), now, enrolment=(-5, 10), session=(3, 40))
    run_at(CourseFactory(title="D à venir"), now, enrolment=(5, 20), session=(25, 60))
    run_at(CourseFactory(title="C en cours"), now, enrolment=(-40, -5), session=(-10, 30))
    run_at(CourseFactory(title="B archivée"), now, enrolment=(-130, -90), session=(-100, -50))
    CourseFactory(title="A sans session")
    return now


def test_without_a_query_courses_come_by_availability_then_title(
    catalog_by_state: datetime.datetime,
) -> None:
    result = search()

    assert titles(result) == [
        "E ouverte",
        "D à venir",
        "C en cours",
        "B archivée",
        "A sans session",
    ]
    assert [course.availability for course in result.courses] == [
        RunState.OPEN,
        RunState.UPCOMING,
        RunState.ONGOING,
        RunState.ARCHIVED,
        None,
    ]


def test_availability_is_computed_at_the_time_of_the_request(
    catalog_by_state: datetime.datetime,
) -> None:
    later = catalog_by_state + 12 * DAY  # « E » closed its enrolment, « D » opened it

    result = course_search(params=CourseSearchParams(), now=later)

    assert titles(result) == [
        "D à venir",
        "C en cours",
        "E ouverte",
        "B archivée",
        "A sans session",
    ]
    assert [course.availability for course in result.courses][:2] == [
        RunState.OPEN,
        RunState.ONGOING,
    ]
    assert counts(result, "availability") == {"ouverte": 1, "en-cours": 2, "archivee": 1}
    assert course_search(params=CourseSearchParams(availability=("ouverte",)), now=later).courses[
        0
    ].title == ("D à venir")


def test_refreshing_the_snapshots_keeps_the_same_results(
    catalog_by_state: datetime.datetime,
) -> None:
    later = catalog_by_state + 12 * DAY
    before = course_search(params=CourseSearchParams(), now=later)

    refreshed = search_index_refresh_states(now=later)

    after = course_search(params=CourseSearchParams(), now=later)
    assert refreshed == 2
    assert titles(after) == titles(before)
    assert after.facets == before.facets


def test_a_search_moves_expired_snapshots_forward_and_stays_exact(
    catalog_by_state: datetime.datetime,
) -> None:
    expected = titles(search())
    with connection.cursor() as cursor:  # as if the snapshots were taken long ago
        cursor.execute(
            "UPDATE catalog_course_search SET states_from = %s, states_until = %s",
            [
                connection.ops.adapt_datetimefield_value(catalog_by_state - 400 * DAY),
                connection.ops.adapt_datetimefield_value(catalog_by_state - 300 * DAY),
            ],
        )

    result = search()

    assert titles(result) == expected
    assert search_index_refresh_states() == 0  # the search refreshed them all already


def test_a_session_changed_outside_the_services_is_taken_into_account() -> None:
    open_course = CourseFactory(title="Botanique")
    CourseRunFactory(course=open_course)
    CourseRunFactory(course=CourseFactory(title="Zoologie"), archived=True)
    assert counts(search(), "availability") == {"ouverte": 1, "archivee": 1}

    CourseRun.objects.filter(course=open_course).delete()  # e.g. from the admin's list

    result = search()
    assert [(c.title, c.availability) for c in result.courses] == [
        ("Zoologie", RunState.ARCHIVED),
        ("Botanique", None),
    ]
    assert counts(result, "availability") == {"archivee": 1}
    assert search(availability=("ouverte",)).total == 0


def test_unpublished_sessions_do_not_count_for_availability() -> None:
    now = timezone.now()
    course = CourseFactory(title="Botanique")
    run_at(course, now, enrolment=(-5, 10), session=(3, 40), is_published=False)
    run_at(course, now, enrolment=(-130, -90), session=(-100, -50))

    result = search(availability=("ouverte",))

    assert titles(result) == []
    assert counts(result, "availability") == {"ouverte": 0, "archivee": 1}
    assert search().courses[0].availability == RunState.ARCHIVED


def test_with_a_query_relevance_comes_before_availability() -> None:
    now = timezone.now()
    run_at(
        CourseFactory(title="Chimie", description="géologie"),
        now,
        enrolment=(-5, 10),
        session=(3, 40),
    )
    CourseFactory(title="Géologie")

    assert titles(search("geologie")) == ["Géologie", "Chimie"]
