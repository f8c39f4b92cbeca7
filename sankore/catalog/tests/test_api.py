"""The public JSON API of the catalog: courses, sessions, disciplines; errors, CORS, schema."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja.errors import ValidationError

from sankore.catalog import services
from sankore.catalog.models import Course, Level, RunState
from sankore.catalog.tests.factories import (
    CourseFactory,
    CourseRunFactory,
    DisciplineFactory,
    LanguageFactory,
    TeacherFactory,
)
from sankore.config.api import api
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def get(client: Client, url: str, **headers: Any) -> tuple[int, Any]:
    response = client.get(url, **headers)
    return response.status_code, json.loads(response.content)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- Course search ---------------------------------------------------------------------------


def test_the_course_list_is_a_page_with_facets(client: Client) -> None:
    owner = InstitutionFactory(slug="ucad", name="Université Cheikh Anta Diop", country="SN")
    course = CourseFactory(
        title="Économie du développement",
        slug="economie-du-developpement",
        code="ECO-101",
        owners=[owner],
        level=Level.INTERMEDIATE,
    )
    run = CourseRunFactory(course=course)

    status, body = get(client, "/api/v1/courses?q=economique")

    assert status == 200
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    [result] = body["results"]
    assert result["slug"] == "economie-du-developpement"
    assert result["code"] == "ECO-101"
    assert (result["level"], result["level_label"]) == ("intermediaire", "Intermédiaire")
    assert result["owners"] == [
        {
            "slug": "ucad",
            "name": "Université Cheikh Anta Diop",
            "acronym": owner.acronym,
            "country": "SN",
            "url": "http://testserver/etablissements/ucad/",
        }
    ]
    assert result["languages"] == [{"code": "fr", "name": "Français"}]
    assert (result["availability"], result["availability_label"]) == (
        "ouverte",
        "Inscriptions ouvertes",
    )
    assert result["featured_session"]["id"] == run.pk
    assert result["url"] == "http://testserver/cours/economie-du-developpement/"
    assert result["api_url"] == "http://testserver/api/v1/courses/economie-du-developpement"
    assert list(body["facets"]) == [
        "availability",
        "discipline",
        "language",
        "level",
        "recognition",
        "institution",
        "country",
        "region",
    ]
    assert body["facets"]["country"] == [
        {"value": "SN", "label": "Sénégal", "count": 1, "selected": False, "depth": 0}
    ]


def test_next_and_previous_links_keep_the_other_parameters(client: Client) -> None:
    for number in range(5):
        CourseFactory(title=f"Géologie {number}", level=Level.ADVANCED)

    _status, first = get(client, "/api/v1/courses?q=geologie&level=avance&page_size=2")
    _status, middle = get(client, first["next"])
    _status, last = get(client, middle["next"])

    assert [c["title"] for c in first["results"]] == ["Géologie 0", "Géologie 1"]
    assert query_of(first["next"]) == {
        "q": ["geologie"],
        "level": ["avance"],
        "page_size": ["2"],
        "page": ["2"],
    }
    assert first["next"].startswith("http://testserver/api/v1/courses?")
    assert query_of(middle["previous"])["page"] == ["1"]
    assert [c["title"] for c in last["results"]] == ["Géologie 4"]
    assert (last["next"], query_of(last["previous"])["page"]) == (None, ["2"])


def test_the_api_and_the_catalog_page_filter_alike(client: Client) -> None:
    english = LanguageFactory(code="en", name_fr="Anglais", name_en="English")
    french = LanguageFactory(code="fr")
    CourseFactory(title="Chimie", languages=[english])
    CourseFactory(title="Droit", languages=[french])
    CourseFactory(title="Biologie", languages=[french, english])

    _status, body = get(client, "/api/v1/courses?language=en")
    page = client.get(reverse("catalog:course_list"), {"language": "en"})

    assert [c["title"] for c in body["results"]] == ["Biologie", "Chimie"]
    assert [c.title for c in page.context["result"].courses] == ["Biologie", "Chimie"]
    assert body["facets"]["language"] == [  # by count, then by name
        {"value": "en", "label": "Anglais", "count": 2, "selected": True, "depth": 0},
        {"value": "fr", "label": "Français", "count": 2, "selected": False, "depth": 0},
    ]


def test_labels_follow_the_language_of_the_request(client: Client) -> None:
    CourseFactory(languages=[LanguageFactory(code="fr", name_fr="Français", name_en="French")])

    _status, body = get(client, "/api/v1/courses", HTTP_ACCEPT_LANGUAGE="en")

    assert body["results"][0]["languages"] == [{"code": "fr", "name": "French"}]
    assert body["facets"]["country"][0]["label"] == "Senegal"


def test_unpublished_courses_are_not_listed(client: Client) -> None:
    CourseFactory(title="Publié")
    CourseFactory(title="Brouillon", is_published=False)

    _status, body = get(client, "/api/v1/courses")

    assert [c["title"] for c in body["results"]] == ["Publié"]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("page=abc", "Le numéro de page doit être un nombre entier de 1 à 10000."),
        ("page=0", "Le numéro de page doit être un nombre entier de 1 à 10000."),
        ("page_size=0", "La taille de page doit être un nombre entier de 1 à 100."),
        ("page_size=101", "La taille de page doit être un nombre entier de 1 à 100."),
        ("q=" + "x" * 10_000, "La recherche est trop longue : 200 caractères au plus."),
        ("language=klingon", "Valeur inconnue pour le filtre « langue » : klingon."),
        ("discipline=%00", "Caractère nul interdit dans la requête."),
        ("availability=bientot", "Valeur inconnue pour le filtre « disponibilité » : bientot."),
    ],
)
def test_malformed_parameters_are_a_400_with_a_readable_detail(
    client: Client, query: str, detail: str
) -> None:
    status, body = get(client, f"/api/v1/courses?{query}")

    assert (status, body) == (400, {"detail": detail})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["q", "page", "page_size", "language", "discipline", "country", "level"]),
    value=st.text(max_size=60),
)
def test_no_parameter_value_makes_the_search_fail(client: Client, name: str, value: str) -> None:
    response = client.get("/api/v1/courses", {name: value})

    assert response.status_code in (200, 400)
    assert isinstance(json.loads(response.content), dict)


def test_the_course_list_runs_the_same_queries_whatever_the_page_size(
    client: Client, django_assert_num_queries: Any
) -> None:
    CourseRunFactory.create_batch(3)
    # Both after a catalog write: the first search of an index version reads its bitmaps.
    with django_assert_num_queries(12):
        client.get("/api/v1/courses?level=introductif")
    CourseRunFactory.create_batch(20)

    with django_assert_num_queries(12):
        response = client.get("/api/v1/courses?level=introductif&page_size=50")

    assert json.loads(response.content)["count"] == 23


# --- Course detail ---------------------------------------------------------------------------


def test_a_course_gives_its_whole_public_record(client: Client) -> None:
    owner = InstitutionFactory(slug="ucad")
    partner = InstitutionFactory(slug="lyon", country="FR")
    teacher = TeacherFactory(full_name="Aminata Traoré", bio="Économiste.", institution=owner)
    course = CourseFactory(
        slug="economie",
        title="Économie",
        description="Une description.",
        learning_outcomes="Lire un bilan\n- Construire un budget",
        prerequisites="Aucun",
        owners=[owner],
        partners=[partner],
        teachers=[teacher],
        subtitle_languages=[LanguageFactory(code="en", name_fr="Anglais")],
        disciplines=[DisciplineFactory(slug="eco", name_fr="Économie")],
        offers_certificate=True,
        ects_credits=3,
        effort_hours_per_week=2.5,
        duration_weeks=6,
    )
    archived = CourseRunFactory(course=course, archived=True)
    open_run = CourseRunFactory(course=course, capacity=30)
    CourseRunFactory(course=course, is_published=False)

    status, body = get(client, "/api/v1/courses/economie")

    assert status == 200
    assert body["description"] == "Une description."
    assert body["learning_outcomes"] == ["Lire un bilan", "Construire un budget"]
    assert (body["licence"], body["licence_label"]) == ("CC-BY-SA-4.0", "CC BY-SA 4.0")
    assert (body["effort_hours_per_week"], body["duration_weeks"]) == (2.5, 6)
    assert body["total_effort_hours"] == 15.0
    assert [p["slug"] for p in body["partners"]] == ["lyon"]
    assert body["teachers"] == [
        {
            "full_name": "Aminata Traoré",
            "title": "Maître de conférences",
            "bio": "Économiste.",
            "institution": owner.name,
            "photo": None,
        }
    ]
    assert body["subtitle_languages"] == [{"code": "en", "name": "Anglais"}]
    assert body["disciplines"] == [{"slug": "eco", "name": "Économie"}]
    assert body["recognition"] == {"attestation": True, "certificate": True, "ects_credits": 3}
    assert body["recognitions"] == ["attestation", "certificat", "ects"]
    assert [(s["id"], s["state"]) for s in body["sessions"]] == [
        (archived.pk, "archivee"),
        (open_run.pk, "ouverte"),
    ]
    assert body["featured_session"]["id"] == open_run.pk
    assert (body["featured_session"]["capacity"], body["featured_session"]["seats_left"]) == (
        30,
        30,
    )
    assert body["featured_session"]["url"] == (
        f"http://testserver/cours/economie/?session={open_run.pk}"
    )
    assert body["url"] == "http://testserver/cours/economie/"


def test_a_session_state_is_the_one_at_the_time_of_the_request(client: Client) -> None:
    course = CourseFactory(slug="botanique")
    run = CourseRunFactory(course=course)
    services.course_run_update(
        run=run,
        enrolment_start=timezone.now() - 10 * DAY,
        enrolment_end=timezone.now() - DAY,
        start=timezone.now() - 5 * DAY,
    )

    _status, body = get(client, "/api/v1/courses/botanique")

    assert body["sessions"][0]["state"] == RunState.ONGOING.value
    assert body["availability"] == RunState.ONGOING.value


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/courses/nexiste-pas",
        "/api/v1/courses/brouillon",
        "/api/v1/courses/%00",
        "/api/v1/courses/un/deux",
        "/api/v1/nexiste-pas",
    ],
)
def test_an_unknown_or_unpublished_course_is_a_404(client: Client, url: str) -> None:
    CourseFactory(slug="brouillon", is_published=False)

    status, body = get(client, url)

    assert (status, body) == (404, {"detail": "Ressource introuvable."})


# --- Sessions --------------------------------------------------------------------------------


def test_sessions_are_listed_by_start_and_filtered_by_course_and_state(client: Client) -> None:
    botany = CourseFactory(slug="botanique")
    chemistry = CourseFactory(slug="chimie")
    archived = CourseRunFactory(course=botany, archived=True)
    upcoming = CourseRunFactory(course=botany, upcoming=True)
    open_run = CourseRunFactory(course=chemistry)
    CourseRunFactory(course=chemistry, is_published=False)
    CourseRunFactory(course=CourseFactory(is_published=False))

    _status, every = get(client, "/api/v1/sessions")
    _status, of_botany = get(client, "/api/v1/sessions?course=botanique")
    _status, opened = get(client, "/api/v1/sessions?state=ouverte")

    assert [s["id"] for s in every["results"]] == [archived.pk, open_run.pk, upcoming.pk]
    assert [s["id"] for s in of_botany["results"]] == [archived.pk, upcoming.pk]
    assert [(s["id"], s["course"]) for s in opened["results"]] == [(open_run.pk, "chimie")]
    assert opened["results"][0]["api_url"] == f"http://testserver/api/v1/sessions/{open_run.pk}"


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        (
            "state=bientot",
            "État de session inconnu : bientot. États : ouverte, a-venir, en-cours, archivee.",
        ),
        ("course=nexiste-pas", "Cours inconnu : nexiste-pas."),
        ("course=%00", "Caractère nul interdit dans la requête."),
        ("page=-1", "Le numéro de page doit être un nombre entier de 1 à 10000."),
        ("page_size=abc", "La taille de page doit être un nombre entier de 1 à 100."),
    ],
)
def test_bad_session_filters_are_a_400(client: Client, query: str, detail: str) -> None:
    status, body = get(client, f"/api/v1/sessions?{query}")

    assert (status, body) == (400, {"detail": detail})


def test_a_session_is_found_by_id_when_published(client: Client) -> None:
    run = CourseRunFactory(course=CourseFactory(slug="botanique"), capacity=10)
    hidden = CourseRunFactory(is_published=False)
    of_draft = CourseRunFactory(course=CourseFactory(is_published=False))

    status, body = get(client, f"/api/v1/sessions/{run.pk}")

    assert status == 200
    assert (body["course"], body["state"], body["seats_left"], body["is_full"]) == (
        "botanique",
        "ouverte",
        10,
        False,
    )
    for missing in (hidden.pk, of_draft.pk, 0, 2**63, 10**30, "abc"):
        assert get(client, f"/api/v1/sessions/{missing}") == (
            404,
            {"detail": "Ressource introuvable."},
        )


def test_list_endpoints_run_a_constant_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    CourseRunFactory.create_batch(2)
    with django_assert_num_queries(2):
        client.get("/api/v1/sessions?state=ouverte")
    CourseRunFactory.create_batch(12)

    with django_assert_num_queries(2):
        response = client.get("/api/v1/sessions?state=ouverte")

    assert json.loads(response.content)["count"] == 14


# --- Disciplines -----------------------------------------------------------------------------


def test_disciplines_come_flat_in_tree_order(
    client: Client, django_assert_num_queries: Any
) -> None:
    sciences = DisciplineFactory(slug="sciences", name_fr="Sciences", name_en="Science")
    DisciplineFactory(slug="chimie", name_fr="Chimie", parent=sciences, position=2)
    DisciplineFactory(slug="biologie", name_fr="Biologie", parent=sciences, position=1)
    DisciplineFactory(slug="droit", name_fr="Droit", position=1)

    with django_assert_num_queries(1):
        status, body = get(client, "/api/v1/disciplines")

    assert status == 200
    assert [(d["slug"], d["parent"], d["depth"]) for d in body] == [
        ("sciences", None, 0),
        ("biologie", "sciences", 1),
        ("chimie", "sciences", 1),
        ("droit", None, 0),
    ]
    assert body[0] == {
        "slug": "sciences",
        "name": "Sciences",
        "name_fr": "Sciences",
        "name_en": "Science",
        "parent": None,
        "depth": 0,
        "position": 0,
    }


# --- Institutions' course counts (the catalog gives them) ------------------------------------


def test_institutions_show_their_published_courses(client: Client) -> None:
    ucad = InstitutionFactory(slug="ucad")
    lyon = InstitutionFactory(slug="lyon")
    CourseFactory(owners=[ucad])
    CourseFactory(owners=[ucad, lyon])
    CourseFactory(owners=[lyon], partners=[ucad])
    CourseFactory(owners=[ucad], is_published=False)

    _status, detail = get(client, "/api/v1/institutions/ucad")
    _status, listing = get(client, "/api/v1/institutions")

    assert (detail["course_count"], detail["partner_course_count"]) == (2, 1)
    assert {i["slug"]: i["course_count"] for i in listing["results"]} == {"ucad": 2, "lyon": 2}


# --- Errors, methods, CORS, schema -----------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_a_405_in_json(client: Client, method: str) -> None:
    CourseFactory(slug="botanique")
    before = Course.objects.count()

    response = getattr(client, method)("/api/v1/courses/botanique")

    assert response.status_code == 405
    assert json.loads(response.content) == {
        "detail": f"Méthode {method.upper()} non autorisée : cette adresse se lit avec GET."
    }
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert Course.objects.count() == before


def test_ninja_validation_errors_become_a_400_with_a_sentence(rf: Any) -> None:
    error = ValidationError([{"loc": ("query", "page_size"), "msg": "Input should be an integer"}])

    response = api.on_exception(rf.get("/api/v1/courses"), error)

    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "Paramètre invalide : page_size."}


@pytest.mark.parametrize(
    "url", ["/api/v1/courses", "/api/v1/courses?page=abc", "/api/v1/nexiste-pas", "/api/v1/"]
)
def test_every_answer_is_open_to_every_origin_without_cookies(client: Client, url: str) -> None:
    response = client.get(url, HTTP_ORIGIN="https://partenaire.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies


def test_a_preflight_request_is_answered(client: Client) -> None:
    response = client.options(
        "/api/v1/courses",
        HTTP_ORIGIN="https://partenaire.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept-language",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept-language"
    assert response["Access-Control-Max-Age"] == "86400"


def test_the_schema_is_openapi_3_with_every_path(client: Client) -> None:
    status, schema = get(client, "/api/v1/openapi.json")

    assert status == 200
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/v1/courses",
        "/api/v1/courses/{slug}",
        "/api/v1/credentials/{identifier}",
        "/api/v1/disciplines",
        "/api/v1/institutions",
        "/api/v1/institutions/{slug}",
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}",
    ]
    assert all(list(operations) == ["get"] for operations in schema["paths"].values())


def test_the_docs_page_is_served_by_the_platform(client: Client) -> None:
    CourseFactory(slug="botanique")

    response = client.get(reverse("api:openapi-view"))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("api:openapi-view") == "/api/v1/docs"
    for path in ("/api/v1/courses", "/api/v1/sessions/{session_id}", "/api/v1/institutions"):
        assert f"<code>GET {path}</code>" in html
    assert 'href="/api/v1/courses/botanique"' in html
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert "cdn" not in html.lower()
