"""A real harvester (sickle) copies the whole catalog: every record, every set, every deletion."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.db import transaction
from django.test import Client
from lxml import etree
from sickle import Sickle

from sankore.catalog import services
from sankore.catalog.models import Course
from sankore.catalog.tests.factories import CourseFactory, DisciplineFactory, LanguageFactory
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.syndication.oai import responses
from sankore.syndication.tests.conftest import NS, assert_valid, response_body

pytestmark = pytest.mark.django_db

PREFIX = "oai:127.0.0.1:course/"


class ClientSickle(Sickle):
    """Sickle whose HTTP goes through Django's test client; every response is validated."""

    def __init__(self, client: Client, **kwargs: Any) -> None:
        super().__init__("http://testserver/oai", **kwargs)
        self.client = client
        self.requests = 0

    def _request(self, kwargs: dict[str, str]) -> requests.Response:
        self.requests += 1
        if self.http_method == "GET":
            django_response = self.client.get("/oai", kwargs)
        else:
            django_response = self.client.post("/oai", kwargs)
        body = response_body(django_response)
        assert_valid(etree.fromstring(body))
        response = requests.Response()
        response.status_code = django_response.status_code
        response._content = body
        response.encoding = "utf-8"
        response.headers.update({"Content-Type": django_response["Content-Type"]})
        return response


@pytest.fixture(scope="module")
def _module_catalog(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The catalog is built once for the module, in a transaction rolled back at its end;
    each test runs in a savepoint inside it, so what a test changes does not leak."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_large_catalog()
        transaction.set_rollback(True)


@pytest.fixture
def large_catalog(_module_catalog: dict[str, Any], db: None) -> dict[str, Any]:
    return _module_catalog


def _build_large_catalog() -> dict[str, Any]:
    """250 public courses over 5 institutions and 4 disciplines; 10 unpublished since,
    5 deleted, 5 drafts never public."""
    fr = LanguageFactory(code="fr")
    institutions = [InstitutionFactory(slug=f"etab-{n}") for n in range(5)]
    disciplines = [DisciplineFactory(slug=f"disc-{n}") for n in range(4)]
    courses = [
        CourseFactory(
            slug=f"cours-{n:03d}",
            languages=[fr],
            owners=[institutions[n % 5]],
            partners=[institutions[(n + 1) % 5]] if n % 3 == 0 else [],
            disciplines=[disciplines[n % 4], *([disciplines[(n + 2) % 4]] if n % 7 == 0 else [])],
        )
        for n in range(250)
    ]
    for n in range(5):
        CourseFactory(slug=f"brouillon-{n}", owners=[institutions[0]], is_published=False)
    for course in courses[:10]:
        services.course_update(course=course, is_published=False)
    for course in courses[10:15]:
        services.course_delete(course=course)
    live = {f"{PREFIX}cours-{n:03d}" for n in range(15, 250)}
    deleted = {f"{PREFIX}cours-{n:03d}" for n in range(15)}
    members: dict[str, set[str]] = defaultdict(set)
    for n in range(250):
        identifier = f"{PREFIX}cours-{n:03d}"
        specs = {
            f"institution:etab-{n % 5}",
            f"discipline:disc-{n % 4}",
            "institution",
            "discipline",
        }
        if n % 3 == 0:
            specs.add(f"institution:etab-{(n + 1) % 5}")
        if n % 7 == 0:
            specs.add(f"discipline:disc-{(n + 2) % 4}")
        for spec in specs:
            members[spec].add(identifier)
    return {"live": live, "deleted": deleted, "members": members}


@pytest.mark.parametrize("prefix", ["oai_dc", "lom"])
def test_a_harvester_copies_every_record_and_every_deletion(
    client: Client, large_catalog: dict[str, Any], prefix: str
) -> None:
    sickle = ClientSickle(client)

    harvested = list(sickle.ListRecords(metadataPrefix=prefix))

    identifiers = [record.header.identifier for record in harvested]
    assert len(identifiers) == len(set(identifiers)) == 250
    assert {r.header.identifier for r in harvested if not r.deleted} == large_catalog["live"]
    assert {r.header.identifier for r in harvested if r.deleted} == large_catalog["deleted"]
    assert sickle.requests == 3  # 100 records a page
    assert all(r.metadata for r in harvested if not r.deleted)


def test_a_harvester_lists_every_identifier_in_pages(
    client: Client, large_catalog: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(responses.PAGE_SIZES, "ListIdentifiers", 60)
    sickle = ClientSickle(client, http_method="POST")

    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))

    assert {h.identifier for h in headers} == large_catalog["live"] | large_catalog["deleted"]
    assert len(headers) == 250
    assert sickle.requests == 5


def test_a_harvester_harvests_every_set(client: Client, large_catalog: dict[str, Any]) -> None:
    sickle = ClientSickle(client)

    specs = [s.setSpec for s in sickle.ListSets()]

    assert specs == [
        "institution",
        "discipline",
        *(f"institution:etab-{n}" for n in range(5)),
        *(f"discipline:disc-{n}" for n in range(4)),
    ]
    for spec in specs:
        harvested = {h.identifier for h in sickle.ListIdentifiers(metadataPrefix="lom", set=spec)}
        assert harvested == large_catalog["members"][spec], spec


def test_resumption_tokens_carry_cursor_and_list_size(
    client: Client, large_catalog: dict[str, Any]
) -> None:
    first = etree.fromstring(
        response_body(client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}))
    )
    (token,) = first.xpath("//oai:resumptionToken", namespaces=NS)
    second = etree.fromstring(
        response_body(client.get("/oai", {"verb": "ListRecords", "resumptionToken": token.text}))
    )
    (token2,) = second.xpath("//oai:resumptionToken", namespaces=NS)
    third = etree.fromstring(
        response_body(client.get("/oai", {"verb": "ListRecords", "resumptionToken": token2.text}))
    )
    (last,) = third.xpath("//oai:resumptionToken", namespaces=NS)

    assert (token.get("cursor"), token.get("completeListSize")) == ("0", "250")
    assert (token2.get("cursor"), token2.get("completeListSize")) == ("100", "250")
    assert (last.get("cursor"), last.get("completeListSize"), last.text) == ("200", "250", None)
    assert len(third.xpath("//oai:record", namespaces=NS)) == 50


def test_a_course_changed_during_a_harvest_is_seen_again_later_not_lost(
    client: Client, large_catalog: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(responses.PAGE_SIZES, "ListIdentifiers", 20)
    sickle = ClientSickle(client)
    records = sickle.ListIdentifiers(metadataPrefix="oai_dc")
    seen = [next(records).identifier for _ in range(20)]  # the first page
    # A course already sent and one not yet sent both change; a new course is published.
    services.course_update(course=Course.objects.get(slug="cours-015"), title="Nouveau titre")
    CourseFactory(slug="tout-nouveau")

    seen += [header.identifier for header in records]

    assert set(seen) == large_catalog["live"] | large_catalog["deleted"] | {f"{PREFIX}tout-nouveau"}
    assert seen.count(f"{PREFIX}cours-015") == 2


def _consume(client: Client, params: dict[str, str]) -> etree._Element:
    return etree.fromstring(response_body(client.get("/oai", params)))


def test_a_page_costs_a_fixed_number_of_queries(
    client: Client, large_catalog: dict[str, Any], django_assert_num_queries: Any
) -> None:
    # First page: two counts (list size), the page of courses and its five relations.
    with django_assert_num_queries(8):
        first = _consume(client, {"verb": "ListRecords", "metadataPrefix": "lom"})
    token = first.xpath("//oai:resumptionToken/text()", namespaces=NS)[0]
    # A middle page: the courses and their relations.
    with django_assert_num_queries(6):
        second = _consume(client, {"verb": "ListRecords", "resumptionToken": token})
    token = second.xpath("//oai:resumptionToken/text()", namespaces=NS)[0]
    # The last page also reads the withdrawn courses and their sets.
    with django_assert_num_queries(9):
        _consume(client, {"verb": "ListRecords", "resumptionToken": token})
    # A whole list of headers in one page: two counts, the courses with owners, partners and
    # disciplines (their sets), then the withdrawn courses with their institutions and disciplines.
    with django_assert_num_queries(9):
        _consume(
            client, {"verb": "ListIdentifiers", "metadataPrefix": "lom", "set": "discipline:disc-1"}
        )
