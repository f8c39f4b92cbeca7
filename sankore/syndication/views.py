"""What the catalog offers machines: robots.txt and the sitemaps (feeds: ``feeds``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as section_sitemap
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from sankore.catalog import selectors as catalog_selectors
from sankore.catalog.search_params import search_query_string
from sankore.catalog.structured_data import json_for_script
from sankore.core.middleware import CONTENT_SECURITY_POLICY
from sankore.syndication.sitemaps import SITEMAPS, sitemap_index_items
from sankore.syndication.widget import (
    COUNT_DEFAULT,
    COUNT_MAX,
    COUNT_MIN,
    UTM,
    WIDGET_FILTERS,
    WIDGET_LANGUAGES,
    WidgetForm,
    widget_params,
    widget_snippets,
)

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


# --- The widget ------------------------------------------------------------------------------

# The card page is made to be framed by any site; it still loads nothing but the platform's.
WIDGET_CARDS_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


def _widget_form(request: HttpRequest) -> WidgetForm:
    return WidgetForm(request.GET or None)


@require_safe
def widget_builder(request: HttpRequest) -> HttpResponse:
    """The form a partner fills in to get the two snippets, with a preview."""
    form = _widget_form(request)
    snippets = (
        widget_snippets(cleaned=form.cleaned_data) if form.is_bound and form.is_valid() else None
    )
    if not form.is_bound:
        defaults = {"count": COUNT_DEFAULT, "lang": "fr"}
        snippets = widget_snippets(cleaned=defaults)
    return render(
        request,
        "syndication/widget_builder.html",
        {"form": form, "snippets": snippets},
        status=200 if snippets else 400,
    )


@xframe_options_exempt
@require_safe
def widget_cards(request: HttpRequest) -> HttpResponse:
    """The iframe version: a small page of course cards, framable anywhere, no cookie."""
    form = WidgetForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            gettext("Paramètres du widget invalides."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    cleaned = form.cleaned_data
    with translation.override(cleaned["lang"]):
        result = catalog_selectors.course_search(
            params=widget_params(cleaned=cleaned), page=1, page_size=cleaned["count"]
        )
        response = render(
            request,
            "syndication/widget_cards.html",
            {
                "courses": result.courses,
                "lang": cleaned["lang"],
                "utm": UTM,
                "catalog_query": search_query_string(request.GET),
            },
        )
    response["Content-Security-Policy"] = WIDGET_CARDS_POLICY
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def widget_js(request: HttpRequest) -> HttpResponse:
    """The script version: reads the public API (CORS) and draws the cards in a shadow root."""
    strings = {}
    for code, _name in WIDGET_LANGUAGES:
        with translation.override(code):
            strings[code] = {
                "heading": gettext("Cours en ligne"),
                "by": gettext("Proposé par"),
                "more": gettext("Tout le catalogue"),
                "empty": gettext("Aucun cours ne correspond pour le moment."),
                "error": gettext("Les cours n'ont pas pu être chargés."),
                "newTab": gettext("(nouvel onglet)"),
            }
    config = {
        "strings": strings,
        "api": f"{reverse('api:api-root')}courses",
        "css": static("syndication/widget.css"),
        "catalog": reverse("catalog:course_list"),
        "utm": UTM,
        "filters": list(WIDGET_FILTERS),
        "counts": [COUNT_MIN, COUNT_MAX, COUNT_DEFAULT],
    }
    response = render(
        request,
        "syndication/widget.js",
        {"config": json_for_script(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
