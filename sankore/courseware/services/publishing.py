"""Publishing a session's content: the draft becomes a new immutable snapshot in one
transaction, so learners see either the whole previous version or the whole new one."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware.exam_codes import exam_code_digest
from sankore.courseware.models import Asset, Block, Chapter, PublishedBlock, PublishedOutline, Unit
from sankore.courseware.registry import (
    Completion,
    PublishContext,
    block_type_of,
    publication_listeners,
)
from sankore.courseware.services.outline import draft_lock

# Older publications are kept a while (a learner mid-page still reads the one before).
PUBLICATIONS_KEPT = 3


class PublishError(ServiceError):
    pass


def _pool_size(unit: Unit, blocks: list[dict[str, Any]]) -> int | None:
    """How many of the unit's problems each learner gets (``None``: all). The problems of a
    pool count in one assessment type, or none: a learner's draw must weigh what anyone
    else's weighs."""
    if unit.pool_size is None:
        return None
    problems = [block for block in blocks if block["completion"] == Completion.SUBMIT]
    if unit.pool_size > len(problems):
        raise PublishError(
            _(
                "Séquence « %(unit)s » : %(size)s exercices à tirer au sort, mais la séquence "
                "n'en a que %(count)s."
            )
            % {"unit": unit.title, "size": unit.pool_size, "count": len(problems)},
            code="pool_size",
        )
    types = {(block.get("graded") or {}).get("type") for block in problems}
    if len(types) > 1:
        raise PublishError(
            _(
                "Séquence « %(unit)s » : les exercices tirés au sort comptent tous dans le même "
                "type d'évaluation (ou aucun)."
            )
            % {"unit": unit.title},
            code="pool_types",
        )
    return unit.pool_size if unit.pool_size < len(problems) else None


def _exam(unit: Unit, course_run: CourseRun) -> dict[str, str] | None:
    if not unit.is_supervised_exam:
        return None
    if not (unit.exam_opens_at and unit.exam_closes_at and unit.exam_access_code):
        raise PublishError(
            _("Séquence « %(unit)s » : l'examen surveillé n'a pas de fenêtre ou de code.")
            % {"unit": unit.title},
            code="exam_incomplete",
        )
    return {
        "opens_at": unit.exam_opens_at.isoformat(),
        "closes_at": unit.exam_closes_at.isoformat(),
        "code_digest": exam_code_digest(
            code=unit.exam_access_code, course_run_id=course_run.pk, unit_key=unit.key
        ),
    }


def outline_build(
    *, course_run: CourseRun, only_unit_key: str | None = None
) -> tuple[dict[str, Any], list[PublishedBlock]]:
    """The outline and the rendered blocks of the draft as it is now (nothing saved): what a
    publication stores, and what the studio's preview shows (``only_unit_key``: the blocks
    of that unit alone are rendered, so a video still converting elsewhere does not stop
    the preview of this one)."""
    chapters = list(Chapter.objects.filter(course_run=course_run).order_by("position", "pk"))
    units = list(Unit.objects.filter(course_run=course_run).order_by("position", "pk"))
    blocks = list(Block.objects.filter(course_run=course_run).order_by("position", "pk"))

    referenced: dict[int, set[str]] = {}
    for block in blocks:
        block_type = block_type_of(block.kind)
        if block_type is None:
            raise PublishError(
                _("Type d'activité inconnu : %(kind)s.") % {"kind": block.kind}, code="kind"
            )
        referenced[block.pk] = block_type.asset_keys(block.data)
    if only_unit_key is not None:
        shown = {unit.pk for unit in units if unit.key == only_unit_key}
        referenced = {block.pk: referenced[block.pk] for block in blocks if block.unit_id in shown}
    all_keys = set().union(*referenced.values()) if referenced else set()
    assets = {
        asset.key: asset
        for asset in Asset.objects.filter(course_id=course_run.course_id, key__in=all_keys)
    }

    units_of: dict[int, list[Unit]] = {}
    for unit in units:
        units_of.setdefault(unit.chapter_id, []).append(unit)
    blocks_of: dict[int, list[Block]] = {}
    for block in blocks:
        blocks_of.setdefault(block.unit_id, []).append(block)

    asset_units: dict[str, list[str]] = {}
    published: list[PublishedBlock] = []
    outline_chapters = []
    for chapter in chapters:
        outline_units = []
        for unit in units_of.get(chapter.pk, []):
            outline_blocks = []
            for position, block in enumerate(blocks_of.get(unit.pk, [])):
                block_type = block_type_of(block.kind)
                assert block_type is not None  # checked above
                if block.pk not in referenced:  # a preview of another unit: outline only
                    outline_blocks.append(
                        {"key": block.key, "kind": block.kind, "title": block.title,
                         "completion": str(block_type.completion)}
                    )  # fmt: skip
                    continue
                keys = referenced[block.pk]
                missing = keys - set(assets)
                if missing:
                    raise PublishError(
                        _("Séquence « %(unit)s » : un fichier utilisé a disparu du cours.")
                        % {"unit": unit.title},
                        code="missing_asset",
                    )
                context = PublishContext(
                    assets={key: assets[key] for key in keys},
                    course_run_id=course_run.pk,
                    block_title=block.title,
                )
                try:
                    content = block_type.publish(data=block.data, context=context)
                    grading = block_type.grading(data=block.data, context=context)
                except ServiceError as error:
                    raise PublishError(
                        _("Séquence « %(unit)s » : %(reason)s")
                        % {"unit": unit.title, "reason": error.message},
                        code=error.code,
                    ) from error
                for key in keys:
                    asset_units.setdefault(key, []).append(unit.key)
                published.append(
                    PublishedBlock(
                        key=block.key,
                        unit_key=unit.key,
                        kind=block.kind,
                        title=block.title,
                        position=position,
                        content=content,
                        grading=grading,
                    )
                )
                outline_blocks.append(
                    {
                        "key": block.key,
                        "kind": block.kind,
                        "title": block.title,
                        "completion": str(block_type.completion),
                        **block_type.outline_extra(block.data),
                    }
                )
            outline_units.append(
                {
                    "key": unit.key,
                    "title": unit.title,
                    "duration_minutes": unit.duration_minutes,
                    "objectives": unit.objective_list,
                    "free_preview": unit.is_free_preview,
                    "due_at": unit.due_at.isoformat() if unit.due_at else None,
                    "due_days_after_enrolment": unit.due_days_after_enrolment,
                    "pool_size": _pool_size(unit, outline_blocks),
                    "exam": _exam(unit, course_run),
                    "blocks": outline_blocks,
                }
            )
        outline_chapters.append(
            {
                "key": chapter.key,
                "title": chapter.title,
                "release_at": chapter.release_at.isoformat() if chapter.release_at else None,
                "units": outline_units,
            }
        )
    outline = {
        "chapters": outline_chapters,
        "assets": {key: sorted(set(unit_keys)) for key, unit_keys in asset_units.items()},
    }
    return outline, published


@transaction.atomic
def courseware_publish(
    *, course_run: CourseRun, user: User | None = None, now: datetime.datetime | None = None
) -> PublishedOutline:
    """Publish the draft of ``course_run`` as its next version."""
    draft = draft_lock(course_run_id=course_run.pk, mark_changed=False)
    now = now or timezone.now()  # once the lock is held (see draft_lock)
    outline, blocks = outline_build(course_run=course_run)
    if not outline["chapters"]:
        raise PublishError(
            _("Rien à publier : ajoutez d'abord un chapitre et une séquence."), code="empty"
        )
    previous = PublishedOutline.objects.filter(course_run=course_run).order_by("-version").first()
    publication = PublishedOutline.objects.create(
        course_run=course_run,
        version=(previous.version if previous else 0) + 1,
        outline=outline,
        block_count=len(blocks),
        published_at=now,
        published_by=user,
    )
    for block in blocks:
        block.publication = publication
    PublishedBlock.objects.bulk_create(blocks)
    draft.published_at = now
    draft.save(update_fields=["published_at"])
    stale = PublishedOutline.objects.filter(course_run=course_run).order_by("-version")[
        PUBLICATIONS_KEPT:
    ]
    PublishedOutline.objects.filter(pk__in=[old.pk for old in stale]).delete()
    for listener in publication_listeners():
        listener(course_run, publication, previous)
    return publication
