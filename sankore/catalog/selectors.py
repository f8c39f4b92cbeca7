"""Catalog reads shared with pages, the API and other apps."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

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
from sankore.catalog.search import (
    CourseSearchResult,
    course_search,
    course_search_matches,
    search_index_version,
)
from sankore.catalog.search_params import CourseSearchParams
from sankore.institutions.models import Institution

__all__ = [
    "CourseLinks",
    "CoursePage",
    "CourseSearchResult",
    "catalog_counts",
    "course_links_of",
    "course_page_get",
    "course_queryset_public",
    "course_search",
    "course_withdrawal_links_of",
    "course_withdrawals",
    "courses_newest",
    "courses_of_institution",
    "disciplines_with_public_courses",
    "institutions_with_public_courses",
    "runs_opening_for_enrolment",
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


@dataclass(frozen=True)
class Named:
    slug: str
    name_fr: str
    name_en: str = ""

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr


@dataclass
class CourseLinks:
    """A course's links to institutions, teachers, disciplines and languages, as plain values."""

    owners: list[Named] = field(default_factory=list)
    partners: list[Named] = field(default_factory=list)
    teachers: list[str] = field(default_factory=list)
    disciplines: list[Named] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def course_links_of(
    *, course_ids: Sequence[int] | QuerySet[Any], full: bool
) -> dict[int, CourseLinks]:
    """The links of many courses in one query per link table (``full``: all five, with names;
    otherwise only the institution and discipline slugs).

    For pages of hundreds of courses, where ``prefetch_related`` spends more time building a
    manager per course than the database spends answering. ``course_ids`` may be a queryset of
    ids (a page's own query, run again as a subquery: cheaper than hundreds of parameters).
    """
    links: dict[int, CourseLinks] = defaultdict(CourseLinks)
    if isinstance(course_ids, list | tuple) and not course_ids:
        return links
    for relation in ("owners", "partners"):
        rows = getattr(Course, relation).through.objects.filter(course_id__in=course_ids)
        if full:
            for course_id, slug, name in rows.values_list(
                "course_id", "institution__slug", "institution__name"
            ):
                getattr(links[course_id], relation).append(Named(slug=slug, name_fr=name))
        else:
            for course_id, slug in rows.values_list("course_id", "institution__slug"):
                getattr(links[course_id], relation).append(Named(slug=slug, name_fr=""))
    disciplines = Course.disciplines.through.objects.filter(course_id__in=course_ids)
    for course_id, slug, name_fr, name_en in disciplines.values_list(
        "course_id", "discipline__slug", "discipline__name_fr", "discipline__name_en"
    ):
        links[course_id].disciplines.append(Named(slug=slug, name_fr=name_fr, name_en=name_en))
    if full:
        teachers = Course.teachers.through.objects.filter(course_id__in=course_ids)
        for course_id, full_name in teachers.values_list("course_id", "teacher__full_name"):
            links[course_id].teachers.append(full_name)
        languages = Course.languages.through.objects.filter(course_id__in=course_ids)
        for course_id, code in languages.values_list("course_id", "language_id"):
            links[course_id].languages.append(code)
    return links


def course_withdrawal_links_of(*, withdrawal_ids: Sequence[int]) -> dict[int, CourseLinks]:
    """The institutions and disciplines withdrawn courses had, by slug, one query each."""
    links = {withdrawal_id: CourseLinks() for withdrawal_id in withdrawal_ids}
    if not withdrawal_ids:
        return links
    institutions = CourseWithdrawal.institutions.through.objects.filter(
        coursewithdrawal_id__in=withdrawal_ids
    )
    for withdrawal_id, slug in institutions.values_list("coursewithdrawal_id", "institution__slug"):
        links[withdrawal_id].owners.append(Named(slug=slug, name_fr=""))
    disciplines = CourseWithdrawal.disciplines.through.objects.filter(
        coursewithdrawal_id__in=withdrawal_ids
    )
    for withdrawal_id, slug in disciplines.values_list("coursewithdrawal_id", "discipline__slug"):
        links[withdrawal_id].disciplines.append(Named(slug=slug, name_fr=""))
    return links


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
    return courses_for_cards(
        courses=Course.objects.filter(is_published=True)
        .filter(Q(owners=institution) | Q(partners=institution))
        .distinct()
        .order_by("title", "pk"),
        now=now,
    )


def courses_for_cards(
    *, courses: QuerySet[Course], now: datetime.datetime | None = None
) -> list[Course]:
    """The courses as the catalog's cards show them: owners, languages and the featured
    session with its state at ``now`` (three queries whatever their number)."""
    now = now or timezone.now()
    listed: list[Course] = list(
        courses.prefetch_related(
            "owners",
            "languages",
            Prefetch("runs", queryset=published_runs(), to_attr="published_runs"),
        )
    )
    for course in listed:
        featured = featured_run_of(course.published_runs, now)  # type: ignore[attr-defined]
        course.featured_run = featured  # type: ignore[attr-defined]
        # The card shows the featured session's state at the time of the request.
        course.availability = featured.state_at(now) if featured else None  # type: ignore[attr-defined]
    return listed


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


def courses_newest(
    *, params: CourseSearchParams, limit: int, now: datetime.datetime | None = None
) -> list[Course]:
    """The latest published courses matching the catalog search ``params``, newest first
    (by creation), with their owners and disciplines: a fixed number of queries."""
    return list(
        Course.objects.filter(
            is_published=True, pk__in=course_search_matches(params=params, now=now)
        )
        .prefetch_related("owners", "disciplines")
        .order_by("-created_at", "-pk")[:limit]
    )


def runs_opening_for_enrolment(
    *,
    params: CourseSearchParams,
    limit: int,
    since: datetime.datetime,
    until: datetime.datetime,
    now: datetime.datetime | None = None,
) -> list[CourseRun]:
    """Published sessions of the courses matching ``params`` whose enrolment opens from
    ``since`` to ``until``, the latest opening first; each with its course and the course's
    owners: a fixed number of queries."""
    return list(
        CourseRun.objects.filter(
            is_published=True,
            course__is_published=True,
            enrolment_start__gte=since,
            enrolment_start__lte=until,
            course_id__in=course_search_matches(params=params, now=now),
        )
        .select_related("course")
        .prefetch_related("course__owners")
        .order_by("-enrolment_start", "-pk")[:limit]
    )


def course_from_reference(*, reference: str) -> Course | None:
    """The course a staff member pasted: its code (« CLOM-0042 »), its slug, or the address
    of its page (``…/cours/<slug>/``, with or without the host or a query)."""
    text = reference.strip()
    if not text:
        return None
    path = urlsplit(text).path if "/" in text else text
    parts = [part for part in path.split("/") if part]
    if len(parts) >= 2 and parts[-2] == "cours":
        return Course.objects.filter(slug=parts[-1]).first()
    return (
        Course.objects.filter(code__iexact=text).first()
        or Course.objects.filter(slug=text.lower()).first()
    )
