"""The embeddable widget: the builder page, the iframe card page, the script."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import html

from sankore.syndication.widget import WidgetForm

pytestmark = pytest.mark.django_db

SITE = "https://clom.example.org"


def test_the_builder_offers_the_catalog_filters_and_gives_both_snippets(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    response = client.get(
        "/partager/widget/", {"discipline": "sante", "country": "CA", "count": "4", "lang": "en"}
    )

    assert response.status_code == 200
    snippets = response.context["snippets"]
    assert snippets["script"] == (
        f'<script src="{SITE}/partager/widget.js" data-discipline="sante" data-country="CA"'
        ' data-count="4" data-lang="en" async></script>'
    )
    assert snippets["iframe"].startswith(
        f'<iframe src="{SITE}/partager/widget/cartes/?discipline=sante&amp;country=CA'
        '&amp;count=4&amp;lang=en" title="'
    )
    tree = html.fromstring(response.content)
    assert tree.xpath("//iframe/@src") == [
        "/partager/widget/cartes/?discipline=sante&country=CA&count=4&lang=en"
    ]
    # The snippets are shown as text to copy, escaped once.
    assert [textarea.text for textarea in tree.xpath("//textarea")] == [
        snippets["script"],
        snippets["iframe"],
    ]


def test_the_builder_form_only_offers_what_the_catalog_has(feed_catalog: dict[str, Any]) -> None:
    form = WidgetForm()

    def values(name: str) -> list[str]:
        return [value for value, _label in form.fields[name].choices]  # type: ignore[attr-defined]

    assert values("institution") == ["", "ucad", "laval"]
    assert values("country") == ["", "CA", "SN"]
    assert {"", "sante", "epidemiologie", "droit"} <= set(values("discipline"))  # the taxonomy
    assert set(values("language")) == {"", "fr", "en"}


@pytest.mark.parametrize(
    "query", [{"count": "0"}, {"count": "13"}, {"count": "x"}, {"lang": "de"}, {"country": "ZZ"}]
)
def test_the_builder_refuses_a_bad_setting_with_a_message(
    client: Client, feed_catalog: dict[str, Any], query: dict[str, str]
) -> None:
    response = client.get("/partager/widget/", query)

    assert response.status_code == 400
    assert response.context["snippets"] is None
    assert 'class="message message-error"' in response.content.decode()


def test_the_card_page_shows_the_first_courses_of_the_search_and_links_back(
    client: Client, feed_catalog: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(16):
        response = client.get("/partager/widget/cartes/", {"country": "CA", "count": "1"})

    assert response.status_code == 200
    tree = html.fromstring(response.content)
    assert [a.text for a in tree.xpath('//li[@class="sk-card"]//h2/a')] == ["Droit OHADA"]
    assert tree.xpath('//li[@class="sk-card"]//h2/a/@href') == [
        f"{SITE}/cours/droit-ohada/?utm_source=widget"
    ]
    assert tree.xpath('//p[@class="sk-more"]/a/@href') == [
        f"{SITE}/cours/?country=CA&utm_source=widget"
    ]
    assert tree.xpath("/html/@lang") == ["fr"]


def test_the_card_page_may_be_framed_anywhere_and_sets_no_cookie(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    response = client.get("/partager/widget/cartes/", {"lang": "en"})

    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "default-src 'self'" in policy
    assert not response.cookies
    assert html.fromstring(response.content).xpath("/html/@lang") == ["en"]


def test_other_pages_still_refuse_to_be_framed(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    response = client.get("/partager/widget/")

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_bad_card_page_setting_is_a_400_not_an_error(client: Client, site_url: str) -> None:
    response = client.get("/partager/widget/cartes/", {"count": "99"})

    assert response.status_code == 400


def test_the_script_is_small_open_to_every_origin_and_sets_no_cookie(
    client: Client, site_url: str
) -> None:
    response = client.get("/partager/widget.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert len(response.content) <= 10 * 1024
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    body = response.content.decode()
    assert '"api":"/api/v1/courses"' in body
    assert "Tout le catalogue" in body


def test_the_api_the_script_reads_is_open_to_every_origin_without_cookies(
    client: Client, feed_catalog: dict[str, Any]
) -> None:
    response = client.get(
        "/api/v1/courses",
        {"country": "CA", "page_size": "2"},
        headers={"Origin": "https://partenaire.example", "Accept-Language": "en"},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies
    assert [course["title"] for course in response.json()["results"]] == [
        "Droit OHADA",
        "Global health",
    ]
