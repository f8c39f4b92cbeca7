"""What the catalog offers machines: robots.txt and the sitemaps (feeds: ``feeds``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as section_sitemap
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from sankore.syndication.sitemaps import SITEMAPS, sitemap_index_items

# Pages of a person or a team, forms and staff tools: nothing for a search engine. The public
# catalog, its pages, feeds and the read API stay open.
ROBOTS_DISALLOWED = (
    "/admin/",
    "/studio/",
    "/comptes/",
    "/mes-",
    "/apprendre/",
    "/i18n/",
    "/verifier/",
    "/examens/",
    "/api/v1/credentials/",
)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('syndication:sitemap_index')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "sitemap_index.xml",
        {"sitemaps": sitemap_index_items()},
        content_type="application/xml",
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
def sitemap(request: HttpRequest, section: str) -> HttpResponse:
    response: HttpResponse = section_sitemap(request, sitemaps=SITEMAPS, section=section)
    return response
