"""RSS and Atom feeds of new courses and of sessions opening for enrolment."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.contrib.sites.models import Site
from django.test import Client
from lxml import html

from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.syndication.feeds import FEED_ITEMS
from sankore.syndication.tests.conftest import aged

pytestmark = pytest.mark.django_db

SITE = "https://clom.example.org"
FEEDS = ["/flux/cours.rss", "/flux/cours.atom", "/flux/inscriptions.rss", "/flux/inscriptions.atom"]


def _feed(client: Client, path: str, query: dict[str, Any] | None = None) -> Any:
    response = client.get(path, query or {})
    assert response.status_code == 200, response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.mark.parametrize(
    ("path", "version"), [("/flux/cours.rss", "rss20"), ("/flux/cours.atom", "atom10")]
)
def test_the_new_courses_feed_lists_published_courses_newest_first(
    client: Client, feed_catalog: dict[str, Any], path: str, version: str
) -> None:
    feed = _feed(client, path)

    assert feed.version == version
    assert feed.feed.title == "Nouveaux cours"
    assert feed.feed.link == f"{SITE}/cours/"
    assert feed.feed.language == "fr"
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        ("Épidémiologie de terrain", f"{SITE}/cours/epidemiologie-de-terrain/"),
        ("Global health", f"{SITE}/cours/global-health/"),
        ("Droit OHADA", f"{SITE}/cours/droit-ohada/"),
    ]
    law = feed.entries[2]
    assert law.summary == "Le droit des affaires en Afrique."
    assert law.author == "Université Cheikh Anta Diop, Université Laval"
    assert [tag.term for tag in law.tags] == ["Droit"]


@pytest.mark.parametrize(
    ("path", "version"),
    [("/flux/inscriptions.rss", "rss20"), ("/flux/inscriptions.atom", "atom10")],
)
def test_the_sessions_feed_lists_enrolments_opening_around_now_latest_first(
    client: Client, feed_catalog: dict[str, Any], path: str, version: str
) -> None:
    runs = feed_catalog["runs"]

    feed = _feed(client, path)

    assert feed.version == version
    assert feed.feed.title == "Inscriptions qui ouvrent"
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        (
            "Épidémiologie de terrain — session Session de mai",
            f"{SITE}/cours/epidemiologie-de-terrain/?session={runs['epidemio'].pk}",
        ),
        (
            "Global health — session Spring",
            f"{SITE}/cours/global-health/?session={runs['health'].pk}",
        ),
        (
            "Droit OHADA — session Session d'hiver",
            f"{SITE}/cours/droit-ohada/?session={runs['law'].pk}",
        ),
    ]
    law = feed.entries[2].summary
    assert law.startswith("Le droit des affaires en Afrique. Inscriptions à partir du ")
    assert "Début de la session : " in law
    assert "<" not in law


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        # A discipline includes its sub-disciplines, as on the catalog page.
        ({"discipline": "sante"}, ["Épidémiologie de terrain", "Global health"]),
        ({"institution": "laval"}, ["Global health", "Droit OHADA"]),
        ({"country": "sn"}, ["Épidémiologie de terrain", "Droit OHADA"]),
        ({"language": "en"}, ["Global health"]),
        ({"language": "en,fr", "country": "CA"}, ["Global health", "Droit OHADA"]),
        ({"q": "epidemie"}, ["Épidémiologie de terrain"]),
        ({"discipline": "droit", "language": "en"}, []),
    ],
)
def test_the_new_courses_feed_takes_the_catalog_filters(
    client: Client, feed_catalog: dict[str, Any], query: dict[str, str], titles: list[str]
) -> None:
    feed = _feed(client, "/flux/cours.rss", query)

    assert [entry.title for entry in feed.entries] == titles


def test_the_sessions_feed_takes_the_catalog_filters(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    feed = _feed(client, "/flux/inscriptions.atom", {"country": "CA"})

    assert [entry.title for entry in feed.entries] == [
        "Global health — session Spring",
        "Droit OHADA — session Session d'hiver",
    ]


def test_a_filtered_feed_links_to_the_same_search_of_the_catalog(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    feed = _feed(client, "/flux/cours.atom", {"country": "SN", "page": "2", "utm_source": "x"})

    assert feed.feed.link == f"{SITE}/cours/?country=SN"
    (self_link,) = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == f"{SITE}/flux/cours.atom?country=SN"


@pytest.mark.parametrize("path", FEEDS)
@pytest.mark.parametrize(
    "query",
    [
        {"discipline": "inconnue"},
        {"language": "klingon"},
        {"country": "ZZ"},
        {"institution": "<script>"},
        {"q": "x" * 10_000},
        {"page": "abc"},
    ],
)
def test_unknown_filter_values_are_refused_with_a_message_not_an_error(
    client: Client, feed_catalog: dict[str, Any], path: str, query: dict[str, str]
) -> None:
    response = client.get(path, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode()


def test_unknown_parameters_are_ignored(client: Client, feed_catalog: dict[str, Any]) -> None:
    feed = _feed(client, "/flux/cours.rss", {"couleur": "bleu"})

    assert len(feed.entries) == 3


def test_a_feed_holds_at_most_fifty_items_in_a_fixed_number_of_queries(
    client: Client,
    feed_catalog: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    Site.objects.get_current()  # the sites framework's cache, filled once per process
    # One query checks the languages, one reads the page, two its owners and disciplines.
    query = {"language": "fr,en", "country": "CA,SN"}
    with django_assert_num_queries(4):
        client.get("/flux/cours.rss", query)
    with django_assert_num_queries(3):  # the check, the sessions with their courses, owners
        client.get("/flux/inscriptions.rss", query)
    for number in range(FEED_ITEMS + 5):
        course = aged(CourseFactory(title=f"Cours {number:02d}"), days=0.5)
        CourseRunFactory(course=course)

    with django_assert_num_queries(4):
        feed = _feed(client, "/flux/cours.rss", query)
    with django_assert_num_queries(3):
        sessions = _feed(client, "/flux/inscriptions.rss", query)

    assert len(sessions.entries) == FEED_ITEMS
    assert len(feed.entries) == FEED_ITEMS


def test_the_catalog_page_announces_the_feeds_of_its_search(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    response = client.get("/cours/", {"country": "SN", "page": "1"})
    tree = html.fromstring(response.content)

    alternates = {
        (link.get("type"), link.get("href")) for link in tree.xpath('//link[@rel="alternate"]')
    }
    assert alternates == {
        ("application/rss+xml", "/flux/cours.rss?country=SN"),
        ("application/atom+xml", "/flux/cours.atom?country=SN"),
        ("application/rss+xml", "/flux/inscriptions.rss?country=SN"),
        ("application/atom+xml", "/flux/inscriptions.atom?country=SN"),
    }
    assert tree.xpath('//p[@class="feed-links"]/a/@href') == [
        "/flux/cours.rss?country=SN",
        "/flux/inscriptions.rss?country=SN",
    ]
