"""Reads of course content for the player, the studio and other apps."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.dateparse import parse_datetime

from sankore.catalog.models import CourseRun, Pacing
from sankore.courseware.models import (
    Asset,
    Block,
    Chapter,
    CoursewareDraft,
    PublishedBlock,
    PublishedOutline,
    Unit,
)
from sankore.courseware.registry import Completion


def _count_in(done: AbstractSet[str], keys: list[str]) -> int:
    return sum(1 for key in keys if key in done)


@dataclass(frozen=True)
class ExamWindow:
    """A supervised exam: open from ``opens_at`` to ``closes_at``, to candidates who typed
    the access code whose digest is kept."""

    opens_at: datetime.datetime
    closes_at: datetime.datetime
    code_digest: str

    def is_open(self, *, now: datetime.datetime) -> bool:
        return self.opens_at <= now < self.closes_at


@dataclass(frozen=True)
class OutlineUnit:
    key: str
    title: str
    duration_minutes: int | None
    objectives: list[str]
    free_preview: bool
    blocks: list[dict[str, Any]]
    chapter_key: str
    index: int  # position in the whole course, from 0
    due_at: datetime.datetime | None = None
    due_days_after_enrolment: int | None = None
    pool_size: int | None = None  # each learner gets this many of the unit's problems
    exam: ExamWindow | None = None

    def due_for(self, *, enrolled_at: datetime.datetime | None) -> datetime.datetime | None:
        """When this unit's problems stop taking answers for a learner enrolled then (a
        supervised exam's close, at the latest)."""
        due = self.due_at
        if self.due_days_after_enrolment is not None and enrolled_at is not None:
            due = enrolled_at + datetime.timedelta(days=self.due_days_after_enrolment)
        if self.exam is not None:
            due = min(due, self.exam.closes_at) if due is not None else self.exam.closes_at
        return due

    @property
    def block_keys(self) -> list[str]:
        return [block["key"] for block in self.blocks]

    @property
    def problem_keys(self) -> list[str]:
        """The blocks answered by submitting, in the unit's order: what a pool draws from."""
        return [b["key"] for b in self.blocks if b.get("completion") == Completion.SUBMIT]

    def completion_counts(self, done: AbstractSet[str]) -> tuple[int, int]:
        """(completed, to complete) for a learner who completed ``done``: a pool's problems
        count as many as each learner draws."""
        if self.pool_size is None:
            keys = self.block_keys
            return _count_in(done, keys), len(keys)
        problems = self.problem_keys
        others = [key for key in self.block_keys if key not in problems]
        answered = min(_count_in(done, problems), self.pool_size)
        return _count_in(done, others) + answered, len(others) + self.pool_size


@dataclass(frozen=True)
class OutlineChapter:
    key: str
    title: str
    release_at: datetime.datetime | None
    units: list[OutlineUnit]

    def is_released(self, *, now: datetime.datetime, pacing: str) -> bool:
        if pacing == Pacing.SELF_PACED or self.release_at is None:
            return True
        return self.release_at <= now

    @property
    def block_keys(self) -> list[str]:
        return [key for unit in self.units for key in unit.block_keys]

    def completion_counts(self, done: AbstractSet[str]) -> tuple[int, int]:
        counts = [unit.completion_counts(done) for unit in self.units]
        return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _exam_window(data: dict[str, str] | None) -> ExamWindow | None:
    if not data:
        return None
    opens, closes = parse_datetime(data["opens_at"]), parse_datetime(data["closes_at"])
    assert opens is not None
    assert closes is not None
    return ExamWindow(opens_at=opens, closes_at=closes, code_digest=data["code_digest"])


class Outline:
    """A published (or previewed) outline, navigable without another query."""

    def __init__(self, data: dict[str, Any], *, version: int = 0) -> None:
        self.version = version
        self.asset_units: dict[str, list[str]] = data.get("assets", {})
        self.chapters: list[OutlineChapter] = []
        index = 0
        for chapter in data.get("chapters", []):
            units = []
            for unit in chapter["units"]:
                units.append(
                    OutlineUnit(
                        key=unit["key"],
                        title=unit["title"],
                        duration_minutes=unit.get("duration_minutes"),
                        objectives=list(unit.get("objectives", [])),
                        free_preview=bool(unit.get("free_preview")),
                        blocks=list(unit.get("blocks", [])),
                        chapter_key=chapter["key"],
                        index=index,
                        due_at=parse_datetime(unit["due_at"]) if unit.get("due_at") else None,
                        due_days_after_enrolment=unit.get("due_days_after_enrolment"),
                        pool_size=unit.get("pool_size"),
                        exam=_exam_window(unit.get("exam")),
                    )
                )
                index += 1
            release = chapter.get("release_at")
            self.chapters.append(
                OutlineChapter(
                    key=chapter["key"],
                    title=chapter["title"],
                    release_at=parse_datetime(release) if release else None,
                    units=units,
                )
            )
        self._units = [unit for chapter in self.chapters for unit in chapter.units]
        self._unit_by_key = {unit.key: unit for unit in self._units}
        self._chapter_by_key = {chapter.key: chapter for chapter in self.chapters}

    def units(self) -> Iterator[OutlineUnit]:
        return iter(self._units)

    def unit(self, key: str) -> OutlineUnit | None:
        return self._unit_by_key.get(key)

    def chapter_of(self, unit: OutlineUnit) -> OutlineChapter:
        return self._chapter_by_key[unit.chapter_key]

    def neighbours(self, unit: OutlineUnit) -> tuple[OutlineUnit | None, OutlineUnit | None]:
        previous = self._units[unit.index - 1] if unit.index > 0 else None
        following = self._units[unit.index + 1] if unit.index + 1 < len(self._units) else None
        return previous, following

    @property
    def block_keys(self) -> list[str]:
        return [key for unit in self._units for key in unit.block_keys]

    def block(self, key: str) -> tuple[OutlineUnit, dict[str, Any]] | None:
        for unit in self._units:
            for block in unit.blocks:
                if block["key"] == key:
                    return unit, block
        return None

    def completion_counts(self, done: AbstractSet[str]) -> tuple[int, int]:
        counts = [unit.completion_counts(done) for unit in self._units]
        return sum(c[0] for c in counts), sum(c[1] for c in counts)

    @property
    def unit_count(self) -> int:
        return len(self._units)


def publication_current(*, course_run_id: int) -> PublishedOutline | None:
    """The newest publication of a session (one query), or None before the first."""
    return PublishedOutline.objects.filter(course_run_id=course_run_id).order_by("-version").first()


def publication_by_id(*, publication_id: int) -> PublishedOutline:
    return PublishedOutline.objects.get(pk=publication_id)


def outline_of(publication: PublishedOutline) -> Outline:
    return Outline(publication.outline, version=publication.version)


def published_blocks_of_unit(*, publication_id: int, unit_key: str) -> list[PublishedBlock]:
    return list(
        PublishedBlock.objects.filter(publication_id=publication_id, unit_key=unit_key).order_by(
            "position"
        )
    )


def published_block(*, publication_id: int, key: str) -> PublishedBlock | None:
    return PublishedBlock.objects.filter(publication_id=publication_id, key=key).first()


def draft_chapters(*, course_run: CourseRun) -> list[Chapter]:
    """The draft outline for the studio: chapters, their units and blocks (three queries)."""
    return list(
        Chapter.objects.filter(course_run=course_run)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "units",
                queryset=Unit.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("blocks", queryset=Block.objects.order_by("position", "pk"))
                ),
            )
        )
    )


def draft_state(*, course_run: CourseRun) -> CoursewareDraft | None:
    return CoursewareDraft.objects.filter(course_run=course_run).first()


def assets_of_course(*, course_id: int, kind: str | None = None) -> QuerySet[Asset]:
    assets = Asset.objects.filter(course_id=course_id).order_by("-created_at")
    return assets.filter(kind=kind) if kind else assets


def asset_of_course(*, course_id: int, key: str) -> Asset | None:
    return Asset.objects.filter(course_id=course_id, key=key).first()
