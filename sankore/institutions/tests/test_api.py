"""The public JSON API of the institutions: list with filters, one institution, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **headers: Any) -> tuple[int, Any]:
    response = client.get(url, **headers)
    return response.status_code, json.loads(response.content)


def slugs(body: dict[str, Any]) -> list[str]:
    return [institution["slug"] for institution in body["results"]]


@pytest.fixture
def network() -> None:
    InstitutionFactory(
        slug="ucad",
        name="Université Cheikh Anta Diop",
        acronym="UCAD",
        country="SN",
        region="afrique-ouest",
    )
    InstitutionFactory(
        slug="esp",
        name="École supérieure polytechnique",
        acronym="ESP",
        kind=InstitutionKind.SCHOOL,
        country="SN",
        region="afrique-ouest",
    )
    InstitutionFactory(
        slug="lyon",
        name="Université de Lyon",
        acronym="UDL",
        country="FR",
        region="europe-ouest",
        city="Lyon",
    )
    InstitutionFactory(
        slug="cnf",
        name="Campus numérique francophone de Hanoï",
        acronym="CNF",
        kind=InstitutionKind.CAMPUS,
        country="VN",
        region="asie-pacifique",
    )


def test_institutions_are_listed_by_name(client: Client, network: None) -> None:
    status, body = get(client, "/api/v1/institutions")

    assert status == 200
    assert (body["count"], body["next"], body["previous"]) == (4, None, None)
    # The database's order of the names, as on the institutions page: « É » after « U ».
    assert slugs(body) == ["cnf", "ucad", "lyon", "esp"]
    assert body["results"][2] == {
        "slug": "lyon",
        "name": "Université de Lyon",
        "acronym": "UDL",
        "kind": "universite",
        "kind_label": "Université",
        "country": "FR",
        "country_name": "France",
        "region": "europe-ouest",
        "region_label": "Europe de l'Ouest",
        "hemisphere": "nord",
        "hemisphere_label": "Nord",
        "city": "Lyon",
        "website": "",
        "is_member": True,
        "course_count": 0,
        "partner_course_count": 0,
        "url": "http://testserver/etablissements/lyon/",
        "api_url": "http://testserver/api/v1/institutions/lyon",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=SN", ["ucad", "esp"]),
        ("country=sn", ["ucad", "esp"]),
        ("region=asie-pacifique", ["cnf"]),
        ("kind=ecole", ["esp"]),
        ("q=ecole", ["esp"]),
        ("q=UNIVERSITE", ["ucad", "lyon"]),
        ("q=udl", ["lyon"]),
        ("q=hanoi", ["cnf"]),
        ("country=SN&q=cheikh", ["ucad"]),
        ("country=DE", []),
    ],
)
def test_institutions_are_filtered(
    client: Client, network: None, query: str, expected: list[str]
) -> None:
    _status, body = get(client, f"/api/v1/institutions?{query}")

    assert slugs(body) == expected
    assert body["count"] == len(expected)


def test_pages_link_to_each_other(client: Client, network: None) -> None:
    _status, first = get(client, "/api/v1/institutions?page_size=3&country=")
    _status, second = get(client, first["next"])

    assert slugs(first) == ["cnf", "ucad", "lyon"]
    assert first["next"] == "http://testserver/api/v1/institutions?page_size=3&country=&page=2"
    assert slugs(second) == ["esp"]
    assert second["previous"] == (
        "http://testserver/api/v1/institutions?page_size=3&country=&page=1"
    )
    assert second["next"] is None


def test_an_institution_gives_its_hemisphere_and_region(client: Client, network: None) -> None:
    status, body = get(client, "/api/v1/institutions/ucad")

    assert status == 200
    assert (body["hemisphere"], body["hemisphere_label"]) == ("sud", "Sud")
    assert (body["region"], body["region_label"]) == ("afrique-ouest", "Afrique de l'Ouest")
    assert (body["country"], body["country_name"]) == ("SN", "Sénégal")
    assert (body["course_count"], body["partner_course_count"]) == (0, 0)
    assert body["time_zone"] == "Africa/Dakar"
    assert body["logo"] is None


def test_an_institution_without_region_says_so(client: Client) -> None:
    InstitutionFactory(slug="sans-region", country="AU", region="")

    _status, body = get(client, "/api/v1/institutions/sans-region")

    assert (body["region"], body["region_label"], body["hemisphere"]) == (None, None, "nord")


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("country=XX", "Valeur inconnue pour le filtre « pays » : XX."),
        ("region=atlantide", "Valeur inconnue pour le filtre « région » : atlantide."),
        ("kind=club", "Valeur inconnue pour le filtre « type » : club."),
        ("q=" + "x" * 201, "La recherche est trop longue : 200 caractères au plus."),
        ("page=abc", "Le numéro de page doit être un nombre entier de 1 à 10000."),
        ("page_size=1000", "La taille de page doit être un nombre entier de 1 à 100."),
    ],
)
def test_bad_filters_are_a_400(client: Client, query: str, detail: str) -> None:
    status, body = get(client, f"/api/v1/institutions?{query}")

    assert (status, body) == (400, {"detail": detail})


@pytest.mark.parametrize("slug", ["nexiste-pas", "%00", "a/b"])
def test_an_unknown_institution_is_a_404(client: Client, slug: str) -> None:
    status, body = get(client, f"/api/v1/institutions/{slug}")

    assert (status, body) == (404, {"detail": "Ressource introuvable."})


def test_the_list_runs_the_same_queries_whatever_its_length(
    client: Client, django_assert_num_queries: Any
) -> None:
    InstitutionFactory.create_batch(2)
    # count, page, course counts (owned, partnered)
    with django_assert_num_queries(4):
        client.get("/api/v1/institutions")
    InstitutionFactory.create_batch(30)

    with django_assert_num_queries(4):
        response = client.get("/api/v1/institutions?page_size=100")

    assert json.loads(response.content)["count"] == 32


def test_cross_origin_sites_may_read_it(client: Client, network: None) -> None:
    response = client.get("/api/v1/institutions", HTTP_ORIGIN="https://partenaire.example")

    assert response["Access-Control-Allow-Origin"] == "*"
