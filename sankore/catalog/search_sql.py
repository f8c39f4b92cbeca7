"""The SQL of course search, over the index kept by ``search_index``.

Built from constants and placeholders only: user words reach the database as parameters,
already reduced to letters and digits (hence the S608 waivers below).

Facet counts are *disjunctive*: a facet counts over the query and every other facet's
selection, never its own, so ticking one value alone gives exactly the count it showed. They are
cached while the index is unchanged (its version is bumped by every write, in the write's
transaction) and every session-state snapshot holds: cached counts are then exactly what a new
computation would give.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.utils.dateparse import parse_datetime

from sankore.catalog.models import (
    Course,
    CourseRun,
    Recognition,
    RunState,
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
    fts_query,
    parse_facet_links,
)
from sankore.catalog.search_params import FACET_NAMES, CourseSearchParams
from sankore.institutions.models import Institution

FACET_CACHE_SECONDS = 600

_COURSE_LANGUAGES = Course.languages.through._meta.db_table
_COURSE_DISCIPLINES = Course.disciplines.through._meta.db_table
_COURSE_OWNERS = Course.owners.through._meta.db_table
_RUNS = CourseRun._meta.db_table
_INSTITUTIONS = Institution._meta.db_table


# --- Fragments -------------------------------------------------------------------------------


class Sql(NamedTuple):
    text: str
    params: list[Any]


def all_of(parts: Iterable[Sql]) -> Sql:
    parts = list(parts)
    if not parts:
        return Sql("1 = 1", [])
    return Sql(
        " AND ".join(f"({part.text})" for part in parts),
        [param for part in parts for param in part.params],
    )


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _masks_with_any(bits: int, width: int) -> list[int]:
    # ``column IN (masks)`` rather than ``column & bits <> 0``: the planner can estimate it.
    return [mask for mask in range(1, 1 << width) if mask & bits]


class IndexState(NamedTuple):
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


def index_state(cursor: Any) -> IndexState:
    cursor.execute(
        f"SELECT (SELECT version FROM {STATE_TABLE} WHERE id = 1), "  # noqa: S608 (constants)
        f"(SELECT MAX(states_from) FROM {INDEX_TABLE}), "
        f"(SELECT MIN(states_until) FROM {INDEX_TABLE})"
    )
    version, valid_from, valid_until = cursor.fetchone()
    return IndexState(int(version), _as_datetime(valid_from), _as_datetime(valid_until))


class StateColumns(NamedTuple):
    states: Sql  # bit mask of the states of a course's published sessions
    availability: Sql  # rank of its best state (open first, no session last)


def _live_states(now: datetime.datetime, *, aggregate: str, values: dict[RunState, int]) -> Sql:
    """``aggregate`` (``MIN({})``…) over a course's published sessions of a number per state
    at ``now``, the states being the conditions of ``run_state_filters``."""
    whens, params = [], []
    for state, condition in run_state_filters(now).items():
        query = CourseRun.objects.filter(condition).query
        sql, sql_params = query.get_compiler(connection=connection).compile(query.where)
        whens.append(f"WHEN {sql} THEN {values[state]:d}")
        params += sql_params
    case = f"CASE {' '.join(whens)} ELSE NULL END"
    return Sql(
        f"(SELECT {aggregate.format(case)} FROM {_RUNS} "  # noqa: S608 (constants)
        f"WHERE {_RUNS}.course_id = s.course_id AND {_RUNS}.is_published)",
        params,
    )


def state_columns(now: datetime.datetime, *, snapshots_hold: bool) -> StateColumns:
    if snapshots_hold:
        return StateColumns(Sql("s.states", []), Sql("s.availability", []))
    # Rows whose snapshot does not hold at ``now`` are computed from their sessions.
    at = connection.ops.adapt_datetimefield_value(now)
    holds = (
        "(s.states_from IS NULL OR s.states_from <= %s) "
        "AND (s.states_until IS NULL OR s.states_until > %s)"
    )
    mask = _live_states(now, aggregate="SUM(DISTINCT {})", values=STATE_BIT)
    rank = _live_states(now, aggregate="MIN({})", values=STATE_RANK)
    return StateColumns(
        Sql(
            f"CASE WHEN {holds} THEN s.states ELSE COALESCE({mask.text}, 0) END",
            [at, at, *mask.params],
        ),
        Sql(
            f"CASE WHEN {holds} THEN s.availability "
            f"ELSE COALESCE({rank.text}, {NO_SESSION_RANK}) END",
            [at, at, *rank.params],
        ),
    )


class TextMatch(NamedTuple):
    source: Sql  # the FROM clause, the index as ``s``
    condition: Sql


def text_match(words: Sequence[str]) -> TextMatch:
    if not words:
        return TextMatch(Sql(f"{INDEX_TABLE} s", []), Sql("1 = 1", []))
    if connection.vendor == "postgresql":
        # The query in the FROM clause: computed once, not once per row as it would be in the
        # select list (plainto_tsquery and unaccent are only STABLE).
        return TextMatch(
            Sql(
                f"{INDEX_TABLE} s CROSS JOIN plainto_tsquery('french', unaccent(%s)) AS query",
                [" ".join(words)],
            ),
            Sql("s.document @@ query", []),
        )
    return TextMatch(
        Sql(f"{INDEX_TABLE} s", []),
        Sql(
            f"s.course_id IN (SELECT rowid FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH %s)",  # noqa: S608
            [fts_query(words)],
        ),
    )


# Facets in link tables filter with a correlated EXISTS: a probe of the link table's
# (course_id, …) index per row, so a sorted scan can stop after one page, and no set of ids is
# built for a value that most courses have.


def _in_links(table: str, column: str, values: Sequence[Any]) -> Sql:
    return Sql(
        f"EXISTS (SELECT 1 FROM {table} x WHERE x.course_id = s.course_id "  # noqa: S608
        f"AND x.{column} IN ({_placeholders(values)}))",
        list(values),
    )


def _links_any(column: str, values: Sequence[Any]) -> Sql:
    """PostgreSQL: whether the row's stored ``column`` text (``search_index.facet_links``)
    holds one of ``values`` — a substring search of ``,value,`` on the row itself, no join."""
    wrapped = f"(',' || s.{column} || ',')"
    tests = [f"strpos({wrapped}, %s) > 0" for _value in values] or ["1 = 0"]
    return Sql(f"({' OR '.join(tests)})", [f",{value}," for value in values])


def _owned_by(column: str, values: Sequence[str]) -> Sql:
    if connection.vendor == "postgresql":
        # Uncorrelated: hashed once per statement, then probed per row of the single pass.
        return Sql(
            f"s.course_id IN (SELECT co.course_id FROM {_COURSE_OWNERS} co "  # noqa: S608
            f"JOIN {_INSTITUTIONS} i ON i.id = co.institution_id "
            f"WHERE i.{column} IN ({_placeholders(values)}))",
            list(values),
        )
    return Sql(
        f"EXISTS (SELECT 1 FROM {_COURSE_OWNERS} co "  # noqa: S608 (constants)
        f"JOIN {_INSTITUTIONS} i ON i.id = co.institution_id WHERE co.course_id = s.course_id "
        f"AND i.{column} IN ({_placeholders(values)}))",
        list(values),
    )


def facet_filters(
    params: CourseSearchParams, discipline_ids: list[int], columns: StateColumns
) -> dict[str, Sql]:
    """The condition on ``s`` of each facet with a selection (its values OR-ed);
    ``discipline_ids``: the selected disciplines and all their descendants."""
    filters: dict[str, Sql] = {}
    if params.availability:
        bits = sum(STATE_BIT[RunState(value)] for value in params.availability)
        masks = _masks_with_any(bits, len(STATE_BIT))
        filters["availability"] = Sql(
            f"{columns.states.text} IN ({_placeholders(masks)})", [*columns.states.params, *masks]
        )
    if params.discipline:
        ids = discipline_ids or [0]
        filters["discipline"] = (
            _links_any("disciplines", ids)
            if connection.vendor == "postgresql"
            else _in_links(_COURSE_DISCIPLINES, "discipline_id", ids)
        )
    if params.language:
        filters["language"] = (
            _links_any("languages", params.language)
            if connection.vendor == "postgresql"
            else _in_links(_COURSE_LANGUAGES, "language_id", params.language)
        )
    if params.level:
        filters["level"] = Sql(f"s.level IN ({_placeholders(params.level)})", list(params.level))
    if params.recognition:
        bits = sum(RECOGNITION_BIT[Recognition(value)] for value in params.recognition)
        masks = _masks_with_any(bits, len(RECOGNITION_BIT))
        filters["recognition"] = Sql(f"s.recognitions IN ({_placeholders(masks)})", masks)
    for facet, column in (("institution", "slug"), ("country", "country"), ("region", "region")):
        if params.selected(facet):
            filters[facet] = _owned_by(column, params.selected(facet))
    return filters


# --- Counts ----------------------------------------------------------------------------------

# Each index row carries its course's discipline ids, language codes and owner ids (see
# ``search_index.facet_links``): the counts of those facets group the matching rows by that
# short text, in one pass without a join, and each distinct text is expanded here — into a
# discipline's ancestors (the taxonomy of the search) and an owner's country and region (read
# in the same statement). A course counts once per value whatever its number of links.
_LINK_COLUMNS = {"disciplines": "disciplines", "languages": "languages", "owners": "owners"}
# The part of the counts each target (the total or a facet) is computed from.
_PART_OF = {
    "total": "scalar",
    "availability": "scalar",
    "level": "scalar",
    "recognition": "scalar",
    "discipline": "disciplines",
    "language": "languages",
    "institution": "owners",
    "country": "owners",
    "region": "owners",
}
_INSTITUTIONS_PART = -1

# Counts are computed and cached per (set of courses, part): a set is the words plus some
# facets' selections, a part is "scalar" (the rows grouped by level, recognitions and states,
# which give the total and three facets) or one of the link columns. A facet counts over the
# set that leaves out its own selection: searches with selections in common share work;
# every single-selection search reuses the counts of the whole catalog.
_SetKey = tuple[tuple[str, tuple[str, ...]], ...]
_Entry = tuple[_SetKey, str]
# Cached per entry: facet (or "scalar") → value → count.
_PartCounts = dict[str, dict[str, int]]


class _CountPlan(NamedTuple):
    sets: dict[_SetKey, Sql]  # the condition on ``s`` of each set
    parts: dict[str, _SetKey]  # target (total or facet) → the set it counts over


def _count_plan(text: TextMatch, filters: dict[str, Sql], words: Sequence[str]) -> _CountPlan:
    sets: dict[_SetKey, Sql] = {}
    parts: dict[str, _SetKey] = {}
    for target in ("total", *FACET_NAMES):
        kept = [(name, sql) for name, sql in filters.items() if name != target]
        key: _SetKey = (
            ("q", tuple(words)),
            *((name, (sql.text, *map(str, sql.params))) for name, sql in kept),
        )
        sets[key] = all_of([text.condition, *(sql for _name, sql in kept)])
        parts[target] = key
    return _CountPlan(sets, parts)


def _ancestors(discipline_parents: dict[int, int | None]) -> Any:
    @functools.cache
    def of(discipline_id: int) -> frozenset[int]:
        found: list[int] = []
        current: int | None = discipline_id
        while current is not None and current in discipline_parents and current not in found:
            found.append(current)  # the list also stops a cycle in the tree
            current = discipline_parents[current]
        return frozenset(found)

    return of


def _expand(
    part: str,
    grouped: dict[str, int],
    discipline_parents: dict[int, int | None],
    institutions: dict[int, tuple[str, str]],
) -> _PartCounts:
    """A part's counts per value from its counts per distinct link text."""
    if part == "scalar":
        return {"scalar": grouped}
    if part == "languages":
        languages: Counter[str] = Counter()
        for links, count in grouped.items():
            for code in parse_facet_links(links):
                languages[code] += count
        return {"language": dict(languages)}
    if part == "disciplines":
        ancestors = _ancestors(discipline_parents)
        disciplines: Counter[str] = Counter()
        for links, count in grouped.items():
            under: set[int] = set()
            for value in parse_facet_links(links):
                under |= ancestors(int(value))
            for discipline_id in under:
                disciplines[str(discipline_id)] += count
        return {"discipline": dict(disciplines)}
    owners: dict[str, Counter[str]] = {
        name: Counter() for name in ("institution", "country", "region")
    }
    for links, count in grouped.items():
        ids = [int(value) for value in parse_facet_links(links)]
        known = [pk for pk in ids if pk in institutions]
        for pk in known:
            owners["institution"][str(pk)] += count
        # A course whose two owners share a country counts once there.
        for place, index in (("country", 0), ("region", 1)):
            for value in {institutions[pk][index] for pk in known} - {""}:
                owners[place][value] += count
    return {name: dict(counter) for name, counter in owners.items()}


_IN_ROW_FACETS = frozenset({"availability", "level", "recognition"})


def _reads_index_in_order(key: _SetKey) -> bool:
    """Whether SQLite counts this set straight from its indexes: no words, only filters on
    the index row's own columns."""
    words = dict(key)["q"]
    return (
        connection.vendor == "sqlite"
        and not words
        and all(name in _IN_ROW_FACETS for name, _sql in key[1:])
    )


def _compute_parts(
    cursor: Any,
    text: TextMatch,
    columns: StateColumns,
    missing: list[_Entry],
    plan: _CountPlan,
    discipline_parents: dict[int, int | None],
) -> dict[_Entry, _PartCounts]:
    """The missing (set, part) counts, in one statement, a branch per part.

    A set is materialized (a CTE) and read by each of its parts; on PostgreSQL a broad one is
    an index-only scan of ``catalog_course_search_facets``. On SQLite a set without words or
    link-table filters is rather read by each branch from a covering index in the order of its
    ``GROUP BY`` (migration 0003), instead of sorting 100,000 rows per facet.
    """
    set_keys = list(dict.fromkeys(key for key, _part in missing))
    direct = {key for key in set_keys if _reads_index_in_order(key)}
    ctes, params, branches = [], [], []
    for number, key in enumerate(set_keys):
        if key not in direct:
            where = plan.sets[key]
            ctes.append(
                f"m{number} AS MATERIALIZED (SELECT s.level, s.recognitions, "  # noqa: S608
                f"{columns.states.text} AS states, s.disciplines, s.languages, s.owners "
                f"FROM {text.source.text} WHERE {where.text})"
            )
            params += [*columns.states.params, *text.source.params, *where.params]
    for number, (key, part) in enumerate(missing):
        if key in direct:  # the index itself, as ``s`` (the alias of the conditions)
            m, rows, states = "s", text.source.text, columns.states
            condition = plan.sets[key]
            where = Sql(f" WHERE {condition.text}", [*text.source.params, *condition.params])
        else:
            m, rows, states = "m", f"m{set_keys.index(key)} m", Sql("m.states", [])
            where = Sql("", [])
        if part == "scalar":
            # Grouped first in the order of the languages' index (SQLite reads it in order),
            # then by value: a few hundred rows.
            branch = Sql(
                "SELECT g.value, SUM(g.n) AS n FROM ("  # noqa: S608
                f"SELECT {m}.level || ':' || CAST({m}.recognitions AS VARCHAR(4)) || ':' "
                f"|| CAST({states.text} AS VARCHAR(4)) AS value, COUNT(*) AS n FROM {rows}"
                f"{where.text} GROUP BY {m}.languages, {states.text}, {m}.level, "
                f"{m}.recognitions) g GROUP BY g.value",
                [*states.params, *where.params, *states.params],
            )
        else:
            column = _LINK_COLUMNS[part]
            branch = Sql(
                f"SELECT {m}.{column} AS value, COUNT(*) AS n FROM {rows}{where.text} "  # noqa: S608
                f"GROUP BY {m}.{column}",
                where.params,
            )
        branches.append(f"SELECT {number:d} AS part, b.value, b.n FROM ({branch.text}) b")  # noqa: S608
        params += branch.params
    if any(part == "owners" for _key, part in missing):
        # Countries and regions as they are now (institution edits do not touch the index).
        branches.append(
            f"SELECT {_INSTITUTIONS_PART:d} AS part, CAST(i.id AS VARCHAR(20)) || ':' "  # noqa: S608
            f"|| i.country || ':' || i.region AS value, 0 AS n FROM {_INSTITUTIONS} i"
        )
    with_ctes = f"WITH {', '.join(ctes)} " if ctes else ""
    cursor.execute(f"{with_ctes}{' UNION ALL '.join(branches)}", params)
    grouped: dict[_Entry, dict[str, int]] = {entry: {} for entry in missing}
    institutions: dict[int, tuple[str, str]] = {}
    for number, value, count in cursor.fetchall():
        if number == _INSTITUTIONS_PART:
            pk, country, region = str(value).split(":", 2)
            institutions[int(pk)] = (country, region)
        else:
            grouped[missing[number]][str(value)] = int(count)
    return {
        entry: _expand(entry[1], counts, discipline_parents, institutions)
        for entry, counts in grouped.items()
    }


def _compute_parts_in_one_pass(
    cursor: Any,
    text: TextMatch,
    columns: StateColumns,
    missing: list[_Entry],
    plan: _CountPlan,
    filters: dict[str, Sql],
    discipline_parents: dict[int, int | None],
) -> dict[_Entry, _PartCounts]:
    """PostgreSQL: the missing (set, part) counts, in one statement over one pass of the rows.

    Every facet filter is a test of the row (see ``facet_filters``), so each row gets a bit per
    filter it passes (``f``). The sets a search counts over are the query with every filter but
    at most one: the rows read are those failing at most one filter, grouped once by ``f`` and
    each part's columns with ``GROUPING SETS``; each set then sums the groups whose ``f`` it
    admits. A broad read is an index-only scan of ``catalog_course_search_facets``. (On SQLite
    the same single pass measured slower than ``_compute_parts``: see docs/performance.md.)
    """
    names = list(filters)
    full = (1 << len(names)) - 1
    admitted: dict[_SetKey, set[int]] = {}
    for target, key in plan.parts.items():
        masks = {full}
        if target in filters:
            masks.add(full ^ (1 << names.index(target)))
        admitted[key] = masks
    # Only the rows and the grouping sets the missing entries need: when the sets leaving one
    # filter out are cached (their facets were asked alone before), the filters go to the WHERE
    # clause and only the matching rows are grouped.
    read = sorted(set().union(*(admitted[key] for key, _part in missing)))
    parts = {part for _key, part in missing}
    if read == [full]:
        flag = Sql(f"{full:d}", [])
        where = all_of([text.condition, *filters.values()])
    else:
        flag = Sql(
            " + ".join(
                f"CASE WHEN {filters[name].text} THEN {1 << number:d} ELSE 0 END"
                for number, name in enumerate(names)
            ),
            [param for name in names for param in filters[name].params],
        )
        where = text.condition
    rows = Sql(
        f"SELECT {flag.text} AS f, s.level, s.recognitions, {columns.states.text} AS states, "  # noqa: S608
        f"s.languages, s.disciplines, s.owners FROM {text.source.text} WHERE {where.text}",
        [*flag.params, *columns.states.params, *text.source.params, *where.params],
    )
    # A column no grouping set holds is selected as NULL (and counted as not grouped in ``g``).
    scalar = bool({"scalar", "languages"} & parts)
    by_discipline, by_owner = "disciplines" in parts, "owners" in parts
    grouping_sets = ", ".join(
        grouping_set
        for grouping_set, needed in (
            ("(r.f, r.level, r.recognitions, r.states, r.languages)", scalar),
            ("(r.f, r.disciplines)", by_discipline),
            ("(r.f, r.owners)", by_owner),
        )
        if needed
    )
    selected = (
        f"{'GROUPING(r.disciplines)' if by_discipline else '1'} * 2 "
        f"+ {'GROUPING(r.owners)' if by_owner else '1'} AS g, r.f, "
        + ("r.level, r.recognitions, r.states, r.languages, " if scalar else "NULL, 0, 0, NULL, ")
        + ("r.disciplines, " if by_discipline else "NULL, ")
        + ("r.owners" if by_owner else "NULL")
    )
    institutions_branch = (
        # Countries and regions as they are now (institution edits do not touch the index).
        f" UNION ALL SELECT {_INSTITUTIONS_PART:d}, 0, i.country, 0, 0, i.region, "  # noqa: S608
        f"CAST(i.id AS VARCHAR(20)), '', 0 FROM {_INSTITUTIONS} i"
    )
    admit = Sql("", []) if read == [full] else Sql(f" WHERE r.f IN ({_placeholders(read)})", read)
    # OFFSET 0 keeps the subquery whole: each row's filters are evaluated once, not once
    # per grouping set.
    sql = (
        f"SELECT {selected}, COUNT(*) AS n "  # noqa: S608
        f"FROM ({rows.text} OFFSET 0) r{admit.text} GROUP BY GROUPING SETS ("
        f"{grouping_sets}){institutions_branch}"
    )
    params = [*rows.params, *admit.params]
    cursor.execute(sql, params)
    grouped: dict[_Entry, Counter[str]] = {entry: Counter() for entry in missing}
    institutions: dict[int, tuple[str, str]] = {}
    # The grouping set of a row (``GROUPING`` of disciplines and owners) → the parts it feeds.
    feeds = {3: ("scalar", "languages"), 1: ("disciplines",), 2: ("owners",)}
    for g, f, level, recognitions, states, languages, disciplines, owners, n in cursor.fetchall():
        if g == _INSTITUTIONS_PART:
            institutions[int(disciplines)] = (str(level), str(languages))
            continue
        values = {
            "scalar": f"{level}:{recognitions}:{states}",
            "languages": languages,
            "disciplines": disciplines,
            "owners": owners,
        }
        for entry in missing:
            key, part = entry
            if part in feeds[g] and f in admitted[key]:
                grouped[entry][str(values[part])] += int(n)
    return {
        entry: _expand(entry[1], dict(counts), discipline_parents, institutions)
        for entry, counts in grouped.items()
    }


def facet_counts(
    cursor: Any,
    state: IndexState,
    now: datetime.datetime,
    text: TextMatch,
    filters: dict[str, Sql],
    columns: StateColumns,
    words: Sequence[str],
    discipline_parents: dict[int, int | None],
) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and each facet's counts: from the cache, the missing ones in one query.

    ``discipline_parents``: each discipline's parent id, the taxonomy the search reads.
    Cached only while every session-state snapshot holds at ``now``, under the index version
    and the snapshots' common interval: the counts are then exactly what a new computation
    would give. Otherwise rows computed from their sessions may change state any second.
    """
    plan = _count_plan(text, filters, words)
    entries = list(dict.fromkeys((plan.parts[t], _PART_OF[t]) for t in plan.parts))
    cacheable = state.holds_at(now)

    def cache_key(entry: _Entry) -> str:
        digest = hashlib.sha256(repr((connection.vendor, state, entry)).encode()).hexdigest()
        return f"catalog:search-counts:v3:{digest}"

    keys = {entry: cache_key(entry) for entry in entries}
    cached = cache.get_many(list(keys.values())) if cacheable else {}
    found = {entry: cached[key] for entry, key in keys.items() if key in cached}
    missing = [entry for entry in entries if entry not in found]
    if missing:
        if connection.vendor == "postgresql":
            computed = _compute_parts_in_one_pass(
                cursor, text, columns, missing, plan, filters, discipline_parents
            )
        else:
            computed = _compute_parts(cursor, text, columns, missing, plan, discipline_parents)
        found.update(computed)
        if cacheable:
            seconds = FACET_CACHE_SECONDS
            if state.valid_until is not None:
                seconds = min(seconds, math.ceil((state.valid_until - now).total_seconds()))
            cache.set_many({keys[entry]: computed[entry] for entry in missing}, max(seconds, 1))
    total = 0
    facets: dict[str, Counter[str]] = {facet: Counter() for facet in FACET_NAMES}
    for target, key in plan.parts.items():
        part = _PART_OF[target]
        counts = found[(key, part)]
        if part != "scalar":
            facets[target].update(counts[target])
            continue
        for value, count in counts["scalar"].items():
            level, recognitions, states = value.split(":")
            if target == "total":
                total += count
            elif target == "level":
                facets["level"][level] += count
            else:
                mask, bits = (
                    (int(states), STATE_BIT)
                    if target == "availability"
                    else (int(recognitions), RECOGNITION_BIT)
                )
                for choice, bit in bits.items():
                    if mask & bit:
                        facets[target][choice.value] += count
    return total, {facet: dict(counter) for facet, counter in facets.items()}


# --- Page ------------------------------------------------------------------------------------


def _ordered_sql(
    words: Sequence[str], filters: dict[str, Sql], columns: StateColumns
) -> tuple[Sql, str]:
    """The ids of the matching rows and their order: by relevance with words (then as
    without), else by availability, title and id."""
    order = "avail_rank, s.title_key, s.course_id"
    select = Sql(
        f"SELECT s.course_id, {columns.availability.text} AS avail_rank",
        columns.availability.params,
    )
    text = text_match(words)
    where = all_of([text.condition, *filters.values()])
    if not words:
        sql = Sql(f"{select.text} FROM {text.source.text}", select.params + text.source.params)
    elif connection.vendor == "postgresql":
        order = f"relevance DESC, {order}"
        sql = Sql(
            f"{select.text}, ts_rank(s.document, query) AS relevance FROM {text.source.text}",
            select.params + text.source.params,
        )
    else:
        # bm25() is lower for a better match. Weights as ts_rank's on PostgreSQL: the title
        # most, then code, summary and disciplines, then the body, then teachers' names.
        order = f"m.relevance DESC, {order}"
        where = all_of(filters.values())
        sql = Sql(
            f"{select.text}, m.relevance FROM {INDEX_TABLE} s JOIN ("  # noqa: S608
            f"SELECT rowid AS course_id, -bm25({TEXT_TABLE}, 10.0, 4.0, 2.0, 1.0) AS relevance "
            f"FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH %s) m ON m.course_id = s.course_id",
            [*select.params, fts_query(words)],
        )
    return Sql(f"{sql.text} WHERE {where.text}", [*sql.params, *where.params]), order


def page_ids(
    cursor: Any,
    words: Sequence[str],
    filters: dict[str, Sql],
    columns: StateColumns,
    *,
    limit: int,
    offset: int,
) -> list[int]:
    sql, order = _ordered_sql(words, filters, columns)
    cursor.execute(f"{sql.text} ORDER BY {order} LIMIT %s OFFSET %s", [*sql.params, limit, offset])
    return [row[0] for row in cursor.fetchall()]


def ranked_ids(cursor: Any, words: Sequence[str], columns: StateColumns) -> list[int]:
    """Every row matching ``words``, in the order of their pages: filtering this list gives
    the pages of any selection (``search_bitmaps``)."""
    sql, order = _ordered_sql(words, {}, columns)
    cursor.execute(f"{sql.text} ORDER BY {order}", sql.params)
    return [row[0] for row in cursor.fetchall()]
