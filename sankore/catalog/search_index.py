"""The course search index: what it holds and how every catalog write keeps it current.

The tables (migration 0002) hold one row per *published* course:

- its catalog text — on PostgreSQL a weighted ``tsvector`` (``french`` configuration over
  ``unaccent``); on SQLite an FTS5 row of text stemmed here with Snowball's French stemmer, as
  FTS5 has none. Either way the words are first folded here (lower case, no accents, no
  punctuation), so both engines see the same words and a query can never carry an operator;
- what search filters and sorts on without joins: level, recognitions, a folded title;
- what facets count on without joins (migration 0003): its discipline ids, language codes and
  owning institution ids, each sorted and comma-separated (``facet_links``);
- a *snapshot* of its sessions' states (a bit mask, and the rank of the best state) with the
  interval ``[states_from, states_until)`` in which it holds. A session's state only changes at
  one of its four dates, so between the latest of those dates before the snapshot and the next
  one after it, the snapshot is exact. The selector recomputes rows whose interval does not
  contain its ``now``; ``search_index_refresh_states`` moves expired snapshots forward.

The index stores only what the course itself says: not institution names (institutions is a
lower layer, whose writes cannot reach this index).
"""

from __future__ import annotations

import datetime
import functools
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import snowballstemmer
from django.db import connection, transaction
from django.utils import timezone

from sankore.catalog.models import Course, CourseRun, Recognition, RunState
from sankore.core.text import fold

INDEX_TABLE = "catalog_course_search"
TEXT_TABLE = "catalog_course_search_text"  # SQLite only
STATE_TABLE = "catalog_course_search_state"
_CHUNK = 500

STATE_BIT = {RunState.OPEN: 1, RunState.UPCOMING: 2, RunState.ONGOING: 4, RunState.ARCHIVED: 8}
STATE_RANK = {RunState.OPEN: 0, RunState.UPCOMING: 1, RunState.ONGOING: 2, RunState.ARCHIVED: 3}
NO_SESSION_RANK = 4
RECOGNITION_BIT = {Recognition.ATTESTATION: 1, Recognition.CERTIFICATE: 2, Recognition.ECTS: 4}

# --- Words -----------------------------------------------------------------------------------

# Letters that NFKD does not decompose; unaccent maps them the same way.
_WORD = re.compile(r"[^\W_]+")
# French function words, without accents (they are compared after folding): they mean nothing
# to search. It covers PostgreSQL's ``french`` stop words, so both engines drop the same ones.
STOP_WORDS = frozenset(
    """a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez
    aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayez
    ayons c ce ceci cela ces cet cette d dans de des du elle elles en es est et etaient
    etais etait etant ete etes etiez etions etre eu eue eues eurent eus eut eux fus fut
    furent il ils j je l la le les leur leurs lui m ma mais me mes moi mon n ne nos notre
    nous on ont ou par pas pour qu que qui s sa se sera serai seraient serais serait seras
    serez seriez serions serons seront ses soi soient sois soit sommes son sont soyez
    soyons suis sur t ta te tes toi ton tu un une vos votre vous y""".split()  # noqa: SIM905
)


def search_words(text: str) -> list[str]:
    """The folded words of ``text`` that search compares; punctuation and operators vanish."""
    return [word for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


_stemmer = snowballstemmer.stemmer("french")
_stemmer_lock = threading.Lock()  # a Snowball stemmer keeps its working state on the instance


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The French stem of a folded word, folded again: « economique » → « econom »."""
    with _stemmer_lock:
        stemmed: str = _stemmer.stemWord(word)
    return fold(stemmed)


def fts_query(words: Sequence[str]) -> str:
    """An FTS5 query matching rows with every word: each stem a quoted string of letters and
    digits, so FTS5 sees no operator, column filter or phrase syntax from the user."""
    return " ".join(f'"{stemmed}"' for stemmed in dict.fromkeys(stem(word) for word in words))


# --- Session states --------------------------------------------------------------------------


class Snapshot(NamedTuple):
    states: int
    availability: int
    valid_from: datetime.datetime | None
    valid_until: datetime.datetime | None


def snapshot_of(runs: Sequence[CourseRun], now: datetime.datetime) -> Snapshot:
    """The states of a course's published sessions at ``now``, and the interval where they
    hold: from its sessions' latest date at or before ``now`` to the next one after it."""
    states = {run.state_at(now) for run in runs}
    dates = [
        date
        for run in runs
        for date in (run.enrolment_start, run.enrolment_end, run.start, run.end)
        if date is not None
    ]
    return Snapshot(
        states=sum(STATE_BIT[state] for state in states),
        availability=min((STATE_RANK[state] for state in states), default=NO_SESSION_RANK),
        valid_from=max((date for date in dates if date <= now), default=None),
        valid_until=min((date for date in dates if date > now), default=None),
    )


def _published_runs_by_course(course_ids: Sequence[int]) -> dict[int, list[CourseRun]]:
    runs: dict[int, list[CourseRun]] = defaultdict(list)
    for run in CourseRun.objects.filter(course_id__in=course_ids, is_published=True).only(
        "course_id", "start", "end", "enrolment_start", "enrolment_end"
    ):
        runs[run.course_id].append(run)
    return runs


# --- Facet links ----------------------------------------------------------------------------


def facet_links(values: Iterable[int | str]) -> str:
    """A course's ids in one link table as the index stores them: sorted, comma-separated."""
    return ",".join(sorted({str(value) for value in values}, key=lambda v: (len(v), v)))


def parse_facet_links(text: str) -> set[str]:
    return {value for value in text.split(",") if value}


# --- Writing ---------------------------------------------------------------------------------

_COURSE_FIELDS = (
    "pk",
    "code",
    "title",
    "summary",
    "description",
    "learning_outcomes",
    "prerequisites",
    "level",
    "offers_attestation",
    "offers_certificate",
    "ects_credits",
)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _words(*texts: str) -> str:
    return " ".join(word for text in texts for word in search_words(text))


def _index_rows(course_ids: Sequence[int], now: datetime.datetime) -> list[list[Any]]:
    """The index rows of these courses (the published ones), text in four weighted parts:
    title; code, summary and disciplines; description, outcomes and prerequisites; teachers."""
    courses = list(
        Course.objects.filter(pk__in=course_ids, is_published=True).values(*_COURSE_FIELDS)
    )
    ids = [course["pk"] for course in courses]
    disciplines: dict[int, list[str]] = defaultdict(list)
    discipline_ids: dict[int, list[int]] = defaultdict(list)
    for course_id, discipline_id, name_fr, name_en in Course.disciplines.through.objects.filter(
        course_id__in=ids
    ).values_list("course_id", "discipline_id", "discipline__name_fr", "discipline__name_en"):
        disciplines[course_id] += [name_fr, name_en]
        discipline_ids[course_id].append(discipline_id)
    languages: dict[int, list[str]] = defaultdict(list)
    for course_id, code in Course.languages.through.objects.filter(course_id__in=ids).values_list(
        "course_id", "language_id"
    ):
        languages[course_id].append(code)
    owners: dict[int, list[int]] = defaultdict(list)
    for course_id, institution_id in Course.owners.through.objects.filter(
        course_id__in=ids
    ).values_list("course_id", "institution_id"):
        owners[course_id].append(institution_id)
    teachers: dict[int, list[str]] = defaultdict(list)
    for course_id, full_name in Course.teachers.through.objects.filter(
        course_id__in=ids
    ).values_list("course_id", "teacher__full_name"):
        teachers[course_id].append(full_name)
    runs = _published_runs_by_course(ids)
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for course in courses:
        pk = course["pk"]
        snapshot = snapshot_of(runs[pk], now)
        recognitions = (
            RECOGNITION_BIT[Recognition.ATTESTATION] * course["offers_attestation"]
            + RECOGNITION_BIT[Recognition.CERTIFICATE] * course["offers_certificate"]
            + RECOGNITION_BIT[Recognition.ECTS] * (course["ects_credits"] is not None)
        )
        rows.append(
            [
                pk,
                course["level"],
                recognitions,
                fold(course["title"]),
                snapshot.states,
                snapshot.availability,
                adapt(snapshot.valid_from),
                adapt(snapshot.valid_until),
                facet_links(discipline_ids[pk]),
                facet_links(languages[pk]),
                facet_links(owners[pk]),
                _words(course["title"]),
                _words(course["code"], course["summary"], *disciplines[pk]),
                _words(course["description"], course["learning_outcomes"], course["prerequisites"]),
                _words(*teachers[pk]),
            ]
        )
    return rows


_COLUMNS = (
    "course_id, level, recognitions, title_key, states, availability, states_from, states_until, "
    "disciplines, languages, owners"
)
_TEXT_START = 11  # the four weighted texts follow the columns in a row
# unaccent is not IMMUTABLE: the vector is computed when written, not as a generated column.
_DOCUMENT = " || ".join(
    f"setweight(to_tsvector('french', unaccent(%s)), '{weight}')" for weight in "ABCD"
)


def _write_rows(cursor: Any, rows: list[list[Any]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        cursor.executemany(
            f"INSERT INTO {INDEX_TABLE} ({_COLUMNS}, document) "  # noqa: S608 (constants)
            f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, {_DOCUMENT})",
            rows,
        )
        return
    cursor.executemany(
        f"INSERT INTO {INDEX_TABLE} ({_COLUMNS}) "  # noqa: S608 (constants)
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [row[:_TEXT_START] for row in rows],
    )
    cursor.executemany(
        f"INSERT INTO {TEXT_TABLE} (rowid, title, keywords, body, people) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s)",
        [
            [row[0], *(" ".join(map(stem, part.split())) for part in row[_TEXT_START:])]
            for row in rows
        ],
    )


def _delete_rows(cursor: Any, course_ids: Sequence[int] | None) -> None:
    """Delete the rows of these courses, or every row."""
    keys = {INDEX_TABLE: "course_id"}
    if connection.vendor == "sqlite":
        keys[TEXT_TABLE] = "rowid"
    for table, key in keys.items():
        if course_ids is None:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (constants)
        else:
            placeholders = ", ".join(["%s"] * len(course_ids))
            cursor.execute(
                f"DELETE FROM {table} WHERE {key} IN ({placeholders})",  # noqa: S608
                list(course_ids),
            )


def search_index_version() -> int:
    """The index's version: it changes in the transaction of every catalog write."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {STATE_TABLE} WHERE id = 1")  # noqa: S608
        return int(cursor.fetchone()[0])


def _bump_version(cursor: Any) -> None:
    # Cached facet counts are keyed by this version: every process sees the change at once.
    cursor.execute(f"UPDATE {STATE_TABLE} SET version = version + 1 WHERE id = 1")  # noqa: S608


def search_index_update(*, course_ids: Iterable[int]) -> None:
    """Bring the search documents of these courses up to date (deleted ones are removed).

    Services call it in the transaction of their write, so the index never disagrees with the
    catalog. Batches of 500 courses cost a handful of queries each.
    """
    ids = sorted({int(course_id) for course_id in course_ids})
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(ids):
            _delete_rows(cursor, chunk)
            _write_rows(cursor, _index_rows(chunk, now))
        # Even without a course (a discipline moved in the tree), cached counts must go.
        _bump_version(cursor)


def search_index_rebuild() -> int:
    """Index every published course afresh; returns how many were indexed."""
    now = timezone.now()
    ids = list(Course.objects.filter(is_published=True).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        _delete_rows(cursor, None)
        for chunk in _chunks(ids):
            _write_rows(cursor, _index_rows(chunk, now))
        _bump_version(cursor)
    return len(ids)


def search_index_refresh_states(*, now: datetime.datetime | None = None, limit: int = 0) -> int:
    """Take a new snapshot of session states wherever the stored one does not hold at ``now``
    (at most ``limit`` courses if given); returns how many courses were refreshed.

    Searches are exact without it, and faster with it: the selector calls it when it finds
    expired snapshots; a periodic task may call it too.
    """
    now = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT course_id FROM {INDEX_TABLE} "  # noqa: S608 (constants)
            "WHERE states_until <= %s OR states_from > %s ORDER BY course_id"
            + (f" LIMIT {int(limit)}" if limit else ""),
            [adapt(now), adapt(now)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for chunk in _chunks(ids):
            runs = _published_runs_by_course(chunk)
            snapshots = [(snapshot_of(runs[course_id], now), course_id) for course_id in chunk]
            cursor.executemany(
                f"UPDATE {INDEX_TABLE} SET states = %s, availability = %s, "  # noqa: S608
                "states_from = %s, states_until = %s WHERE course_id = %s",
                [
                    [s.states, s.availability, adapt(s.valid_from), adapt(s.valid_until), pk]
                    for s, pk in snapshots
                ],
            )
        if ids:
            # A snapshot expired early (a session changed outside the services) may come back
            # with the same interval as before: counts cached then must not serve again.
            _bump_version(cursor)
    return len(ids)
