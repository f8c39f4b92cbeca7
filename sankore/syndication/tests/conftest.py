"""Syndication test set-up: a small catalog for the feeds (courses of known ages, sessions
opening at known dates), and the OAI-PMH helpers (requests through the test client,
offline schema validation)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from sankore.catalog.models import Course
from sankore.catalog.tests.factories import (
    CourseFactory,
    CourseRunFactory,
    DisciplineFactory,
    LanguageFactory,
)
from sankore.institutions.tests.factories import InstitutionFactory


def _days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def aged(course: Course, *, days: float) -> Course:
    """Test set-up: the course was created ``days`` ago (creation dates are not editable)."""
    created = timezone.now() - _days(days)
    Course.objects.filter(pk=course.pk).update(created_at=created)
    course.created_at = created
    return course


@pytest.fixture
def site_url(settings: Any) -> str:
    settings.SITE_URL = "https://clom.example.org"
    return "https://clom.example.org"


@pytest.fixture
def feed_catalog(site_url: str) -> dict[str, Any]:
    fr = LanguageFactory(code="fr", name_fr="Français", name_en="French")
    en = LanguageFactory(code="en", name_fr="Anglais", name_en="English")
    health = DisciplineFactory(slug="sante", name_fr="Santé")
    epidemiology = DisciplineFactory(slug="epidemiologie", name_fr="Épidémiologie", parent=health)
    law = DisciplineFactory(slug="droit", name_fr="Droit")
    ucad = InstitutionFactory(slug="ucad", name="Université Cheikh Anta Diop", country="SN")
    laval = InstitutionFactory(
        slug="laval", name="Université Laval", country="CA", time_zone="America/Toronto"
    )
    courses = {
        "epidemio": aged(
            CourseFactory(
                title="Épidémiologie de terrain",
                slug="epidemiologie-de-terrain",
                summary="Enquêter sur une épidémie.",
                languages=[fr],
                disciplines=[epidemiology],
                owners=[ucad],
            ),
            days=1,
        ),
        "law": aged(
            CourseFactory(
                title="Droit OHADA",
                slug="droit-ohada",
                summary="Le droit des affaires en Afrique.",
                languages=[fr],
                disciplines=[law],
                owners=[ucad, laval],
            ),
            days=3,
        ),
        "health": aged(
            CourseFactory(
                title="Global health",
                slug="global-health",
                summary="Health across borders.",
                languages=[en],
                disciplines=[health],
                owners=[laval],
            ),
            days=2,
        ),
    }
    aged(CourseFactory(title="Brouillon", is_published=False, owners=[ucad]), days=0)
    now = timezone.now()
    runs = {
        "epidemio": CourseRunFactory(
            course=courses["epidemio"],
            title="Session de mai",
            enrolment_start=now + _days(5),
            enrolment_end=now + _days(20),
            start=now + _days(25),
            end=now + _days(60),
        ),
        "law": CourseRunFactory(
            course=courses["law"],
            title="Session d'hiver",
            enrolment_start=now - _days(10),
            enrolment_end=None,
            start=now + _days(3),
            end=now + _days(40),
        ),
        "health": CourseRunFactory(
            course=courses["health"],
            title="Spring",
            enrolment_start=now - _days(2),
            enrolment_end=now + _days(30),
            start=now + _days(10),
            end=now + _days(50),
        ),
    }
    # Out of the window, or not public: never in the sessions feed.
    CourseRunFactory(course=courses["law"], archived=True)
    CourseRunFactory(course=courses["law"], upcoming=True, enrolment_start=now + _days(45))
    CourseRunFactory(course=courses["health"], is_published=False)
    return {"courses": courses, "runs": runs}


SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "lom": "http://ltsc.ieee.org/xsd/LOM",
    "lomfr": "http://www.lom-fr.fr/xsd/LOMFR",
}
# One schema over the envelope and both formats: OAI-PMH checks metadata strictly, so the
# formats' schemas must be known to it.
_DRIVER = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="urn:sankore:tests:oai" elementFormDefault="qualified">
  <xs:import namespace="{NS["oai"]}" schemaLocation="oai-pmh-2.0/OAI-PMH.xsd"/>
  <xs:import namespace="{NS["oai_dc"]}" schemaLocation="oai-pmh-2.0/oai_dc.xsd"/>
  <xs:import namespace="{NS["lom"]}" schemaLocation="lom-lomfr-scolomfr-2.1/scolomfr.xsd"/>
</xs:schema>"""
_ONLINE = {"http://www.w3.org/2001/03/xml.xsd": SCHEMAS / "xml.xsd"}


class _OfflineResolver(etree.Resolver):
    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        local = _ONLINE.get(system_url)
        if local is not None:
            return self.resolve_filename(str(local), context)
        if system_url.startswith(("http://", "https://")):
            raise AssertionError(f"schema import would reach the network: {system_url}")
        return None


def _load_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_OfflineResolver())
    driver = etree.fromstring(_DRIVER.encode(), parser, base_url=str(SCHEMAS / "driver.xsd"))
    return etree.XMLSchema(driver)


_SCHEMA: etree.XMLSchema | None = None


def oai_schema() -> etree.XMLSchema:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = _load_schema()
    return _SCHEMA


def assert_valid(document: etree._Element) -> None:
    schema = oai_schema()
    if not schema.validate(document):
        raise AssertionError(str(schema.error_log))


def response_body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


OaiGet = Callable[..., etree._Element]


@pytest.fixture
def oai(client: Client) -> OaiGet:
    """GET (or POST) /oai, check status, content type and schema, return the parsed tree."""

    def request(method: str = "get", **params: Any) -> etree._Element:
        response = (
            getattr(client, method)("/oai", params)
            if method == "get"
            else client.post("/oai", params)
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        document = etree.fromstring(response_body(response))
        assert_valid(document)
        return document

    return request


def texts(document: etree._Element, path: str) -> list[str]:
    return [
        str(node) if isinstance(node, str) else node.text or ""
        for node in document.xpath(path, namespaces=NS)
    ]


def error_codes(document: etree._Element) -> list[str]:
    return [str(code) for code in document.xpath("/oai:OAI-PMH/oai:error/@code", namespaces=NS)]
