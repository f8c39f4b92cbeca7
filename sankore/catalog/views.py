"""Public catalog pages: home, search with facets, course page, institution pages."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_countries import countries as django_countries
from django_countries.fields import Country

from sankore.catalog import selectors
from sankore.catalog.models import Discipline, RunState
from sankore.catalog.page_extensions import course_supporters, institution_supporters
from sankore.catalog.search_params import (
    CourseSearchParams,
    SearchParamsError,
    parse_course_search_params,
    search_query_string,
)
from sankore.institutions import selectors as institution_selectors
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution, InstitutionKind
from sankore.learning.selectors import active_enrolment_run_ids

FACET_TITLES = {
    "availability": _("Disponibilité"),
    "discipline": _("Discipline"),
    "language": _("Langue"),
    "level": _("Niveau"),
    "recognition": _("Reconnaissance"),
    "institution": _("Établissement"),
    "country": _("Pays"),
    "region": _("Région"),
}


# ASCII digits only, and few enough for a database integer (str.isdigit accepts « ² »).
SESSION_ID = re.compile(r"[0-9]{1,18}")

# Past this many options, a facet folds the rest behind « N de plus » (selected ones stay shown).
FACET_VISIBLE_OPTIONS = 6


def _facet_display(name: str, options: list[Any]) -> dict[str, Any]:
    ordered = sorted(options, key=lambda option: (not option.selected, -option.count))
    visible = ordered[:FACET_VISIBLE_OPTIONS]
    visible += [option for option in ordered[FACET_VISIBLE_OPTIONS:] if option.selected]
    more = [option for option in ordered[FACET_VISIBLE_OPTIONS:] if not option.selected]
    # Availability and level read best in their natural order, not by count.
    if name in {"availability", "level", "recognition"}:
        visible, more = options, []
    # Disciplines keep their tree order: main ones shown, sub-disciplines folded unless chosen.
    if name == "discipline":
        visible = [option for option in options if option.depth == 0 or option.selected]
        more = [option for option in options if option.depth > 0 and not option.selected]
    return {
        "name": name,
        "title": FACET_TITLES.get(name, name),
        "options": options,
        "visible": visible,
        "more": more,
    }


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    open_courses = selectors.course_search(
        params=CourseSearchParams(availability=(RunState.OPEN.value,)), page=1, page_size=6
    )
    return render(
        request,
        "catalog/home.html",
        {
            "open_courses": open_courses.courses,
            "counts": selectors.catalog_counts(),
            "disciplines": Discipline.objects.filter(parent__isnull=True),
        },
    )


@require_safe
def course_list(request: HttpRequest) -> HttpResponse:
    try:
        params, page, _page_size = parse_course_search_params(request.GET)
    except SearchParamsError as error:
        return render(
            request,
            "catalog/course_list.html",
            {"error": error.message, "q": request.GET.get("q", "")[:200]},
            status=400,
        )
    result = selectors.course_search(params=params, page=page, page_size=settings.CATALOG_PAGE_SIZE)
    facets = [_facet_display(name, options) for name, options in result.facets.items() if options]
    context: dict[str, Any] = {
        "result": result,
        "q": params.q,
        "facets": facets,
        "has_filters": any(option.selected for f in facets for option in f["options"]),
        "query_without_page": _query_without_page(request),
        # The feeds of this very search (autodiscovery links, « ce flux »).
        "feed_query": search_query_string(request.GET),
    }
    return render(request, "catalog/course_list.html", context)


def _course_time_zone(course: Any) -> str:
    owners = list(course.owners.all())
    return owners[0].time_zone if owners else "UTC"


@require_safe
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    run_param = request.GET.get("session", "")
    run_id = int(run_param) if SESSION_ID.fullmatch(run_param) else None
    page = selectors.course_page_get(slug=slug, user=request.user, run_id=run_id)
    enrolled_run_ids = active_enrolment_run_ids(
        user=request.user, course_run_ids=[run.pk for run in page.runs]
    )
    response = render(
        request,
        "catalog/course_detail.html",
        {
            "page": page,
            "course": page.course,
            "run": page.selected_run,
            "state": page.selected_state,
            "enrolled_run_ids": enrolled_run_ids,
            "is_enrolled": bool(page.selected_run and page.selected_run.pk in enrolled_run_ids),
            # Session dates read in the time zone of the (first) owning institution.
            "course_time_zone": _course_time_zone(page.course),
            "enrolment_opens_later": bool(
                page.selected_run and page.selected_run.enrolment_start > page.now
            ),
            "RunState": RunState,
            # « Avec le soutien de »: the sponsors' public contributions (one query).
            "supporters": course_supporters(course=page.course),
        },
    )
    # The enrol button depends on the time of the request and on the user: never cache it.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def institution_list(request: HttpRequest) -> HttpResponse:
    # Unknown filter values are ignored on the page (the API refuses them with a 400).
    country = request.GET.get("country", "").upper()
    country = country if country in dict(django_countries) else ""
    region = request.GET.get("region", "")
    region = region if region in Region.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in InstitutionKind.values else ""
    institutions = institution_selectors.institution_list(country=country, region=region, kind=kind)
    # get_page falls back to the first or last page on any bad number.
    page_obj = Paginator(institutions, 30).get_page(request.GET.get("page"))
    country_codes = Institution.objects.values_list("country", flat=True).distinct()
    countries = sorted(
        ((code, Country(code=code).name) for code in country_codes), key=lambda pair: pair[1]
    )
    return render(
        request,
        "catalog/institution_list.html",
        {
            "page_obj": page_obj,
            "institutions": page_obj.object_list,
            "countries": countries,
            "regions": Region.choices,
            "kinds": InstitutionKind.choices,
            "selected": {"country": country, "region": region, "kind": kind},
            "query_without_page": _query_without_page(request),
        },
    )


@require_safe
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = institution_selectors.institution_get(slug=slug)
    supports = institution_supporters(institution=institution)
    return render(
        request,
        "catalog/institution_detail.html",
        {
            "institution": institution,
            "courses": selectors.courses_of_institution(institution=institution),
            # What others bring to its courses and partnerships, and what it brings itself.
            "supporters": [s for s in supports if s.sponsor_slug != institution.slug],
            "supports_given": [s for s in supports if s.sponsor_slug == institution.slug],
        },
    )
