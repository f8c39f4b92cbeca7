"""Reading a search from a query string: what is accepted, what is refused and how."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import override_settings

from sankore.catalog.search_params import (
    CourseSearchParams,
    SearchParamsError,
    parse_course_search_params,
)
from sankore.catalog.tests.factories import DisciplineFactory, LanguageFactory
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def parse(query: str) -> tuple[CourseSearchParams, int, int]:
    return parse_course_search_params(QueryDict(query))


def refusal(query: str) -> SearchParamsError:
    with pytest.raises(SearchParamsError) as raised:
        parse(query)
    return raised.value


def test_an_empty_query_string_is_the_first_page_of_everything() -> None:
    assert parse("") == (CourseSearchParams(), 1, 20)


def test_facet_values_repeat_or_come_comma_separated() -> None:
    LanguageFactory(code="fr")
    LanguageFactory(code="en", name_fr="Anglais")
    LanguageFactory(code="ar", name_fr="Arabe")

    params, _page, _size = parse("language=fr&language=en,ar&language=fr,&level=avance")

    assert params.language == ("fr", "en", "ar")
    assert params.level == ("avance",)


def test_every_facet_is_read() -> None:
    DisciplineFactory(slug="sciences")
    LanguageFactory(code="fr")
    InstitutionFactory(slug="ucad")

    params, page, size = parse(
        "q=+%C3%A9conomie+&availability=ouverte&discipline=sciences&language=fr"
        "&level=introductif&recognition=ects&institution=ucad&country=sn&region=maghreb"
        "&page=3&page_size=50"
    )

    assert params == CourseSearchParams(
        q="économie",
        availability=("ouverte",),
        discipline=("sciences",),
        language=("fr",),
        level=("introductif",),
        recognition=("ects",),
        institution=("ucad",),
        country=("SN",),
        region=("maghreb",),
    )
    assert (page, size) == (3, 50)


def test_unknown_parameter_names_are_ignored() -> None:
    assert parse("utm_source=lettre&sort=title&format=json") == (CourseSearchParams(), 1, 20)


def test_a_plain_dict_works_too() -> None:
    params, page, _size = parse_course_search_params(
        {"q": "droit", "level": ["avance"], "page": "2"}
    )

    assert (params.q, params.level, page) == ("droit", ("avance",), 2)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "10001", "1e3", "٣"])
def test_a_page_that_is_not_a_positive_integer_up_to_10000_is_refused(page: str) -> None:
    error = refusal(f"page={page}")

    assert error.code == "invalid_page"
    assert error.message == "Le numéro de page doit être un nombre entier de 1 à 10000."
    assert error.status_code == 400


def test_page_10000_is_accepted() -> None:
    assert parse("page=10000")[1] == 10_000


@pytest.mark.parametrize("size", ["0", "101", "x", "-5"])
def test_a_page_size_outside_the_limits_is_refused(size: str) -> None:
    error = refusal(f"page_size={size}")

    assert error.code == "invalid_page_size"
    assert error.message == "La taille de page doit être un nombre entier de 1 à 100."


@override_settings(API_PAGE_SIZE_MAX=30)
def test_the_page_size_limit_comes_from_the_settings() -> None:
    assert refusal("page_size=31").message == (
        "La taille de page doit être un nombre entier de 1 à 30."
    )


def test_a_query_longer_than_the_limit_is_refused() -> None:
    assert parse("q=" + "a" * 200)[0].q == "a" * 200

    error = refusal("q=" + "a" * 201)

    assert error.code == "query_too_long"
    assert error.message == "La recherche est trop longue : 200 caractères au plus."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("discipline=astrologie", "Valeur inconnue pour le filtre « discipline » : astrologie."),
        ("language=klingon", "Valeur inconnue pour le filtre « langue » : klingon."),
        ("level=expert", "Valeur inconnue pour le filtre « niveau » : expert."),
        ("institution=poudlard", "Valeur inconnue pour le filtre « établissement » : poudlard."),
        ("country=XX", "Valeur inconnue pour le filtre « pays » : XX."),
        ("region=atlantide", "Valeur inconnue pour le filtre « région » : atlantide."),
        ("availability=bientot", "Valeur inconnue pour le filtre « disponibilité » : bientot."),
        ("recognition=diplome", "Valeur inconnue pour le filtre « reconnaissance » : diplome."),
    ],
)
def test_an_unknown_facet_value_is_refused_by_name(query: str, message: str) -> None:
    error = refusal(query)

    assert error.code == "unknown_facet_value"
    assert error.message == message


def test_a_known_value_beside_an_unknown_one_does_not_save_it() -> None:
    LanguageFactory(code="fr")

    assert refusal("language=fr,xx").message == "Valeur inconnue pour le filtre « langue » : xx."


def test_an_echoed_value_is_shortened() -> None:
    error = refusal("level=" + "z" * 500)

    assert error.message == f"Valeur inconnue pour le filtre « niveau » : {'z' * 40}."


def test_too_many_values_for_one_facet_are_refused() -> None:
    error = refusal("country=" + ",".join(["FR"] * 1 + [f"Z{i}" for i in range(60)]))

    assert error.code == "too_many_values"
    assert error.message == "Trop de valeurs pour le filtre « pays » : 50 au plus."
