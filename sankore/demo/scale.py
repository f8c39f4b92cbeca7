"""``seed_demo --scale N``: N more courses and 10×N learners, fast, for benchmarks.

Speed comes from doing per chunk what the services do per row: courses, sessions, the
many-to-many rows, learners, their email addresses and enrolments are bulk-inserted, each
chunk in one transaction (an interrupted run leaves whole chunks only), with one password hash
for everyone. Session counters are computed before insertion, so they match the active
enrolments. The search index is then brought up to date in batches.

Each run is a numbered batch: codes (``BENCH-002-000017``), slugs and emails carry the number,
so running ``--scale N`` again adds N more.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Model
from tqdm import tqdm

from sankore.accounts.models import User
from sankore.catalog import search
from sankore.catalog.models import Course, CourseRun, Discipline, Pacing, RunState, Teacher
from sankore.demo import bulk
from sankore.demo.data.courses import SCALE_TITLE_QUALIFIERS, CourseText
from sankore.demo.data.people import LEARNER_COUNTRIES
from sankore.demo.plan import (
    ARABIC_OWNERS,
    OWNER_KINDS,
    SEED,
    STATE_WEIGHTS,
    course_catalog,
    top_level_of,
)
from sankore.demo.texts import (
    DAY,
    DURATIONS,
    EFFORTS,
    LEVEL_WEIGHTS,
    LICENCE_WEIGHTS,
    ascii_slug,
    course_words,
    person_name,
    run_dates,
    run_title,
    session_day,
    weighted,
)
from sankore.institutions.geography import Hemisphere, hemisphere_for_country
from sankore.institutions.models import Institution
from sankore.learning.models import Enrolment

CODE_PREFIX = "BENCH"
LEARNERS_PER_COURSE = 10
CHUNK_COURSES = 5_000  # courses per transaction, with their sessions, learners and enrolments
# The users table columns a learner row gives, in order; the others take their defaults.
LEARNER_FIELDS = ("email", "full_name", "country", "date_joined", "password")
INDEX_BATCH = 1_000  # courses per search index update
ENROLMENTS_PER_LEARNER = (0, 1, 1, 1, 2, 2, 3)

# Many-to-many tables of a course: (through model, column of the other side, _Links field).
RELATIONS: tuple[tuple[type[Model], str, str], ...] = (
    (Course.languages.through, "language_id", "languages"),
    (Course.subtitle_languages.through, "language_id", "subtitles"),
    (Course.disciplines.through, "discipline_id", "disciplines"),
    (Course.owners.through, "institution_id", "owners"),
    (Course.partners.through, "institution_id", "partners"),
    (Course.teachers.through, "teacher_id", "teachers"),
)


@dataclass
class _Reference:
    """Ids of the existing network that new courses hang on, read once."""

    owners: list[tuple[int, Hemisphere]]
    arabic_owners: list[int]
    relays: list[int]  # campuses, foundations, companies: partners only
    disciplines: dict[str, int]
    tops: dict[str, str]
    teachers_of: dict[int, list[int]]
    catalog: list[CourseText]

    @classmethod
    def load(cls) -> _Reference:
        owners, arabic, relays = [], [], []
        for pk, slug, kind, country in Institution.objects.values_list(
            "pk", "slug", "kind", "country"
        ):
            if kind in OWNER_KINDS:
                owners.append((pk, hemisphere_for_country(str(country))))
                if slug in ARABIC_OWNERS:
                    arabic.append(pk)
            else:
                relays.append(pk)
        teachers_of: dict[int, list[int]] = defaultdict(list)
        for pk, institution_id in Teacher.objects.values_list("pk", "institution_id"):
            if institution_id is not None:
                teachers_of[institution_id].append(pk)
        return cls(
            owners=owners,
            arabic_owners=arabic or [pk for pk, _side in owners],
            relays=relays,
            disciplines=dict(Discipline.objects.values_list("slug", "pk")),
            tops=top_level_of(),
            teachers_of=teachers_of,
            catalog=[text for _code, text in course_catalog()],
        )


@dataclass(frozen=True)
class _Links:
    """A new course's many-to-many rows, inserted once the course has its id."""

    languages: list[str]
    subtitles: list[str]
    disciplines: list[int]
    owners: list[int]
    partners: list[int]
    teachers: list[int]


@dataclass
class _Chunk:
    courses: list[Course] = field(default_factory=list)
    links: list[_Links] = field(default_factory=list)
    runs: list[CourseRun] = field(default_factory=list)
    run_course: list[int] = field(default_factory=list)  # index into courses, per run
    learners: list[tuple[Any, ...]] = field(default_factory=list)  # values of LEARNER_FIELDS
    # (learner index, run index, active, created at)
    enrolments: list[tuple[int, int, bool, datetime.datetime]] = field(default_factory=list)


def next_batch_number() -> int:
    last = (
        Course.objects.filter(code__startswith=f"{CODE_PREFIX}-")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return int(last.split("-")[1]) + 1 if last else 1


@dataclass(frozen=True)
class ScaleBatch:
    number: int
    course_ids: list[int]

    @property
    def code_prefix(self) -> str:
        return f"{CODE_PREFIX}-{self.number:03d}-"


def seed_scale(
    *, courses: int, now: datetime.datetime, password_hash: str, progress: bool
) -> ScaleBatch:
    """Add ``courses`` courses and ten times as many learners, as the next numbered batch."""
    batch = next_batch_number()
    rng = random.Random(SEED * 1_000 + batch)  # noqa: S311 — reproducible, not security
    reference = _Reference.load()
    new_ids: list[int] = []
    with (
        bulk.large_page_cache(),
        tqdm(total=courses, desc="Cours", unit=" cours", disable=not progress) as course_bar,
        tqdm(
            total=courses * LEARNERS_PER_COURSE,
            desc="Apprenants",
            unit=" apprenants",
            disable=not progress,
        ) as learner_bar,
    ):
        for first in range(0, courses, CHUNK_COURSES):
            size = min(CHUNK_COURSES, courses - first)
            chunk = _plan_chunk(rng, reference, batch, first, size, now, password_hash)
            with transaction.atomic():
                _insert_chunk(chunk)
            new_ids += [course.pk for course in chunk.courses]
            course_bar.update(size)
            learner_bar.update(len(chunk.learners))
        update_search_index(new_ids, progress=progress)
    return ScaleBatch(batch, new_ids)


def _plan_chunk(
    rng: random.Random,
    ref: _Reference,
    batch: int,
    first: int,
    size: int,
    now: datetime.datetime,
    password_hash: str,
) -> _Chunk:
    chunk = _Chunk()
    today = session_day(now)
    for number in range(first + 1, first + size + 1):
        text = rng.choice(ref.catalog)
        course, links = _course(rng, ref, text, batch, number, now)
        index = len(chunk.courses)
        chunk.courses.append(course)
        chunk.links.append(links)
        for run in _runs(rng, course, text.language, today):
            chunk.runs.append(run)
            chunk.run_course.append(index)
    for number in range(first * LEARNERS_PER_COURSE + 1, (first + size) * LEARNERS_PER_COURSE + 1):
        country = weighted(rng, LEARNER_COUNTRIES)
        person = person_name(rng, country)
        chunk.learners.append(
            (
                f"{person.email_local_part}.b{batch}-{number}@example.org",
                person.full_name,
                country,
                now - rng.randint(1, 900) * DAY,
                password_hash,
            )
        )
    _plan_enrolments(rng, chunk, now)
    return chunk


def _course(
    rng: random.Random,
    ref: _Reference,
    text: CourseText,
    batch: int,
    number: int,
    now: datetime.datetime,
) -> tuple[Course, _Links]:
    level = weighted(rng, LEVEL_WEIGHTS)
    top = ref.tops[text.discipline]
    words = course_words(rng, text, top, level)
    qualifier = rng.choice(SCALE_TITLE_QUALIFIERS[text.language])
    separator = " : " if text.language == "fr" else ": "
    stem = ascii_slug(text.title)[:80] or text.slug[:80]
    certificate = rng.random() < 0.2
    course = Course(
        code=f"{CODE_PREFIX}-{batch:03d}-{number:06d}",
        slug=f"{stem}-b{batch}-{number}",
        title=f"{text.title}{separator}{qualifier}",
        summary=text.summary,
        description=words.description,
        learning_outcomes=words.learning_outcomes,
        prerequisites=words.prerequisites,
        level=level,
        effort_hours_per_week=rng.choice(EFFORTS),
        duration_weeks=rng.choice(DURATIONS),
        licence=weighted(rng, LICENCE_WEIGHTS),
        offers_certificate=certificate,
        ects_credits=rng.randint(2, 6) if certificate and rng.random() < 0.5 else None,
        is_published=rng.random() >= 0.02,
        created_at=now,
        updated_at=now,
    )
    if text.language == "ar":
        owners = [rng.choice(ref.arabic_owners)]
    else:
        owners = [pk for pk, _side in rng.sample(ref.owners, rng.choice((1, 1, 1, 2)))]
    partners = []
    if rng.random() < 0.45:  # a North–South pair, as in the hand-made catalog
        side = next(s for pk, s in ref.owners if pk == owners[0])
        partners.append(rng.choice([pk for pk, s in ref.owners if s != side]))
    if ref.relays and rng.random() < 0.15:
        partners.append(rng.choice(ref.relays))
    teacher_pool = [t for owner in owners for t in ref.teachers_of.get(owner, [])]
    disciplines = [ref.disciplines[top]]
    if text.discipline != top:
        disciplines.append(ref.disciplines[text.discipline])
    links = _Links(
        languages=[text.language],
        subtitles=["en"] if text.language == "fr" and rng.random() < 0.2 else [],
        disciplines=disciplines,
        owners=owners,
        partners=[p for p in dict.fromkeys(partners) if p not in owners],
        teachers=rng.sample(teacher_pool, min(len(teacher_pool), rng.choice((1, 2, 2, 3)))),
    )
    return course, links


def _runs(
    rng: random.Random, course: Course, language: str, today: datetime.datetime
) -> Iterator[CourseRun]:
    states = [RunState.UPCOMING] if not course.is_published else [weighted(rng, STATE_WEIGHTS)]
    if states[0] != RunState.ARCHIVED and course.is_published and rng.random() < 0.4:
        states.insert(0, RunState.ARCHIVED)
    for state in states:
        self_paced = state != RunState.ARCHIVED and rng.random() < 0.3
        dates = run_dates(
            rng, state=state, today=today, weeks=course.duration_weeks, self_paced=self_paced
        )
        yield CourseRun(
            title=run_title(language, dates.start, self_paced=self_paced),
            start=dates.start,
            end=dates.end,
            enrolment_start=dates.enrolment_start,
            enrolment_end=dates.enrolment_end,
            pacing=Pacing.SELF_PACED if self_paced else Pacing.INSTRUCTOR_LED,
            capacity=rng.choice((50, 100, 500)) if rng.random() < 0.05 else None,
            created_at=course.created_at,
            updated_at=course.created_at,
        )


def _plan_enrolments(rng: random.Random, chunk: _Chunk, now: datetime.datetime) -> None:
    """Spread the chunk's learners over its sessions that have taken enrolments."""
    enrollable = [
        i
        for i, run in enumerate(chunk.runs)
        if run.enrolment_start <= now and chunk.courses[chunk.run_course[i]].is_published
    ]
    if not enrollable:
        return
    taken = [0] * len(chunk.runs)
    for learner in range(len(chunk.learners)):
        wanted = min(rng.choice(ENROLMENTS_PER_LEARNER), len(enrollable))
        for run_index in rng.sample(enrollable, wanted):
            run = chunk.runs[run_index]
            active = rng.random() >= 0.05
            if active and run.capacity is not None and taken[run_index] >= run.capacity:
                continue
            closes = min(run.enrolment_end or now, now)
            window = max((closes - run.enrolment_start).days, 1)
            created = run.enrolment_start + rng.randint(0, window - 1) * DAY
            chunk.enrolments.append((learner, run_index, active, created))
            taken[run_index] += active
    for run, count in zip(chunk.runs, taken, strict=True):
        run.enrolment_count = count


def _insert_chunk(chunk: _Chunk) -> None:
    # Courses and sessions are few (a tenth of the rows) and need their ids back: the ORM.
    Course.objects.bulk_create(chunk.courses, batch_size=bulk.BATCH_SIZE)
    _insert_relations(chunk)
    for run, course_index in zip(chunk.runs, chunk.run_course, strict=True):
        run.course_id = chunk.courses[course_index].pk
    CourseRun.objects.bulk_create(chunk.runs, batch_size=bulk.BATCH_SIZE)
    # Learners, their addresses and enrolments are the millions: plain tuples.
    after = bulk.last_pk(User)
    bulk.insert_rows(User, LEARNER_FIELDS, chunk.learners)
    pk_of = bulk.pks_after(User, after, "email")
    user_ids = [pk_of[learner[0]] for learner in chunk.learners]
    bulk.insert_rows(
        EmailAddress,
        ("user_id", "email", "verified", "primary"),
        (
            (pk, learner[0], True, True)
            for pk, learner in zip(user_ids, chunk.learners, strict=True)
        ),
    )
    bulk.insert_rows(
        Enrolment,
        ("user_id", "course_run_id", "is_active", "created_at", "updated_at"),
        (
            (user_ids[learner], chunk.runs[run].pk, active, created, created)
            for learner, run, active, created in chunk.enrolments
        ),
    )


def _insert_relations(chunk: _Chunk) -> None:
    for through, column, attribute in RELATIONS:
        bulk.insert_rows(
            through,
            ("course_id", column),
            (
                (course.pk, value)
                for course, links in zip(chunk.courses, chunk.links, strict=True)
                for value in getattr(links, attribute)
            ),
        )


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def update_search_index(course_ids: Sequence[int], *, progress: bool) -> None:
    with tqdm(
        total=len(course_ids), desc="Index de recherche", unit=" cours", disable=not progress
    ) as bar:
        for ids in _batches(course_ids, INDEX_BATCH):
            search.search_index_update(course_ids=ids)
            bar.update(len(ids))


def reindex_all(*, progress: bool) -> None:
    """Rebuild the whole course search index: in one go where the search module can, else in
    batches over every course."""
    rebuild = getattr(search, "search_index_rebuild", None)
    if callable(rebuild):
        rebuild()
        return
    update_search_index(
        list(Course.objects.order_by("pk").values_list("pk", flat=True)), progress=progress
    )
