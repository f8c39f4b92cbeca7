"""Course search: one selector over the database's own full-text engine, with facets.

``course_search`` is what the catalog page, the API and other apps call. The index it reads is
kept by ``search_index`` (every catalog write updates it); the SQL it runs is in ``search_sql``.
"""

from __future__ import annotations

import datetime
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django_countries import countries

from sankore.catalog.models import (
    Course,
    CourseRun,
    Discipline,
    Language,
    Level,
    Recognition,
    RunState,
    featured_run_of,
)
from sankore.catalog.search_bitmaps import (
    IndexBitmaps,
    Owner,
    TextRows,
    bitmap_search,
    index_bitmaps,
    text_rows,
)
from sankore.catalog.search_index import (
    fold,
    search_index_rebuild,
    search_index_refresh_states,
    search_index_update,
    search_index_version,
    search_words,
)
from sankore.catalog.search_params import FACET_NAMES, CourseSearchParams
from sankore.catalog.search_sql import (
    IndexState,
    all_of,
    facet_counts,
    facet_filters,
    index_state,
    page_ids,
    ranked_ids,
    state_columns,
    text_match,
)
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution

__all__ = [
    "CourseSearchParams",
    "CourseSearchResult",
    "FacetOption",
    "course_search",
    "course_search_matches",
    "search_index_rebuild",
    "search_index_refresh_states",
    "search_index_update",
    "search_index_version",
]

logger = logging.getLogger(__name__)

MAX_QUERY_WORDS = 32
# Expired snapshots a search refreshes before running (a bounded write, see _refresh_if_due).
REFRESH_BATCH = 2_000


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0  # disciplines: 0 at the top of the tree, 1 for a child, …


@dataclass
class CourseSearchResult:
    """One page of courses, each with ``featured_run`` and its ``availability`` at ``now``."""

    courses: list[Course]
    total: int
    page: int
    page_size: int
    num_pages: int
    facets: dict[str, list[FacetOption]]
    params: CourseSearchParams
    now: datetime.datetime

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# --- Page ------------------------------------------------------------------------------------


def _page_courses(ids: list[int], now: datetime.datetime) -> list[Course]:
    """The courses of the page in order, each with its published sessions (``published_runs``),
    its ``featured_run`` and that session's state at ``now`` (``availability``)."""
    runs = CourseRun.objects.filter(is_published=True).order_by("start", "pk")
    found: dict[int, Course] = {
        course.pk: course
        for course in Course.objects.filter(pk__in=ids, is_published=True).prefetch_related(
            "owners",
            "languages",
            "disciplines",
            Prefetch("runs", queryset=runs, to_attr="published_runs"),
        )
    }
    courses = [found[course_id] for course_id in ids if course_id in found]
    for course in courses:
        featured = featured_run_of(list(course.published_runs), now)  # type: ignore[attr-defined]
        course.featured_run = featured  # type: ignore[attr-defined]
        course.availability = featured.state_at(now) if featured else None  # type: ignore[attr-defined]
    return courses


class _DisciplineTree:
    """The taxonomy, read once per search: subtrees for filters, order and names for facets."""

    def __init__(self, disciplines: Iterable[Discipline]) -> None:
        self.by_slug = {discipline.slug: discipline for discipline in disciplines}
        self.children: dict[int | None, list[Discipline]] = defaultdict(list)
        for discipline in self.by_slug.values():  # in (position, name) order
            self.children[discipline.parent_id].append(discipline)

    def subtree_ids(self, slugs: Iterable[str]) -> list[int]:
        found: set[int] = set()
        pending = [self.by_slug[slug].pk for slug in slugs if slug in self.by_slug]
        while pending:
            current = pending.pop()
            if current not in found:  # the set also stops a cycle in the tree
                found.add(current)
                pending += [child.pk for child in self.children[current]]
        return sorted(found)

    def in_order(self) -> list[tuple[Discipline, int]]:
        ordered: list[tuple[Discipline, int]] = []
        seen: set[int] = set()

        def visit(parent_id: int | None, depth: int) -> None:
            for discipline in self.children[parent_id]:
                if discipline.pk not in seen:
                    seen.add(discipline.pk)
                    ordered.append((discipline, depth))
                    visit(discipline.pk, depth + 1)

        visit(None, 0)
        return ordered


# --- Facet options ---------------------------------------------------------------------------


def _facet_options(
    params: CourseSearchParams,
    counts: dict[str, dict[str, int]],
    tree: _DisciplineTree,
    owners: list[Owner] | None = None,
) -> dict[str, list[FacetOption]]:
    """Each facet's options: those with results, and the selected ones whatever their count.
    Fixed lists keep their order, the taxonomy its tree order, the others go by count.
    ``owners``: the institutions already read by the search, if it read them."""
    candidates: dict[str, list[FacetOption]] = {}

    def option(facet: str, value: str, label: str, key: str | None = None) -> FacetOption:
        count = counts[facet].get(value if key is None else key, 0)
        return FacetOption(value, label, count, value in params.selected(facet))

    for facet, choices in (
        ("availability", RunState),
        ("level", Level),
        ("recognition", Recognition),
    ):
        candidates[facet] = [option(facet, choice.value, str(choice.label)) for choice in choices]
    candidates["discipline"] = [
        FacetOption(
            d.slug,
            d.name,
            counts["discipline"].get(str(d.pk), 0),
            d.slug in params.discipline,
            depth,
        )
        for d, depth in tree.in_order()
    ]
    codes = set(counts["language"]) | set(params.language)
    candidates["language"] = [
        option("language", language.code, language.name)
        for language in Language.objects.filter(code__in=codes)
    ]
    if owners is None:
        owners = _owners([int(pk) for pk in counts["institution"]], params)
    candidates["institution"] = [
        option("institution", owner.slug, owner.name, str(owner.pk)) for owner in owners
    ]
    candidates["country"] = [
        option("country", code, str(countries.name(code)) or code)
        for code in set(counts["country"]) | set(params.country)
    ]
    candidates["region"] = [
        option("region", value, str(Region(value).label))
        for value in (set(counts["region"]) | set(params.region)) & set(Region.values)
    ]
    facets = {}
    for facet in FACET_NAMES:
        shown = [o for o in candidates[facet] if o.count or o.selected]
        if facet in ("language", "institution", "country", "region"):
            shown.sort(key=lambda o: (-o.count, fold(o.label), o.value))
        facets[facet] = shown
    return facets


def _owners(ids: Iterable[int], params: CourseSearchParams) -> list[Owner]:
    """These institutions and the selected ones, as they are now."""
    institutions = Institution.objects.filter(pk__in=list(ids)) | Institution.objects.filter(
        slug__in=params.institution
    )
    return [
        Owner(pk, slug, name, str(country), region)
        for pk, slug, name, country, region in institutions.values_list(
            "pk", "slug", "name", "country", "region"
        )
    ]


# --- The selector ----------------------------------------------------------------------------


def _refresh_if_due(state: IndexState, now: datetime.datetime, cursor: Any) -> IndexState:
    """Move expired snapshots forward (a small write, one process at a time), so searches stay
    on their fast path even without a periodic task; on any failure, search computes those
    rows from their sessions instead."""
    if state.holds_at(now) or not cache.add("catalog:search-refresh", 1, 60):
        return state
    try:
        search_index_refresh_states(now=now, limit=REFRESH_BATCH)
    except DatabaseError:
        logger.warning("Course search: could not refresh session-state snapshots", exc_info=True)
        return state
    finally:
        cache.delete("catalog:search-refresh")
    return index_state(cursor)


def course_search(
    *,
    params: CourseSearchParams,
    page: int = 1,
    page_size: int = 20,
    now: datetime.datetime | None = None,
) -> CourseSearchResult:
    """Published courses matching ``params`` at ``now``: one page of them, and facet counts.

    With words: the courses containing all of them (stemmed, accents and case ignored), by
    relevance, then availability (open, upcoming, ongoing, archived, no session), title and
    id. Without: by availability, title and id. A fixed number of queries whatever the page
    size.
    """
    real_time = now is None
    now = now or timezone.now()
    page, page_size = max(page, 1), max(page_size, 1)
    words = list(dict.fromkeys(search_words(params.q)))[:MAX_QUERY_WORDS]
    tree = _DisciplineTree(Discipline.objects.only("pk", "slug", "name_fr", "name_en", "parent"))
    discipline_ids = tree.subtree_ids(params.discipline)
    parents = {d.pk: d.parent_id for d in tree.by_slug.values()}
    owners: list[Owner] | None = None
    with connection.cursor() as cursor:
        state = index_state(cursor)
        if real_time:
            state = _refresh_if_due(state, now, cursor)
        snapshots_hold = state.holds_at(now)
        columns = state_columns(now, snapshots_hold=snapshots_hold)
        # While every snapshot holds, the index's bitmaps give the counts and the page of any
        # combination; else (or while another process builds them) the database counts.
        bitmaps = (
            index_bitmaps(cursor, state=state, now=now, read_state=index_state)
            if snapshots_hold
            else None
        )
        if bitmaps is not None:
            owners = _owners(map(int, bitmaps.values["owner"]), params)
            text = (
                _text_rows(cursor, bitmaps=bitmaps, state=state, now=now, words=words)
                if words
                else None
            )
            total, counts, ids = bitmap_search(
                bitmaps,
                params=params,
                text=text,
                discipline_ids=discipline_ids,
                discipline_parents=parents,
                owners=owners,
                limit=page_size,
                offset=(page - 1) * page_size,
            )
        else:
            filters = facet_filters(params, discipline_ids, columns)
            total, counts = facet_counts(
                cursor, state, now, text_match(words), filters, columns, words, parents
            )
            ids = page_ids(
                cursor, words, filters, columns, limit=page_size, offset=(page - 1) * page_size
            )
    return CourseSearchResult(
        courses=_page_courses(ids, now),
        total=total,
        page=page,
        page_size=page_size,
        num_pages=max(1, math.ceil(total / page_size)),
        facets=_facet_options(params, counts, tree, owners),
        params=params,
        now=now,
    )


def _text_rows(
    cursor: Any,
    *,
    bitmaps: IndexBitmaps,
    state: IndexState,
    now: datetime.datetime,
    words: list[str],
) -> TextRows:
    # Snapshots hold (the bitmaps are only used then): the stored availability orders the rows.
    columns = state_columns(now, snapshots_hold=True)

    def ranked() -> tuple[list[int], bool]:
        found = ranked_ids(cursor, words, columns)
        return found, index_state(cursor) == state

    return text_rows(bitmaps, state=state, now=now, words=words, ranked_ids=ranked)


def course_search_matches(
    *, params: CourseSearchParams, now: datetime.datetime | None = None
) -> RawSQL:
    """The ids of the published courses ``course_search`` would find for ``params`` at ``now``
    (same words, same filters), as a subquery for another order or another model:
    ``Course.objects.filter(pk__in=course_search_matches(params=params))``.

    Two queries at most, whatever the catalog's size (the taxonomy if disciplines are
    selected, the index state if availability is); the subquery runs inside the caller's.
    """
    now = now or timezone.now()
    words = list(dict.fromkeys(search_words(params.q)))[:MAX_QUERY_WORDS]
    discipline_ids: list[int] = []
    if params.discipline:
        tree = _DisciplineTree(Discipline.objects.only("pk", "slug", "name_fr", "parent"))
        discipline_ids = tree.subtree_ids(params.discipline)
    snapshots_hold = True
    if params.availability:
        with connection.cursor() as cursor:
            snapshots_hold = index_state(cursor).holds_at(now)
    columns = state_columns(now, snapshots_hold=snapshots_hold)
    text = text_match(words)
    where = all_of([text.condition, *facet_filters(params, discipline_ids, columns).values()])
    # Built from constants and placeholders (search_sql); the values are parameters.
    return RawSQL(  # noqa: S611
        f"SELECT s.course_id FROM {text.source.text} WHERE {where.text}",  # noqa: S608
        [*text.source.params, *where.params],
    )
