"""Course pages carry schema.org Course JSON-LD, OpenGraph and Twitter card tags."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import html
from pyld import jsonld

from sankore.catalog.structured_data import duration_iso8601, json_ld_script
from sankore.catalog.tests.factories import (
    CourseFactory,
    CourseRunFactory,
    DisciplineFactory,
    LanguageFactory,
)
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
# schema.org's context, reduced to what the test needs: every term in its vocabulary.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA}}


def _offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    assert url.rstrip("/") == "https://schema.org", f"unexpected context {url}"
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def _page(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.content)


def _json_ld(tree: Any) -> dict[str, Any]:
    (script,) = tree.xpath('//script[@type="application/ld+json"]')
    data: dict[str, Any] = json.loads(script.text)
    return data


@pytest.fixture
def course(settings: Any) -> Any:
    settings.SITE_URL = "https://clom.example.org"
    ucad = InstitutionFactory(name="Université Cheikh Anta Diop", slug="ucad")
    lyon = InstitutionFactory(name="Université de Lyon", slug="lyon")
    course = CourseFactory(
        code="UCAD-SANTE-01",
        title="Santé publique </script><b>",
        slug="sante-publique",
        summary="Les bases de la santé publique & de l'épidémiologie.",
        languages=[LanguageFactory(code="fr"), LanguageFactory(code="wo", name_fr="Wolof")],
        disciplines=[DisciplineFactory(name_fr="Santé"), DisciplineFactory(name_fr="Médecine")],
        owners=[ucad, lyon],
        effort_hours_per_week=Decimal("2.5"),
        duration_weeks=3,
        offers_certificate=True,
    )
    start = datetime.datetime(2031, 3, 2, 8, 0, tzinfo=datetime.UTC)
    first = CourseRunFactory(
        course=course,
        title="Printemps 2031",
        start=start,
        end=start + datetime.timedelta(days=42),
        enrolment_start=start - datetime.timedelta(days=30),
        enrolment_end=start + datetime.timedelta(days=7),
    )
    CourseRunFactory(course=course, is_published=False)
    return course, first


def test_the_course_page_describes_the_course_and_its_public_sessions(
    client: Client, course: Any
) -> None:
    course, run = course

    data = _json_ld(_page(client, "/cours/sante-publique/"))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": "Santé publique </script><b>",
        "description": "Les bases de la santé publique & de l'épidémiologie.",
        "url": "https://clom.example.org/cours/sante-publique/",
        "courseCode": "UCAD-SANTE-01",
        "provider": [
            {
                "@type": "Organization",
                "name": "Université Cheikh Anta Diop",
                "url": "https://clom.example.org/etablissements/ucad/",
            },
            {
                "@type": "Organization",
                "name": "Université de Lyon",
                "url": "https://clom.example.org/etablissements/lyon/",
            },
        ],
        "inLanguage": ["fr", "wo"],
        "about": [{"@type": "Thing", "name": "Médecine"}, {"@type": "Thing", "name": "Santé"}],
        "keywords": "Médecine, Santé",
        "isAccessibleForFree": True,
        "offers": [
            {
                "@type": "Offer",
                "price": 0,
                "priceCurrency": "EUR",
                "category": "Free",
                "url": "https://clom.example.org/cours/sante-publique/",
            }
        ],
        "hasCourseInstance": [
            {
                "@type": "CourseInstance",
                "name": "Printemps 2031",
                "url": f"https://clom.example.org/cours/sante-publique/?session={run.pk}",
                "courseMode": "online",
                "courseWorkload": "PT7H30M",
                "startDate": "2031-03-02T08:00:00+00:00",
                "endDate": "2031-04-13T08:00:00+00:00",
            }
        ],
        "educationalCredentialAwarded": [
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "Attestation de suivi",
            },
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "Certificat"},
        ],
    }


def test_the_json_ld_expands_to_schema_org_terms_without_losing_any(
    client: Client, course: Any
) -> None:
    data = _json_ld(_page(client, "/cours/sante-publique/"))
    dropped: list[str] = []

    (expanded,) = jsonld.JsonLdProcessor(
        on_property_dropped=lambda name: dropped.append(name)
    ).expand(data, {"documentLoader": _offline_loader})

    assert dropped == []
    assert expanded["@type"] == [f"{SCHEMA}Course"]
    assert expanded[f"{SCHEMA}courseCode"] == [{"@value": "UCAD-SANTE-01"}]
    (instance,) = expanded[f"{SCHEMA}hasCourseInstance"]
    assert instance["@type"] == [f"{SCHEMA}CourseInstance"]
    assert instance[f"{SCHEMA}courseMode"] == [{"@value": "online"}]
    assert [p[f"{SCHEMA}name"] for p in expanded[f"{SCHEMA}provider"]] == [
        [{"@value": "Université Cheikh Anta Diop"}],
        [{"@value": "Université de Lyon"}],
    ]


def test_markup_in_a_title_cannot_close_the_script_element(client: Client, course: Any) -> None:
    response = client.get("/cours/sante-publique/")
    body = response.content.decode()

    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert script is not None
    assert "</" not in script.group(1)
    assert "\\u003C/script\\u003E\\u003Cb\\u003E" in script.group(1)
    assert "\\u0026" in script.group(1)


def test_the_course_page_has_link_previews_and_a_canonical_link(
    client: Client, course: Any
) -> None:
    tree = _page(client, "/cours/sante-publique/?session=1")

    def meta(key: str) -> list[str]:
        return tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')

    assert tree.xpath('//link[@rel="canonical"]/@href') == [
        "https://clom.example.org/cours/sante-publique/"
    ]
    assert meta("og:title") == ["Santé publique </script><b>"]
    assert meta("og:description") == ["Les bases de la santé publique & de l'épidémiologie."]
    assert meta("og:url") == ["https://clom.example.org/cours/sante-publique/"]
    assert meta("og:type") == ["website"]
    assert meta("og:locale") == ["fr_FR"]
    assert meta("og:locale:alternate") == ["en_GB"]
    assert meta("og:image") == []
    assert meta("twitter:card") == ["summary"]
    assert meta("twitter:title") == ["Santé publique </script><b>"]


def test_english_readers_get_the_british_locale(client: Client, course: Any) -> None:
    client.cookies["sankore_language"] = "en"

    tree = _page(client, "/cours/sante-publique/")

    assert tree.xpath('//meta[@property="og:locale"]/@content') == ["en_GB"]


def test_a_course_image_is_in_the_json_ld_and_the_previews(
    client: Client, course: Any, settings: Any
) -> None:
    course, _run = course
    course.image = SimpleUploadedFile("affiche.png", b"\x89PNG\r\n\x1a\n", "image/png")
    course.save(update_fields=["image"])  # test set-up: the file field alone

    tree = _page(client, "/cours/sante-publique/")

    image = f"https://clom.example.org{course.image.url}"
    assert _json_ld(tree)["image"] == image
    assert tree.xpath('//meta[@property="og:image"]/@content') == [image]
    assert tree.xpath('//meta[@name="twitter:card"]/@content') == ["summary_large_image"]


def test_a_course_without_sessions_nor_credentials_says_so(client: Client) -> None:
    CourseFactory(slug="sans-session", offers_attestation=False, languages=[LanguageFactory()])

    data = _json_ld(_page(client, "/cours/sans-session/"))

    assert data["hasCourseInstance"] == []
    assert data["inLanguage"] == "fr"
    assert "educationalCredentialAwarded" not in data
    assert "image" not in data


@pytest.mark.parametrize(
    ("hours", "expected"),
    [("18", "PT18H"), ("7.5", "PT7H30M"), ("0.5", "PT30M"), ("0", "PT0H")],
)
def test_effort_reads_as_an_iso_8601_duration(hours: str, expected: str) -> None:
    assert duration_iso8601(hours=Decimal(hours)) == expected


def test_the_script_escapes_every_markup_character() -> None:
    assert json_ld_script({"a": "<!-- & -->"}) == (
        '<script type="application/ld+json">{"a":"\\u003C!-- \\u0026 --\\u003E"}</script>'
    )
