"""The widget on a partner site: another origin pastes the snippet, the cards appear, nothing
else is contacted, no cookie is set; the card page passes axe-core."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory, LanguageFactory
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


class _PartnerSite:
    """A partner's page on its own origin (127.0.0.1, another port), holding ``body``."""

    def __init__(self) -> None:
        self.body = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                content = site.body.encode() if self.path == "/" else b""
                self.send_response(200 if content else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def page(self, snippet: str) -> None:
        self.body = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Partenaire</title>'
            # No favicon request: chromium would ask the partner's origin for one.
            '<link rel="icon" href="data:,">'
            "<style>a { color: lime; } li { list-style: square; }</style></head>"
            f"<body><main><h1>Le site du partenaire</h1>{snippet}</main></body></html>"
        )


@pytest.fixture
def partner() -> Iterator[_PartnerSite]:
    site = _PartnerSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def courses() -> None:
    wolof = LanguageFactory(code="wo", name_fr="Wolof", name_en="Wolof")
    ucad = InstitutionFactory(slug="ucad", name="Université Cheikh Anta Diop", country="SN")
    for title in ("Santé communautaire", "Agroécologie"):
        CourseRunFactory(course=CourseFactory(title=title, languages=[wolof], owners=[ucad]))
    CourseRunFactory(course=CourseFactory(title="Autre langue"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_the_script_draws_the_cards_on_a_partner_page_without_cookies_nor_other_sites(
    browser: Browser, live_server: object, partner: _PartnerSite, courses: None
) -> None:
    platform = str(live_server).rstrip("/")
    partner.page(
        f'<script src="{platform}/partager/widget.js" data-language="wo" data-count="5"'
        ' data-lang="fr" async></script>'
    )
    context = browser.new_context(locale="fr-FR")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(partner.url + "/")

        cards = page.locator(".sankore-widget").locator("li.sk-card h3 a")
        expect(cards).to_have_count(2)
        # Sorted as the catalog: open sessions first, then by title.
        assert cards.evaluate_all("links => links.map(a => a.firstChild.textContent)") == [
            "Agroécologie",
            "Santé communautaire",
        ]
        hrefs = [cards.nth(i).get_attribute("href") for i in range(2)]
        assert all(href and href.startswith(platform + "/cours/") for href in hrefs)
        assert all(href and href.endswith("?utm_source=widget") for href in hrefs)
        expect(page.get_by_role("link", name="Santé communautaire (nouvel onglet)")).to_be_visible()
        expect(page.get_by_role("list")).to_have_count(1)
        # The partner's styles stay out of the shadow root.
        color = cards.first.evaluate("a => getComputedStyle(a).color")
        assert color != "rgb(0, 255, 0)"

        assert {_origin(url) for url in requests} == {partner.url, platform}
        assert [url for url in requests if _origin(url) == partner.url] == [partner.url + "/"]
        assert context.cookies([platform, partner.url]) == []
        assert errors == []
    finally:
        context.close()


def test_the_iframe_version_shows_the_cards_and_passes_axe(
    browser: Browser, live_server: object, partner: _PartnerSite, courses: None
) -> None:
    platform = str(live_server).rstrip("/")
    cards_url = f"{platform}/partager/widget/cartes/?language=wo&count=1&lang=fr"
    partner.page(f'<iframe src="{cards_url}" title="Cours" width="100%" height="400"></iframe>')
    context = browser.new_context(locale="fr-FR")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(partner.url + "/")
        frame = page.frame_locator("iframe")
        expect(frame.locator("li.sk-card")).to_have_count(1)
        expect(frame.get_by_role("link", name="Agroécologie (nouvel onglet)")).to_be_visible()
        assert {_origin(url) for url in requests} == {partner.url, platform}
        assert context.cookies([platform, partner.url]) == []

        axe = Axe()
        problems = {}
        for path in [cards_url, f"{platform}/partager/widget/?language=wo&count=3"]:
            page.goto(path)
            results = axe.run(page, options=WCAG_AA).response
            problems[path] = [violation["id"] for violation in results["violations"]]
        assert problems == {path: [] for path in problems}
    finally:
        context.close()
