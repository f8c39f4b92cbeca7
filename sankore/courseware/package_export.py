"""Writing a session out as a course package (see ``package_format``)."""

from __future__ import annotations

import datetime
import re
import zipfile
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import CourseRun
from sankore.courseware.models import Asset, Block, Chapter, Unit
from sankore.courseware.package_format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PackageError,
    manifest_dump,
)
from sankore.courseware.registry import block_type_of

_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")
_ASSET = re.compile(r"asset:([0-9a-zA-Z_-]{3,64})")


def _file_name(asset: Asset, taken: set[str]) -> str:
    stem, dot, extension = asset.original_name.rpartition(".")
    if not dot:
        stem, extension = asset.original_name, ""
    stem = _UNSAFE.sub("-", stem).strip("-.")[:80] or "fichier"
    extension = _UNSAFE.sub("", extension)[:10]
    candidate, counter = f"{stem}.{extension}" if extension else stem, 2
    while candidate in taken:
        candidate = f"{stem}-{counter}.{extension}" if extension else f"{stem}-{counter}"
        counter += 1
    taken.add(candidate)
    return f"media/{candidate}"


def _course_entry(run: CourseRun) -> dict[str, Any]:
    course = run.course
    return {
        "code": course.code,
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "description": course.description,
        "learning_outcomes": course.learning_outcome_list,
        "prerequisites": course.prerequisites,
        "languages": sorted(course.languages.values_list("code", flat=True)),
        "subtitle_languages": sorted(course.subtitle_languages.values_list("code", flat=True)),
        "disciplines": sorted(course.disciplines.values_list("slug", flat=True)),
        "level": course.level,
        "effort_hours_per_week": str(course.effort_hours_per_week),
        "duration_weeks": course.duration_weeks,
        "licence": course.licence,
        "offers_attestation": course.offers_attestation,
        "offers_certificate": course.offers_certificate,
        "ects_credits": course.ects_credits,
    }


def _release_offset(
    release_at: datetime.datetime | None, start: datetime.datetime
) -> dict[str, int | None]:
    """Days after the start, or minutes when the chapter opens at another time of day."""
    if release_at is None:
        return {"release_offset_days": None}
    minutes = max(0, int((release_at - start).total_seconds() // 60))
    if minutes % 1440 == 0:
        return {"release_offset_days": minutes // 1440}
    return {"release_offset_days": minutes // 1440, "release_offset_minutes": minutes}


def _due(unit: Unit, start: datetime.datetime) -> dict[str, int]:
    due: dict[str, int] = {}
    if unit.due_at is not None:
        due["due_offset_minutes"] = max(0, int((unit.due_at - start).total_seconds() // 60))
    if unit.due_days_after_enrolment is not None:
        due["due_days_after_enrolment"] = unit.due_days_after_enrolment
    if unit.pool_size is not None:
        due["pool_size"] = unit.pool_size
    return due


def package_export(*, course_run: CourseRun, target: IO[bytes]) -> None:
    """Write the draft content of ``course_run`` into ``target`` as a zip package."""
    chapters = list(Chapter.objects.filter(course_run=course_run).order_by("position", "pk"))
    units = list(Unit.objects.filter(course_run=course_run).order_by("position", "pk"))
    blocks = list(Block.objects.filter(course_run=course_run).order_by("position", "pk"))
    keys: set[str] = set()
    for block in blocks:
        block_type = block_type_of(block.kind)
        if block_type is not None:
            keys |= block_type.asset_keys(block.data)
    assets = {a.key: a for a in Asset.objects.filter(course_id=course_run.course_id, key__in=keys)}
    missing = keys - set(assets)
    if missing:
        raise PackageError(
            _("Un fichier utilisé par ce contenu a disparu du cours : %(keys)s.")
            % {"keys": ", ".join(sorted(missing))},
            code="missing_asset",
        )
    taken: set[str] = set()
    path_of = {
        key: _file_name(assets[key], taken)
        for key in sorted(assets, key=lambda k: (assets[k].created_at, k))
    }
    not_exported: list[dict[str, str]] = []

    units_of: dict[int, list[Unit]] = {}
    for unit in units:
        units_of.setdefault(unit.chapter_id, []).append(unit)
    blocks_of: dict[int, list[Block]] = {}
    for block in blocks:
        blocks_of.setdefault(block.unit_id, []).append(block)

    texts: dict[str, str] = {}
    chapter_entries = []
    for chapter in chapters:
        unit_entries = []
        for unit in units_of.get(chapter.pk, []):
            block_entries = []
            for block in blocks_of.get(unit.pk, []):
                entry: dict[str, Any] = {"key": block.key, "type": block.kind, "title": block.title}
                if block.kind == "text":
                    path = f"content/{block.key}.md"
                    texts[path] = _ASSET.sub(
                        lambda m: path_of.get(m.group(1), m.group(0)), block.data["markdown"]
                    )
                    entry["markdown"] = path
                elif block.kind == "resource":
                    entry["file"] = path_of[block.data["file"]]
                elif block.kind == "video":
                    if block.data.get("video"):
                        entry["file"] = path_of[block.data["video"]]
                    if block.data.get("url"):
                        entry["url"] = block.data["url"]
                    entry["captions"] = [
                        {"language": language, "file": path_of[key]}
                        for language, key in sorted(block.data.get("captions", {}).items())
                    ]
                elif (kind := block_type_of(block.kind)) is not None and not kind.asset_keys(
                    block.data
                ):  # another registered type (problems…): its data as it is stored
                    entry["data"] = block.data
                else:  # a type the format cannot carry yet: left out, said in the manifest
                    not_exported.append({"key": block.key, "type": block.kind})
                    continue
                block_entries.append(entry)
            unit_entries.append(
                {
                    "key": unit.key,
                    "title": unit.title,
                    "duration_minutes": unit.duration_minutes,
                    "objectives": unit.objective_list,
                    "free_preview": unit.is_free_preview,
                    **_due(unit, course_run.start),
                    "blocks": block_entries,
                }
            )
        chapter_entries.append(
            {
                "key": chapter.key,
                "title": chapter.title,
                **_release_offset(chapter.release_at, course_run.start),
                "units": unit_entries,
            }
        )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "course": _course_entry(course_run),
        "session": {"title": course_run.title, "pacing": course_run.pacing},
        "chapters": chapter_entries,
    }
    if not_exported:
        manifest["not_exported"] = not_exported
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_dump(manifest))
        for path, text in texts.items():
            archive.writestr(path, text.encode())
        for key, path in path_of.items():
            with assets[key].file.open("rb") as source, archive.open(path, "w") as sink:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    sink.write(chunk)
