"""Facet counts and pages of any filter combination, from bitmaps of the search index.

Why: facet counts are disjunctive (see ``search_sql``), so every new combination of selections
is a new set of courses to count, and one nobody asked before cost the database a pass over
the matching rows: 50 to 100 ms at 100,000 courses, which made the catalog's p95 under load
(docs/performance.md). Here each stored facet value is a bitmap of the index rows that have it
(a Python integer: bit ``i`` for the row of the ``i``-th smallest course id). A set of courses is
then a few ANDs and ORs of 100,000-bit integers, a count one ``bit_count()`` — about 8 µs a
value whatever the combination — and a page the first rows of the set in the catalog's order.
Words still go to the database's full-text engine, once per index state and words: the rows
matching them, in relevance order, are cached as positions (``text_match``).

When it is exact: the bitmaps are built for one ``IndexState`` — the version that every
catalog write bumps in its own transaction, and the interval where every session-state snapshot
holds — and used only while a search reads that same state. A course published, edited or
unpublished makes a new state, hence new bitmaps on the next search. Institutions (slug,
country, region) are not in the index: each search reads them, with the labels its facets show,
so an institution's edit shows at once.

Where they live: built by one process (a cache lock; the others count in SQL meanwhile), shared
through the cache (Redis in production: every process and machine uses the same build), and
kept in each process's memory while the cache still holds that build (one small read a search).
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import math
import secrets
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection

from sankore.catalog.search_index import (
    INDEX_TABLE,
    RECOGNITION_BIT,
    STATE_BIT,
    parse_facet_links,
)
from sankore.catalog.search_params import CourseSearchParams
from sankore.catalog.search_sql import IndexState

BITMAPS_CACHE_SECONDS = 600
# Longer than a build of 100,000 rows takes; a build that died frees the lock by itself.
BUILD_LOCK_SECONDS = 60
# Below one matching row in this many, a page is the set's rows sorted by rank; above, the
# first rows of the catalog's order that are in the set (a few per page at that density).
_SPARSE = 32

# The stored columns read, and how their values are keyed in ``IndexBitmaps.values``.
_COLUMNS = ("level", "recognitions", "states", "disciplines", "languages", "owners")


@dataclass(frozen=True)
class IndexBitmaps:
    """The search index of one state as bitmaps. Positions are rows in course id order."""

    token: str  # this build: cached text matches are positions in it
    course_ids: array[int]  # position → course id, ascending
    page_order: array[int]  # positions in the catalog's order without words
    rank: array[int]  # position → its place in ``page_order``
    everything: int
    # availability, level, recognition, language: value → rows; discipline: rows linked to
    # that discipline itself (its subtree is an OR, see ``discipline_sets``); owner: id → rows.
    values: dict[str, dict[str, int]]

    def positions_of(self, course_ids: Iterable[int]) -> list[int]:
        found = []
        for course_id in course_ids:
            position = bisect.bisect_left(self.course_ids, course_id)
            if position < len(self.course_ids) and self.course_ids[position] == course_id:
                found.append(position)
        return found


class Owner(NamedTuple):
    """An institution as a search reads it: for the owner facets and their labels."""

    pk: int
    slug: str
    name: str
    country: str
    region: str


# --- Building --------------------------------------------------------------------------------


def bitmap_of(positions: Iterable[int], size: int) -> int:
    if not size:
        return 0
    digits = bytearray(b"0") * size
    for position in positions:
        digits[position] = 49  # "1"
    # int() reads the most significant digit first: position 0 is the last one.
    return int(digits[::-1], 2)


def positions_in(bits: int) -> Iterator[int]:
    """The positions set in ``bits``, ascending."""
    digits = bin(bits)[:1:-1]  # least significant first, without "0b"
    position = digits.find("1")
    while position != -1:
        yield position
        position = digits.find("1", position + 1)


def _bitmaps_by_value(column: Sequence[Any]) -> dict[Any, int]:
    """The rows of each distinct value of a column, when it has fewer than 256.

    One byte per row codes its value; each value's bitmap is then a translation of those bytes
    into binary digits, read by int(): C loops, not a Python one per row.
    """
    code = {value: number for number, value in enumerate(dict.fromkeys(column))}
    codes = bytes(map(code.__getitem__, reversed(column)))
    found = {}
    for value, number in code.items():
        table = bytearray(b"0") * 256
        table[number] = 49
        found[value] = int(codes.translate(table), 2)
    return found


def _bitmaps_of_links(column: Sequence[str]) -> dict[str, int]:
    """The rows holding each value of a stored link column (``search_index.facet_links``)."""
    found: dict[str, int] = defaultdict(int)
    if len(set(column)) < 256:
        for links, bits in _bitmaps_by_value(column).items():
            for value in parse_facet_links(links):
                found[value] |= bits
        return dict(found)
    by_links: dict[str, list[int]] = defaultdict(list)
    for position, links in enumerate(column):
        by_links[links].append(position)
    positions: dict[str, list[int]] = defaultdict(list)
    for links, rows in by_links.items():
        for value in parse_facet_links(links):
            positions[value].extend(rows)
    return {value: bitmap_of(rows, len(column)) for value, rows in positions.items()}


def _masks_to_values(by_mask: dict[int, int], bits: dict[Any, int]) -> dict[str, int]:
    """Rows per choice (a state, a recognition) from rows per stored bit mask."""
    found: dict[str, int] = {}
    for choice, bit in bits.items():
        rows = 0
        for mask, mask_rows in by_mask.items():
            if mask & bit:
                rows |= mask_rows
        if rows:
            found[choice.value] = rows
    return found


def _build(rows: list[tuple[Any, ...]], ordered: list[int]) -> IndexBitmaps:
    # One tuple per column (rows are tuples of the same length: strict would cost a pass).
    ids, *values = list(zip(*rows, strict=False)) or [()] * (1 + len(_COLUMNS))
    course_ids = array("q", ids)
    size = len(course_ids)
    columns: dict[str, Sequence[Any]] = dict(zip(_COLUMNS, values, strict=True))
    by_value = {name: _bitmaps_by_value(columns[name]) for name in _COLUMNS[:3]}
    # ``ordered`` holds the same ids as the rows: sorting its places by course id gives each
    # position's place in the catalog's order, and sorting positions by place the reverse.
    rank = array("l", sorted(range(size), key=ordered.__getitem__))
    page_order = array("l", sorted(range(size), key=rank.__getitem__))
    return IndexBitmaps(
        token=secrets.token_hex(8),
        course_ids=course_ids,
        page_order=page_order,
        rank=rank,
        everything=(1 << size) - 1,
        values={
            "availability": _masks_to_values(
                {int(mask): rows for mask, rows in by_value["states"].items()}, STATE_BIT
            ),
            "recognition": _masks_to_values(
                {int(mask): rows for mask, rows in by_value["recognitions"].items()},
                RECOGNITION_BIT,
            ),
            "level": {str(level): rows for level, rows in by_value["level"].items()},
            "discipline": _bitmaps_of_links(columns["disciplines"]),
            "language": _bitmaps_of_links(columns["languages"]),
            "owner": _bitmaps_of_links(columns["owners"]),
        },
    )


def _read_index(cursor: Any) -> tuple[list[tuple[Any, ...]], list[int]]:
    # On PostgreSQL both are index-only scans, in the order of their index: the covering
    # ``catalog_course_search_facets`` (migration 0003) and ``catalog_course_search_order``.
    cursor.execute(
        f"SELECT course_id, {', '.join(_COLUMNS)} FROM {INDEX_TABLE} "  # noqa: S608 (constants)
        "ORDER BY course_id"
    )
    rows = cursor.fetchall()
    cursor.execute(
        f"SELECT course_id FROM {INDEX_TABLE} "  # noqa: S608 (constants)
        "ORDER BY availability, title_key, course_id"
    )
    return rows, [row[0] for row in cursor.fetchall()]


# --- Sharing ---------------------------------------------------------------------------------

# This process's copy of the latest build, used while the cache holds the same token.
_local: dict[str, IndexBitmaps] = {}


def _key(state: IndexState) -> str:
    identity = (connection.vendor, connection.settings_dict["NAME"], state)
    digest = hashlib.sha256(repr(identity).encode())
    return f"catalog:search-bitmaps:v1:{digest.hexdigest()}"


def cache_seconds(state: IndexState, now: datetime.datetime) -> int:
    """How long what was computed at ``now`` for ``state`` may be cached: the snapshots'
    interval ends it anyway (a search then reads another state)."""
    seconds = BITMAPS_CACHE_SECONDS
    if state.valid_until is not None:
        seconds = min(seconds, math.ceil((state.valid_until - now).total_seconds()))
    return max(seconds, 1)


def index_bitmaps(
    cursor: Any,
    *,
    state: IndexState,
    now: datetime.datetime,
    read_state: Callable[[Any], IndexState],
) -> IndexBitmaps | None:
    """The bitmaps of ``state`` (an ``IndexState`` that holds at ``now``), or None while
    another process builds them.

    ``read_state(cursor)`` reads the state again after the index: a write committed between
    the two reads would have changed it, and the build is then used by this search only.
    """
    key = _key(state)
    token = cache.get(f"{key}:token")
    local = _local.get(key)
    if token is not None and local is not None and local.token == token:
        return local
    if token is not None:
        shared: IndexBitmaps | None = cache.get(key)
        if shared is not None and shared.token == token:
            _local.clear()
            _local[key] = shared
            return shared
    if not cache.add(f"{key}:building", 1, BUILD_LOCK_SECONDS):
        return None
    try:
        rows, ordered = _read_index(cursor)
        if read_state(cursor) != state:
            return None
        built = _build(rows, ordered)
        seconds = cache_seconds(state, now)
        cache.set_many({key: built, f"{key}:token": built.token}, seconds)
        _local.clear()
        _local[key] = built
        return built
    finally:
        cache.delete(f"{key}:building")


# --- Words -----------------------------------------------------------------------------------


class TextRows(NamedTuple):
    ranked: array[int]  # positions of the matching rows, best match first
    bits: int


def text_rows(
    bitmaps: IndexBitmaps,
    *,
    state: IndexState,
    now: datetime.datetime,
    words: Sequence[str],
    ranked_ids: Callable[[], tuple[list[int], bool]],
) -> TextRows:
    """The rows matching ``words``; ``ranked_ids()`` reads their course ids, best first, and
    returns them with whether the index was unchanged meanwhile (only then are they cached)."""
    digest = hashlib.sha256(repr((_key(state), bitmaps.token, tuple(words))).encode())
    key = f"catalog:search-text:v1:{digest.hexdigest()}"
    cached: tuple[bytes, int] | None = cache.get(key)
    if cached is not None:
        return TextRows(array("l", cached[0]), cached[1])
    course_ids, unchanged = ranked_ids()
    ranked = array("l", bitmaps.positions_of(course_ids))
    bits = bitmap_of(ranked, len(bitmaps.course_ids))
    if unchanged:
        cache.set(key, (ranked.tobytes(), bits), cache_seconds(state, now))
    return TextRows(ranked, bits)


# --- Searching -------------------------------------------------------------------------------


def _any_of(sets: Iterable[int]) -> int:
    found = 0
    for rows in sets:
        found |= rows
    return found


def discipline_sets(
    bitmaps: IndexBitmaps, discipline_parents: dict[int, int | None]
) -> dict[str, int]:
    """Each discipline's rows: those linked to it or to a discipline under it (a course counts
    once however many of them it has)."""
    found: dict[str, int] = defaultdict(int)
    for linked, rows in bitmaps.values["discipline"].items():
        current: int | None = int(linked)
        seen: set[int] = set()
        while current is not None and current in discipline_parents and current not in seen:
            seen.add(current)  # the set also stops a cycle in the tree
            found[str(current)] |= rows
            current = discipline_parents[current]
    return dict(found)


def _facet_sets(
    bitmaps: IndexBitmaps, owners: Sequence[Owner], discipline_parents: dict[int, int | None]
) -> dict[str, dict[str, int]]:
    """Each facet's values and their rows, owners grouped by what the institutions say now."""
    by_owner = bitmaps.values["owner"]
    institutions = {str(owner.pk): by_owner.get(str(owner.pk), 0) for owner in owners}
    places: dict[str, dict[str, int]] = {"country": defaultdict(int), "region": defaultdict(int)}
    for owner in owners:
        rows = by_owner.get(str(owner.pk), 0)
        for place, value in (("country", owner.country), ("region", owner.region)):
            if value and rows:
                places[place][value] |= rows
    return {
        "availability": bitmaps.values["availability"],
        "discipline": discipline_sets(bitmaps, discipline_parents),
        "language": bitmaps.values["language"],
        "level": bitmaps.values["level"],
        "recognition": bitmaps.values["recognition"],
        "institution": {pk: rows for pk, rows in institutions.items() if rows},
        "country": dict(places["country"]),
        "region": dict(places["region"]),
    }


def _filters(
    bitmaps: IndexBitmaps,
    params: CourseSearchParams,
    discipline_ids: list[int],
    owners: Sequence[Owner],
) -> dict[str, int]:
    """The rows each facet with a selection keeps (its values OR-ed), as ``facet_filters``."""
    values = bitmaps.values
    by_owner = values["owner"]
    filters: dict[str, int] = {}
    for facet in ("availability", "language", "level", "recognition"):
        if params.selected(facet):
            filters[facet] = _any_of(values[facet].get(v, 0) for v in params.selected(facet))
    if params.discipline:
        linked = values["discipline"]
        filters["discipline"] = _any_of(linked.get(str(pk), 0) for pk in discipline_ids)
    for facet, attribute in (("institution", "slug"), ("country", "country"), ("region", "region")):
        chosen = set(params.selected(facet))
        if chosen:
            filters[facet] = _any_of(
                by_owner.get(str(owner.pk), 0)
                for owner in owners
                if getattr(owner, attribute) in chosen
            )
    return filters


class BitmapSearch(NamedTuple):
    total: int
    counts: dict[str, dict[str, int]]  # as ``search_sql.facet_counts`` gives them
    course_ids: list[int]  # the page


def bitmap_search(
    bitmaps: IndexBitmaps,
    *,
    params: CourseSearchParams,
    text: TextRows | None,
    discipline_ids: list[int],
    discipline_parents: dict[int, int | None],
    owners: Sequence[Owner],
    limit: int,
    offset: int,
) -> BitmapSearch:
    """The total, the disjunctive counts of every facet and one page: each facet counts over
    the words and every other facet's selection, never its own."""
    base = bitmaps.everything if text is None else text.bits
    filters = _filters(bitmaps, params, discipline_ids, owners)
    selected = base
    for rows in filters.values():
        selected &= rows
    counts: dict[str, dict[str, int]] = {}
    for facet, sets in _facet_sets(bitmaps, owners, discipline_parents).items():
        over = selected
        if facet in filters:
            over = base
            for name, rows in filters.items():
                if name != facet:
                    over &= rows
        found = {}
        if over:
            for value, rows in sets.items():
                count = (over & rows).bit_count()
                if count:
                    found[value] = count
        counts[facet] = found
    total = selected.bit_count()
    page = _page(bitmaps, selected, total, text, limit=limit, offset=offset)
    return BitmapSearch(total, counts, [bitmaps.course_ids[row] for row in page])


def _page(
    bitmaps: IndexBitmaps,
    selected: int,
    total: int,
    text: TextRows | None,
    *,
    limit: int,
    offset: int,
) -> list[int]:
    """The rows of one page: by relevance with words, else in the catalog's order."""
    if offset >= total:
        return []
    wanted = offset + limit
    if text is None and total * _SPARSE < len(bitmaps.course_ids):
        rank = bitmaps.rank
        return sorted(positions_in(selected), key=rank.__getitem__)[offset:wanted]
    member = selected.to_bytes(len(bitmaps.course_ids) // 8 + 1, "little")
    found: list[int] = []
    for row in bitmaps.page_order if text is None else text.ranked:
        if member[row >> 3] >> (row & 7) & 1:
            found.append(row)
            if len(found) == wanted:
                break
    return found[offset:]
