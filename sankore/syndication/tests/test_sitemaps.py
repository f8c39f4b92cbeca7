"""/sitemap.xml and /robots.txt: the public pages, on the public site's address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sites.models import Site
from django.test import Client
from django.utils import timezone
from lxml import etree

from sankore.catalog.models import Course
from sankore.catalog.tests.factories import CourseFactory
from sankore.exams.tests.factories import centre
from sankore.institutions.models import Institution
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

SITE = "https://clom.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _xml(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def _entries(tree: Any) -> dict[str, str | None]:
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in tree.findall("s:url", NS)
    }


@pytest.fixture
def pages(site_url: str) -> dict[str, Any]:
    ucad = InstitutionFactory(slug="ucad")
    course = CourseFactory(slug="droit-ohada", owners=[ucad])
    CourseFactory(slug="brouillon", is_published=False, owners=[ucad])
    dakar = centre(city="Dakar")
    when = datetime.datetime(2030, 5, 4, 10, 0, tzinfo=datetime.UTC)
    Course.objects.filter(pk=course.pk).update(updated_at=when)  # test set-up: a known date
    Institution.objects.filter(pk=ucad.pk).update(updated_at=when)
    return {"course": course, "ucad": ucad, "centre": dakar}


def test_the_sitemap_index_lists_one_sitemap_per_kind_of_page(
    client: Client, pages: dict[str, Any]
) -> None:
    tree = _xml(client, "/sitemap.xml")

    assert [loc.text for loc in tree.findall("s:sitemap/s:loc", NS)] == [
        f"{SITE}/sitemap-catalogue.xml",
        f"{SITE}/sitemap-cours.xml",
        f"{SITE}/sitemap-etablissements.xml",
        f"{SITE}/sitemap-centres-d-examen.xml",
    ]
    assert tree.findall("s:sitemap/s:lastmod", NS)[1].text == "2030-05-04T10:00:00+00:00"


def test_the_course_sitemap_lists_published_courses_with_their_last_change(
    client: Client, pages: dict[str, Any]
) -> None:
    entries = _entries(_xml(client, "/sitemap-cours.xml"))

    assert entries == {f"{SITE}/cours/droit-ohada/": "2030-05-04"}


def test_the_other_sitemaps_list_catalog_institution_and_centre_pages(
    client: Client, pages: dict[str, Any]
) -> None:
    catalog = _entries(_xml(client, "/sitemap-catalogue.xml"))
    institutions = _entries(_xml(client, "/sitemap-etablissements.xml"))
    centres = _entries(_xml(client, "/sitemap-centres-d-examen.xml"))

    assert catalog == {
        f"{SITE}/": "2030-05-04",
        f"{SITE}/cours/": "2030-05-04",
        f"{SITE}/etablissements/": None,
        f"{SITE}/centres-d-examen/": None,
    }
    slug = pages["centre"].institution.slug
    assert set(institutions) == {f"{SITE}/etablissements/ucad/", f"{SITE}/etablissements/{slug}/"}
    assert institutions[f"{SITE}/etablissements/ucad/"] == "2030-05-04"
    assert centres == {
        f"{SITE}/centres-d-examen/{slug}/": timezone.localdate(
            pages["centre"].institution.updated_at
        ).isoformat()
    }


def test_an_unknown_sitemap_is_not_found(client: Client, site_url: str) -> None:
    assert client.get("/sitemap-inconnu.xml").status_code == 404
    assert client.get("/sitemap-cours.xml", {"p": "7"}).status_code == 404


def test_sitemaps_run_a_constant_number_of_queries(
    client: Client, pages: dict[str, Any], django_assert_num_queries: Any
) -> None:
    Site.objects.get_current()  # the sites framework's cache, filled once per process
    for _ in range(5):
        CourseFactory()
    with django_assert_num_queries(2):  # the count of the paginator, the page
        client.get("/sitemap-cours.xml")
    with django_assert_num_queries(7):  # per kind: its latest date; its count (but the first)
        client.get("/sitemap.xml")


def test_robots_txt_keeps_crawlers_to_the_public_pages_and_names_the_sitemap(
    client: Client, site_url: str
) -> None:
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for private in ("/studio/", "/mes-", "/apprendre/", "/comptes/", "/admin/"):
        assert f"Disallow: {private}" in lines
    assert not any(
        line.startswith(("Disallow: /cours", "Disallow: /api/v1/courses")) for line in lines
    )
    assert lines[-1] == f"Sitemap: {SITE}/sitemap.xml"
    assert not response.cookies
