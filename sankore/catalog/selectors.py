"""Catalog reads shared with pages, the API and other apps."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sankore.accounts.permissions import AnyUser
from sankore.catalog.models import (
    Course,
    CourseRun,
    CourseWithdrawal,
    Discipline,
    RunState,
    featured_run_of,
)
from sankore.catalog.permissions import course_queryset_visible_to
from sankore.catalog.search import CourseSearchResult, course_search, search_index_version
from sankore.institutions.models import Institution

__all__ = [
    "CoursePage",
    "CourseSearchResult",
    "catalog_counts",
    "course_page_get",
    "course_queryset_public",
    "course_search",
    "course_withdrawals",
    "courses_of_institution",
    "disciplines_with_public_courses",
    "institutions_with_public_courses",
]


@dataclass
class CoursePage:
    course: Course
    runs: list[CourseRun]
    selected_run: CourseRun | None
    selected_state: RunState | None
    now: datetime.datetime


def published_runs() -> QuerySet[CourseRun]:
    return CourseRun.objects.filter(is_published=True).order_by("start", "pk")


def course_queryset_public() -> QuerySet[Course]:
    """What the public catalog lists: the courses an anonymous visitor may see.

    The rule is ``course_queryset_visible_to``'s for an anonymous visitor (published courses)
    written as a plain filter, so that callers paging through it in index order (machines
    copying the catalog) get a range scan rather than a semi-join; a test holds the two equal.
    """
    return Course.objects.filter(is_published=True)


def course_withdrawals() -> QuerySet[CourseWithdrawal]:
    """Slugs that left the public catalog (unpublished, deleted, renamed), newest last."""
    return CourseWithdrawal.objects.order_by("withdrawn_at", "pk")


def institutions_with_public_courses() -> QuerySet[Institution]:
    """Institutions owning or partnering at least one course of the public catalog."""
    public = course_queryset_public()
    return Institution.objects.filter(
        Exists(public.filter(owners=OuterRef("pk")))
        | Exists(public.filter(partners=OuterRef("pk")))
    ).order_by("slug")


def disciplines_with_public_courses() -> QuerySet[Discipline]:
    """Disciplines given to at least one course of the public catalog."""
    return Discipline.objects.filter(
        Exists(course_queryset_public().filter(disciplines=OuterRef("pk")))
    ).order_by("slug")


def course_page_get(
    *,
    slug: str,
    user: AnyUser,
    run_id: int | None = None,
    now: datetime.datetime | None = None,
) -> CoursePage:
    """Everything the course page shows, in a fixed number of queries.

    The session shown and its state are computed here, at request time, so the enrol button
    never reflects a stale state.
    """
    now = now or timezone.now()
    course = (
        course_queryset_visible_to(user=user)
        .prefetch_related(
            "owners",
            "partners",
            "languages",
            "subtitle_languages",
            "disciplines",
            "teachers__institution",
            Prefetch("runs", queryset=published_runs(), to_attr="published_runs"),
        )
        .filter(slug=slug)
        .first()
    )
    if course is None:
        raise Http404("No such course.")
    runs: list[CourseRun] = course.published_runs
    selected = next((run for run in runs if run.pk == run_id), None) if run_id else None
    selected = selected or featured_run_of(runs, now)
    return CoursePage(
        course=course,
        runs=runs,
        selected_run=selected,
        selected_state=selected.state_at(now) if selected else None,
        now=now,
    )


def courses_of_institution(
    *, institution: Institution, now: datetime.datetime | None = None
) -> list[Course]:
    """Published courses an institution owns or partners, each with its featured session."""
    now = now or timezone.now()
    courses: list[Course] = list(
        Course.objects.filter(is_published=True)
        .filter(Q(owners=institution) | Q(partners=institution))
        .distinct()
        .prefetch_related(
            "owners",
            "languages",
            Prefetch("runs", queryset=published_runs(), to_attr="published_runs"),
        )
        .order_by("title", "pk")
    )
    for course in courses:
        featured = featured_run_of(course.published_runs, now)  # type: ignore[attr-defined]
        course.featured_run = featured  # type: ignore[attr-defined]
        # The card shows the featured session's state at the time of the request.
        course.availability = featured.state_at(now) if featured else None  # type: ignore[attr-defined]
    return courses


@dataclass(frozen=True)
class CatalogCounts:
    courses: int
    institutions: int
    countries: int


CATALOG_COUNTS_SECONDS = 600


def catalog_counts() -> CatalogCounts:
    """Published courses, their owners and those owners' countries (the home page).

    Cached under the search index's version, which every catalog write bumps in its own
    transaction: a course published, unpublished or given new owners shows at once. Institution
    edits (a country) may lag up to ten minutes, as the search's facet counts do.
    """
    key = f"catalog:counts:{connection.vendor}:{search_index_version()}"
    counts: CatalogCounts | None = cache.get(key)
    if counts is None:
        counts = _catalog_counts()
        cache.set(key, counts, CATALOG_COUNTS_SECONDS)
    return counts


def _catalog_counts() -> CatalogCounts:
    published = Course.objects.filter(is_published=True)
    owners = Institution.objects.filter(owned_courses__in=published).distinct()
    return CatalogCounts(
        courses=published.count(),
        institutions=owners.count(),
        countries=owners.values("country").distinct().count(),
    )


def top_level_disciplines_with_counts() -> QuerySet[Discipline]:
    return (
        Discipline.objects.filter(parent__isnull=True)
        .annotate(
            course_count=Count("courses", filter=Q(courses__is_published=True), distinct=True)
        )
        .order_by("position", "name_fr")
    )


def course_time_zone(*, course: Course) -> zoneinfo.ZoneInfo:
    """The time zone a course's dates are shown in: its (first) owning institution's."""
    name = course.owners.values_list("time_zone", flat=True).first() or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
