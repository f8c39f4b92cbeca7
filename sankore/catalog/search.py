"""Course search: one selector over the database's own full-text engine, with facets.

``course_search`` reads the index kept by ``search_index`` (see there for what it holds). Its
SQL is built here from constants and placeholders only; user words reach the database as
parameters, already reduced to letters and digits.

Facet counts are *disjunctive*: the counts of a facet apply the query and every other facet's
selection, never its own, so ticking one value alone gives exactly the count it showed. They
are computed in one statement and cached while the index is unchanged (its version is bumped
by every write, in the write's transaction) and every session-state snapshot still holds: the
cached counts are then exactly what a new computation would give.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
    run_state_filters,
)
from sankore.catalog.search_index import (
    INDEX_TABLE,
    NO_SESSION_RANK,
    RECOGNITION_BIT,
    STATE_BIT,
    STATE_RANK,
    STATE_TABLE,
    TEXT_TABLE,
    fold,
    fts_query,
    search_index_rebuild,
    search_index_refresh_states,
    search_index_update,
    search_words,
)
from sankore.catalog.search_params import FACET_NAMES, CourseSearchParams
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution

__all__ = [
    "CourseSearchParams",
    "CourseSearchResult",
    "FacetOption",
    "course_search",
    "search_index_rebuild",
    "search_index_refresh_states",
    "search_index_update",
]

logger = logging.getLogger(__name__)

MAX_QUERY_WORDS = 32
FACET_CACHE_SECONDS = 600
# Expired snapshots a search refreshes before running (a bounded write, see _refresh_if_due).
REFRESH_BATCH = 2_000

_COURSE_LANGUAGES = Course.languages.through._meta.db_table
_COURSE_DISCIPLINES = Course.disciplines.through._meta.db_table
_COURSE_OWNERS = Course.owners.through._meta.db_table
_RUNS = CourseRun._meta.db_table
_DISCIPLINES = Discipline._meta.db_table
_INSTITUTIONS = Institution._meta.db_table


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


# --- SQL fragments ---------------------------------------------------------------------------


class _Sql(NamedTuple):
    text: str
    params: list[Any]


def _all_of(parts: Iterable[_Sql]) -> _Sql:
    parts = list(parts)
    if not parts:
        return _Sql("1 = 1", [])
    return _Sql(
        " AND ".join(f"({part.text})" for part in parts),
        [param for part in parts for param in part.params],
    )


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _masks_with_any(bits: int, width: int) -> list[int]:
    # ``column IN (masks)`` rather than ``column & bits <> 0``: the planner can estimate it.
    return [mask for mask in range(1, 1 << width) if mask & bits]


class _IndexState(NamedTuple):
    version: int
    valid_from: datetime.datetime | None
    valid_until: datetime.datetime | None

    def holds_at(self, now: datetime.datetime) -> bool:
        """Whether every course's snapshot of session states is exact at ``now``."""
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )


def _as_datetime(value: Any) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(str(value))  # SQLite returns its text, in UTC
    return None if parsed is None else parsed.replace(tzinfo=datetime.UTC)


def _index_state(cursor: Any) -> _IndexState:
    cursor.execute(
        f"SELECT (SELECT version FROM {STATE_TABLE} WHERE id = 1), "  # noqa: S608 (constants)
        f"(SELECT MAX(states_from) FROM {INDEX_TABLE}), "
        f"(SELECT MIN(states_until) FROM {INDEX_TABLE})"
    )
    version, valid_from, valid_until = cursor.fetchone()
    return _IndexState(int(version), _as_datetime(valid_from), _as_datetime(valid_until))


class _StateColumns(NamedTuple):
    states: _Sql  # bit mask of the states of a course's published sessions
    availability: _Sql  # rank of its best state (open first, no session last)


def _live_states(now: datetime.datetime, *, aggregate: str, values: dict[RunState, int]) -> _Sql:
    """``aggregate`` (``MIN({})``…) over a course's published sessions of a number per state
    at ``now``, the states being the conditions of ``run_state_filters``."""
    whens, params = [], []
    for state, condition in run_state_filters(now).items():
        query = CourseRun.objects.filter(condition).query
        sql, sql_params = query.get_compiler(connection=connection).compile(query.where)
        whens.append(f"WHEN {sql} THEN {values[state]:d}")
        params += sql_params
    case = f"CASE {' '.join(whens)} ELSE NULL END"
    return _Sql(
        f"(SELECT {aggregate.format(case)} FROM {_RUNS} "  # noqa: S608 (constants)
        f"WHERE {_RUNS}.course_id = s.course_id AND {_RUNS}.is_published)",
        params,
    )


def _state_columns(now: datetime.datetime, *, snapshots_hold: bool) -> _StateColumns:
    if snapshots_hold:
        return _StateColumns(_Sql("s.states", []), _Sql("s.availability", []))
    # Rows whose snapshot does not hold at ``now`` are computed from their sessions.
    at = connection.ops.adapt_datetimefield_value(now)
    holds = (
        "(s.states_from IS NULL OR s.states_from <= %s) "
        "AND (s.states_until IS NULL OR s.states_until > %s)"
    )
    mask = _live_states(now, aggregate="SUM(DISTINCT {})", values=STATE_BIT)
    rank = _live_states(now, aggregate="MIN({})", values=STATE_RANK)
    return _StateColumns(
        _Sql(
            f"CASE WHEN {holds} THEN s.states ELSE COALESCE({mask.text}, 0) END",
            [at, at, *mask.params],
        ),
        _Sql(
            f"CASE WHEN {holds} THEN s.availability "
            f"ELSE COALESCE({rank.text}, {NO_SESSION_RANK}) END",
            [at, at, *rank.params],
        ),
    )


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


def _text_match(words: Sequence[str]) -> _Sql | None:
    if not words:
        return None
    if connection.vendor == "postgresql":
        return _Sql("s.document @@ plainto_tsquery('french', unaccent(%s))", [" ".join(words)])
    return _Sql(
        f"s.course_id IN (SELECT rowid FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH %s)",  # noqa: S608
        [fts_query(words)],
    )


# Facets in link tables filter with a correlated EXISTS: a probe of the link table's
# (course_id, …) index per row, so a sorted scan can stop after one page, and no set of ids is
# built for a value that most courses have.


def _in_links(table: str, column: str, values: Sequence[Any]) -> _Sql:
    return _Sql(
        f"EXISTS (SELECT 1 FROM {table} x WHERE x.course_id = s.course_id "  # noqa: S608
        f"AND x.{column} IN ({_placeholders(values)}))",
        list(values),
    )


def _owned_by(column: str, values: Sequence[str]) -> _Sql:
    return _Sql(
        f"EXISTS (SELECT 1 FROM {_COURSE_OWNERS} co "  # noqa: S608 (constants)
        f"JOIN {_INSTITUTIONS} i ON i.id = co.institution_id WHERE co.course_id = s.course_id "
        f"AND i.{column} IN ({_placeholders(values)}))",
        list(values),
    )


def _facet_filters(
    params: CourseSearchParams, tree: _DisciplineTree, columns: _StateColumns
) -> dict[str, _Sql]:
    """The condition on ``s`` of each facet with a selection (its values OR-ed)."""
    filters: dict[str, _Sql] = {}
    if params.availability:
        bits = sum(STATE_BIT[RunState(value)] for value in params.availability)
        masks = _masks_with_any(bits, len(STATE_BIT))
        filters["availability"] = _Sql(
            f"{columns.states.text} IN ({_placeholders(masks)})", [*columns.states.params, *masks]
        )
    if params.discipline:
        ids = tree.subtree_ids(params.discipline) or [0]
        filters["discipline"] = _in_links(_COURSE_DISCIPLINES, "discipline_id", ids)
    if params.language:
        filters["language"] = _in_links(_COURSE_LANGUAGES, "language_id", params.language)
    if params.level:
        filters["level"] = _Sql(f"s.level IN ({_placeholders(params.level)})", list(params.level))
    if params.recognition:
        bits = sum(RECOGNITION_BIT[Recognition(value)] for value in params.recognition)
        masks = _masks_with_any(bits, len(RECOGNITION_BIT))
        filters["recognition"] = _Sql(f"s.recognitions IN ({_placeholders(masks)})", masks)
    for facet, column in (("institution", "slug"), ("country", "country"), ("region", "region")):
        if params.selected(facet):
            filters[facet] = _owned_by(column, params.selected(facet))
    return filters


# --- Counts ----------------------------------------------------------------------------------

# Each discipline with itself and its ancestors (depth-bounded against a cycle).
_TREE = (
    "WITH RECURSIVE tree(id, ancestor, depth) AS ("
    f"SELECT id, id, 0 FROM {_DISCIPLINES} UNION ALL "
    f"SELECT tree.id, d.parent_id, tree.depth + 1 FROM tree JOIN {_DISCIPLINES} d "
    "ON d.id = tree.ancestor WHERE d.parent_id IS NOT NULL AND tree.depth < 32)"
)
# Facets counted from the index row itself, grouped together: level, recognitions, states.
_SCALAR_FACETS = ("availability", "level", "recognition")


def _linked_counts(facet: str, where: str) -> str:
    """``(facet, value, count)`` rows of a facet kept in link tables, over the rows of ``m``
    meeting ``where``. ``CROSS JOIN`` makes SQLite loop over ``m`` and probe the link table's
    index, rather than scan the link table; PostgreSQL plans inner joins freely either way."""
    if facet == "discipline":
        # Through the tree, a course counts once under each ancestor of its disciplines.
        return (
            "SELECT 'discipline', CAST(t.ancestor AS VARCHAR(20)), COUNT(*) FROM ("
            f"SELECT DISTINCT tree.ancestor, m.course_id FROM m "
            f"CROSS JOIN {_COURSE_DISCIPLINES} cd CROSS JOIN tree "
            f"WHERE cd.course_id = m.course_id AND tree.id = cd.discipline_id AND {where}) t "
            "GROUP BY t.ancestor"
        )
    if facet == "language":
        return (
            f"SELECT 'language', cl.language_id, COUNT(*) FROM m "
            f"CROSS JOIN {_COURSE_LANGUAGES} cl WHERE cl.course_id = m.course_id AND {where} "
            "GROUP BY cl.language_id"
        )
    if facet == "institution":
        return (
            "SELECT 'institution', CAST(co.institution_id AS VARCHAR(20)), COUNT(*) FROM m "
            f"CROSS JOIN {_COURSE_OWNERS} co WHERE co.course_id = m.course_id AND {where} "
            "GROUP BY co.institution_id"
        )
    # Country, region: a course whose two owners share a country counts once there.
    return (
        f"SELECT '{facet}', t.value, COUNT(*) FROM (SELECT DISTINCT i.{facet} AS value, "
        f"m.course_id FROM m CROSS JOIN {_COURSE_OWNERS} co CROSS JOIN {_INSTITUTIONS} i "
        f"WHERE co.course_id = m.course_id AND i.id = co.institution_id AND {where} "
        f"AND i.{facet} <> '') t GROUP BY t.value"
    )


class _Counts(NamedTuple):
    total: int
    facets: dict[str, dict[str, int]]


def _counts(
    cursor: Any, text: _Sql | None, filters: dict[str, _Sql], columns: _StateColumns
) -> _Counts:
    """The total and every facet's counts, in one statement.

    The rows matching the words are read once into ``m``, with a flag per selected facet;
    each facet then counts the rows whose *other* flags are all set.
    """
    flags = [
        _Sql(f"CASE WHEN {sql.text} THEN 1 ELSE 0 END AS f_{facet}", sql.params)
        for facet, sql in filters.items()
    ]
    base = text or _Sql("1 = 1", [])
    m = _Sql(
        f"m AS MATERIALIZED (SELECT s.course_id, s.level, s.recognitions, "
        f"{columns.states.text} AS states"
        + "".join(f", {flag.text}" for flag in flags)
        + f" FROM {INDEX_TABLE} s WHERE {base.text})",
        [*columns.states.params, *(p for flag in flags for p in flag.params), *base.params],
    )

    def where(without: str | None) -> str:
        return " AND ".join([f"m.f_{f} = 1" for f in filters if f != without] or ["1 = 1"])

    # Facets without a selection share the rows matching everything; a selected one counts
    # the rows matching everything else.
    parts = [
        f"SELECT 'scalar:{name}', m.level || ':' || CAST(m.recognitions AS VARCHAR(4)) "
        f"|| ':' || CAST(m.states AS VARCHAR(4)), COUNT(*) FROM m WHERE {where(name or None)} "
        "GROUP BY m.level, m.recognitions, m.states"
        for name in ["", *(facet for facet in _SCALAR_FACETS if facet in filters)]
    ]
    for facet in ("discipline", "language", "institution", "country", "region"):
        parts.append(_linked_counts(facet, where(facet)))
    cursor.execute(
        f"{_TREE}, {m.text} {' UNION ALL '.join(parts)}",  # noqa: S608 (constants)
        m.params,
    )
    facets: dict[str, Counter[str]] = {facet: Counter() for facet in FACET_NAMES}
    total = 0
    for kind, value, count in cursor.fetchall():
        if not kind.startswith("scalar:"):
            facets[kind][str(value)] += int(count)
            continue
        level, recognitions, states = str(value).split(":")
        source = kind.removeprefix("scalar:")
        if not source:
            total += int(count)
        if source == ("level" if "level" in filters else ""):
            facets["level"][level] += int(count)
        if source == ("recognition" if "recognition" in filters else ""):
            for recognition, bit in RECOGNITION_BIT.items():
                if int(recognitions) & bit:
                    facets["recognition"][recognition.value] += int(count)
        if source == ("availability" if "availability" in filters else ""):
            for state, bit in STATE_BIT.items():
                if int(states) & bit:
                    facets["availability"][state.value] += int(count)
    return _Counts(total, {facet: dict(counter) for facet, counter in facets.items()})


def _cached_counts(
    state: _IndexState, now: datetime.datetime, key: tuple[Any, ...], compute: Any
) -> _Counts:
    if not state.holds_at(now):
        return compute()  # rows computed from their sessions may change state any second
    digest = hashlib.sha256(repr((connection.vendor, state, key)).encode()).hexdigest()
    cache_key = f"catalog:search-counts:{digest}"
    counts: _Counts | None = cache.get(cache_key)
    if counts is None:
        counts = compute()
        seconds = FACET_CACHE_SECONDS
        if state.valid_until is not None:
            seconds = min(seconds, math.ceil((state.valid_until - now).total_seconds()))
        cache.set(cache_key, counts, max(seconds, 1))
    return counts


# --- Page ------------------------------------------------------------------------------------


def _page_ids(
    cursor: Any,
    words: Sequence[str],
    filters: dict[str, _Sql],
    columns: _StateColumns,
    *,
    limit: int,
    offset: int,
) -> list[int]:
    order = "avail_rank, s.title_key, s.course_id"
    select = f"SELECT s.course_id, {columns.availability.text} AS avail_rank"
    params = list(columns.availability.params)
    text = _text_match(words)
    if text is None:
        where = _all_of(filters.values())
        sql = f"{select} FROM {INDEX_TABLE} s WHERE {where.text} ORDER BY {order}"  # noqa: S608
    elif connection.vendor == "postgresql":
        where = _all_of([text, *filters.values()])
        sql = (
            f"{select}, ts_rank(s.document, plainto_tsquery('french', unaccent(%s))) "
            f"AS relevance FROM {INDEX_TABLE} s WHERE {where.text} "
            f"ORDER BY relevance DESC, {order}"
        )
        params.append(" ".join(words))
    else:
        # bm25() is lower for a better match; the title weighs most, then code, summary and
        # disciplines, then the body, then teachers' names.
        where = _all_of(filters.values())
        sql = (
            f"{select}, m.relevance FROM {INDEX_TABLE} s JOIN ("  # noqa: S608 (constants)
            f"SELECT rowid AS course_id, -bm25({TEXT_TABLE}, 10.0, 4.0, 2.0, 1.0) AS relevance "
            f"FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH %s) m ON m.course_id = s.course_id "
            f"WHERE {where.text} ORDER BY m.relevance DESC, {order}"
        )
        params.append(fts_query(words))
    cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, *where.params, limit, offset])
    return [row[0] for row in cursor.fetchall()]


def _page_courses(ids: list[int], now: datetime.datetime) -> list[Course]:
    runs = CourseRun.objects.filter(is_published=True).order_by("start", "pk")
    found = Course.objects.filter(pk__in=ids, is_published=True).prefetch_related(
        "owners",
        "languages",
        "disciplines",
        Prefetch("runs", queryset=runs, to_attr="published_runs"),
    )
    by_id = {course.pk: course for course in found}
    courses = [by_id[course_id] for course_id in ids if course_id in by_id]
    for course in courses:
        featured = featured_run_of(list(course.published_runs), now)  # type: ignore[attr-defined]
        course.featured_run = featured  # type: ignore[attr-defined]
        course.availability = featured.state_at(now) if featured else None  # type: ignore[attr-defined]
    return courses


# --- Facet options ---------------------------------------------------------------------------


def _facet_options(
    params: CourseSearchParams, counts: dict[str, dict[str, int]], tree: _DisciplineTree
) -> dict[str, list[FacetOption]]:
    """Each facet's options: those with results, and the selected ones whatever their count.
    Fixed lists keep their order, the taxonomy its tree order, the others go by count."""
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
    ids = [int(pk) for pk in counts["institution"]]
    institutions = Institution.objects.filter(pk__in=ids) | Institution.objects.filter(
        slug__in=params.institution
    )
    candidates["institution"] = [
        option("institution", institution.slug, institution.name, str(institution.pk))
        for institution in institutions.only("pk", "slug", "name")
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


# --- The selector ----------------------------------------------------------------------------


def _refresh_if_due(state: _IndexState, now: datetime.datetime, cursor: Any) -> _IndexState:
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
    return _index_state(cursor)


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
    with connection.cursor() as cursor:
        state = _index_state(cursor)
        if real_time:
            state = _refresh_if_due(state, now, cursor)
        columns = _state_columns(now, snapshots_hold=state.holds_at(now))
        filters = _facet_filters(params, tree, columns)
        selections = tuple(params.selected(facet) for facet in FACET_NAMES)
        counts = _cached_counts(
            state,
            now,
            (tuple(words), selections),
            lambda: _counts(cursor, _text_match(words), filters, columns),
        )
        ids = _page_ids(
            cursor, words, filters, columns, limit=page_size, offset=(page - 1) * page_size
        )
    return CourseSearchResult(
        courses=_page_courses(ids, now),
        total=counts.total,
        page=page,
        page_size=page_size,
        num_pages=max(1, math.ceil(counts.total / page_size)),
        facets=_facet_options(params, counts.facets, tree),
        params=params,
        now=now,
    )
