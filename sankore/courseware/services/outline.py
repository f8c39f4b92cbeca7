"""Editing a session's draft outline: chapters, units and blocks, created, changed,
reordered and deleted. Every write locks the session's draft row first, so two authors
editing the same session are serialised and positions never collide."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import CourseRun
from sankore.catalog.selectors import course_time_zone
from sankore.core.errors import NotFoundError, ServiceError
from sankore.core.validation import refuse_unknown_fields
from sankore.courseware.exam_codes import exam_code_normalise
from sankore.courseware.models import Block, Chapter, CoursewareDraft, Unit, new_key
from sankore.courseware.registry import block_type_of

Node = TypeVar("Node", Chapter, Unit, Block)

CHAPTER_EDITABLE_FIELDS = frozenset({"title", "release_at"})
UNIT_EDITABLE_FIELDS = frozenset(
    {
        "title", "duration_minutes", "objectives", "is_free_preview", "due_at",
        "due_days_after_enrolment", "pool_size", "is_supervised_exam", "exam_opens_at",
        "exam_closes_at", "exam_access_code",
    }
)  # fmt: skip


class OutlineError(ServiceError):
    pass


def draft_lock(
    *, course_run_id: int, mark_changed: bool = True, now: datetime.datetime | None = None
) -> CoursewareDraft:
    """Take the session's draft lock (creating the row the first time); an edit marks the
    draft changed, a publication only reads it."""
    CoursewareDraft.objects.get_or_create(course_run_id=course_run_id)
    draft = CoursewareDraft.objects.select_for_update().get(course_run_id=course_run_id)
    if mark_changed:
        # Read the clock once the lock is held: an edit that waited for a publication is
        # then always later than it, and shows as unpublished.
        draft.changed_at = now or timezone.now()
        draft.save(update_fields=["changed_at"])
    return draft


def _next_position(siblings: models.QuerySet[Any]) -> int:
    last = siblings.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


def _renumber(nodes: list[Node]) -> None:
    changed = []
    for position, node in enumerate(nodes):
        if node.position != position:
            node.position = position
            changed.append(node)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])


def _move(node: Node, siblings: models.QuerySet[Node], *, position: int) -> None:
    ordered = [sibling for sibling in siblings.order_by("position", "pk") if sibling.pk != node.pk]
    position = max(0, min(position, len(ordered)))
    ordered.insert(position, node)
    _renumber(ordered)


def _checked(instance: models.Model) -> None:
    instance.full_clean(exclude=["course_run", "chapter", "unit", "key"])


def _node_update(node: Node, fields: dict[str, Any], *, allowed: frozenset[str]) -> Node:
    refuse_unknown_fields(fields=fields, allowed=allowed, kind=type(node).__name__.lower())
    draft_lock(course_run_id=node.course_run_id)
    for name, value in fields.items():
        setattr(node, name, value.strip() if isinstance(value, str) else value)
    _checked(node)
    node.save(update_fields=list(fields))
    return node


# Chapters


@transaction.atomic
def chapter_create(
    *,
    course_run: CourseRun,
    title: str,
    release_at: datetime.datetime | None = None,
    key: str | None = None,
) -> Chapter:
    """A new last chapter; ``key`` is given only by imports (a package's own keys)."""
    draft_lock(course_run_id=course_run.pk)
    chapter = Chapter(
        key=key or new_key(),
        course_run=course_run,
        title=title.strip(),
        release_at=release_at,
        position=_next_position(Chapter.objects.filter(course_run=course_run)),
    )
    _checked(chapter)
    chapter.save()
    return chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, **fields: Any) -> Chapter:
    return _node_update(chapter, fields, allowed=CHAPTER_EDITABLE_FIELDS)


@transaction.atomic
def chapter_move(*, chapter: Chapter, position: int) -> Chapter:
    draft_lock(course_run_id=chapter.course_run_id)
    _move(chapter, Chapter.objects.filter(course_run_id=chapter.course_run_id), position=position)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: Chapter) -> None:
    draft_lock(course_run_id=chapter.course_run_id)
    run_id = chapter.course_run_id
    chapter.delete()
    _renumber(list(Chapter.objects.filter(course_run_id=run_id).order_by("position", "pk")))


# Units


@transaction.atomic
def unit_create(
    *,
    chapter: Chapter,
    title: str,
    duration_minutes: int | None = None,
    objectives: str = "",
    is_free_preview: bool = False,
    key: str | None = None,
) -> Unit:
    draft_lock(course_run_id=chapter.course_run_id)
    unit = Unit(
        key=key or new_key(),
        course_run_id=chapter.course_run_id,
        chapter=chapter,
        title=title.strip(),
        duration_minutes=duration_minutes,
        objectives=objectives.strip(),
        is_free_preview=is_free_preview,
        position=_next_position(Unit.objects.filter(chapter=chapter)),
    )
    _checked(unit)
    unit.save()
    return unit


EXAM_CODE_MIN_LENGTH = 6


@transaction.atomic
def unit_update(*, unit: Unit, **fields: Any) -> Unit:
    """Change a unit; a supervised exam needs its window and an access code (kept without
    spaces, in capitals: invigilators read it aloud, candidates type it on phones)."""
    fields = dict(fields)
    if "exam_access_code" in fields:
        fields["exam_access_code"] = exam_code_normalise(str(fields["exam_access_code"]))
    if fields.get("pool_size") == 0:
        fields["pool_size"] = None
    code = fields.get("exam_access_code", unit.exam_access_code)
    if fields.get("is_supervised_exam", unit.is_supervised_exam):
        opens = fields.get("exam_opens_at", unit.exam_opens_at)
        closes = fields.get("exam_closes_at", unit.exam_closes_at)
        if opens is None or closes is None or closes <= opens:
            raise OutlineError(
                _("Un examen surveillé a une ouverture et une fermeture, dans cet ordre."),
                code="exam_window",
            )
        if len(code or "") < EXAM_CODE_MIN_LENGTH:
            raise OutlineError(
                _("Le code d'accès d'un examen surveillé a au moins 6 caractères."),
                code="exam_code",
            )
    return _node_update(unit, fields, allowed=UNIT_EDITABLE_FIELDS)


@transaction.atomic
def unit_move(*, unit: Unit, position: int, chapter: Chapter | None = None) -> Unit:
    """Put ``unit`` at ``position`` in ``chapter`` (its own chapter by default)."""
    draft_lock(course_run_id=unit.course_run_id)
    if chapter is not None and chapter.pk != unit.chapter_id:
        if chapter.course_run_id != unit.course_run_id:
            raise NotFoundError(_("Ce chapitre n'existe pas dans cette session."), code="not_found")
        old_chapter_id = unit.chapter_id
        unit.chapter = chapter
        unit.save(update_fields=["chapter"])
        _renumber(list(Unit.objects.filter(chapter_id=old_chapter_id).order_by("position", "pk")))
    _move(unit, Unit.objects.filter(chapter_id=unit.chapter_id), position=position)
    return unit


@transaction.atomic
def unit_step(*, unit: Unit, step: int) -> Unit:
    """One place up (``-1``) or down (``+1``) through the whole outline: past the top of its
    chapter a unit goes to the end of the chapter before, past the bottom to the start of
    the next; at either end of the course it stays."""
    draft_lock(course_run_id=unit.course_run_id)
    unit = Unit.objects.get(pk=unit.pk)
    siblings = Unit.objects.filter(chapter_id=unit.chapter_id).count()
    target = unit.position + step
    if 0 <= target < siblings:
        _move(unit, Unit.objects.filter(chapter_id=unit.chapter_id), position=target)
        return unit
    chapters = list(
        Chapter.objects.filter(course_run_id=unit.course_run_id).order_by("position", "pk")
    )
    index = next(i for i, chapter in enumerate(chapters) if chapter.pk == unit.chapter_id)
    if 0 <= index + step < len(chapters):
        other = chapters[index + step]
        position = Unit.objects.filter(chapter=other).count() if step < 0 else 0
        return unit_move(unit=unit, position=position, chapter=other)
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit) -> None:
    draft_lock(course_run_id=unit.course_run_id)
    chapter_id = unit.chapter_id
    unit.delete()
    _renumber(list(Unit.objects.filter(chapter_id=chapter_id).order_by("position", "pk")))


# Blocks


def _block_data(*, kind: str, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
    block_type = block_type_of(kind)
    if block_type is None:
        raise OutlineError(_("Type d'activité inconnu : %(kind)s.") % {"kind": kind}, code="kind")
    return block_type.clean(data=data, course_id=course_id)


@transaction.atomic
def block_create(
    *,
    unit: Unit,
    kind: str,
    data: Mapping[str, Any],
    title: str = "",
    key: str | None = None,
) -> Block:
    draft_lock(course_run_id=unit.course_run_id)
    course_id = CourseRun.objects.values_list("course_id", flat=True).get(pk=unit.course_run_id)
    block = Block(
        key=key or new_key(),
        course_run_id=unit.course_run_id,
        unit=unit,
        kind=kind,
        title=title.strip(),
        data=_block_data(kind=kind, data=data, course_id=course_id),
        position=_next_position(Block.objects.filter(unit=unit)),
    )
    _checked(block)
    block.save()
    return block


@transaction.atomic
def block_update(
    *, block: Block, data: Mapping[str, Any] | None = None, title: str | None = None
) -> Block:
    draft_lock(course_run_id=block.course_run_id)
    if data is not None:
        course_id = CourseRun.objects.values_list("course_id", flat=True).get(
            pk=block.course_run_id
        )
        block.data = _block_data(kind=block.kind, data=data, course_id=course_id)
    if title is not None:
        block.title = title.strip()
    _checked(block)
    block.save(update_fields=["data", "title"])
    return block


@transaction.atomic
def block_move(*, block: Block, position: int) -> Block:
    draft_lock(course_run_id=block.course_run_id)
    _move(block, Block.objects.filter(unit_id=block.unit_id), position=position)
    return block


@transaction.atomic
def block_delete(*, block: Block) -> None:
    draft_lock(course_run_id=block.course_run_id)
    unit_id = block.unit_id
    block.delete()
    _renumber(list(Block.objects.filter(unit_id=unit_id).order_by("position", "pk")))


# Re-runs


def _wall_clock_shift(
    *, source: CourseRun, target: CourseRun
) -> Callable[[datetime.datetime], datetime.datetime]:
    """Moves a date of ``source`` to ``target`` on the institution's clock: a chapter that
    opened at 09:00 opens at 09:00 in the new session, across a change of daylight time."""
    zone = course_time_zone(course=source.course)
    step = target.start.astimezone(zone).replace(tzinfo=None) - source.start.astimezone(
        zone
    ).replace(tzinfo=None)

    def moved(moment: datetime.datetime) -> datetime.datetime:
        wall = moment.astimezone(zone).replace(tzinfo=None) + step
        return wall.replace(tzinfo=zone)

    return moved


@transaction.atomic
def outline_copy(*, source: CourseRun, target: CourseRun) -> None:
    """Copy the draft content of ``source`` into the empty session ``target`` (a re-run).

    Keys are kept, so a learner's record of a block means the same block in both sessions;
    files are shared (assets never change), so nothing is copied on disk. From then on the
    two sessions evolve independently.
    """
    if source.course_id != target.course_id:
        raise OutlineError(
            _("Le contenu ne peut être copié qu'entre sessions d'un même cours."),
            code="other_course",
        )
    draft_lock(course_run_id=target.pk)
    draft_lock(course_run_id=source.pk, mark_changed=False)  # a consistent copy
    if Chapter.objects.filter(course_run=target).exists():
        raise OutlineError(_("La session de destination a déjà un contenu."), code="not_empty")
    shift = _wall_clock_shift(source=source, target=target)
    chapters = list(Chapter.objects.filter(course_run=source).order_by("position", "pk"))
    units = list(Unit.objects.filter(course_run=source).order_by("position", "pk"))
    blocks = list(Block.objects.filter(course_run=source).order_by("position", "pk"))
    new_chapters = Chapter.objects.bulk_create(
        Chapter(
            course_run=target,
            key=chapter.key,
            title=chapter.title,
            position=chapter.position,
            release_at=shift(chapter.release_at) if chapter.release_at else None,
        )
        for chapter in chapters
    )
    chapter_of = {old.pk: new for old, new in zip(chapters, new_chapters, strict=True)}
    if chapter_of and new_chapters[0].pk is None:  # backends that return no ids on bulk insert
        by_key = {c.key: c for c in Chapter.objects.filter(course_run=target)}
        chapter_of = {old.pk: by_key[old.key] for old in chapters}
    new_units = Unit.objects.bulk_create(
        Unit(
            course_run=target,
            chapter=chapter_of[unit.chapter_id],
            key=unit.key,
            title=unit.title,
            position=unit.position,
            duration_minutes=unit.duration_minutes,
            objectives=unit.objectives,
            is_free_preview=unit.is_free_preview,
            due_at=shift(unit.due_at) if unit.due_at else None,
            due_days_after_enrolment=unit.due_days_after_enrolment,
            pool_size=unit.pool_size,
            # A new session has its own sittings: the exam flag stays, its window and code
            # are set again by the course team.
            is_supervised_exam=False,
        )
        for unit in units
    )
    unit_of = {old.pk: new for old, new in zip(units, new_units, strict=True)}
    if unit_of and new_units[0].pk is None:
        by_key_unit = {u.key: u for u in Unit.objects.filter(course_run=target)}
        unit_of = {old.pk: by_key_unit[old.key] for old in units}
    Block.objects.bulk_create(
        Block(
            course_run=target,
            unit=unit_of[block.unit_id],
            key=block.key,
            kind=block.kind,
            title=block.title,
            position=block.position,
            data=block.data,
        )
        for block in blocks
    )


@transaction.atomic
def course_run_rerun(
    *,
    source: CourseRun,
    start: datetime.datetime,
    enrolment_start: datetime.datetime,
    end: datetime.datetime | None = None,
    enrolment_end: datetime.datetime | None = None,
    title: str = "",
    is_published: bool = False,
) -> CourseRun:
    """A new session of the same course whose content starts as a copy of ``source``'s
    draft (chapter release dates shifted by the difference of start dates)."""
    from sankore.catalog.services import course_run_create

    target = course_run_create(
        course=source.course,
        start=start,
        end=end,
        enrolment_start=enrolment_start,
        enrolment_end=enrolment_end,
        pacing=source.pacing,
        capacity=source.capacity,
        title=title,
        is_published=is_published,
    )
    outline_copy(source=source, target=target)
    return target
