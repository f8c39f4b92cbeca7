"""Open edX's catalog (course-discovery ``/api/v1/courses/``, JSON): ``results[]`` of courses
with ``key``, ``title``, ``short_description``, ``full_description``, ``owners[]``
(``key``, ``name``), ``subjects[]`` (``slug``, ``name``), ``level_type``, ``marketing_url``
and ``course_runs[]`` (``key``, ``start``, ``end``, ``enrollment_start``, ``enrollment_end``,
``marketing_url`` or ``url``, ``content_language`` or ``language``, ``pacing_type``,
``status``, ``weeks_to_complete``, ``max_effort``, ``license``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sankore.federation.importers.records import (
    CourseRecord,
    RowError,
    RunRecord,
    ValueRefused,
    parse_level,
    parse_licence,
    parse_moment,
    parse_pacing,
)

SUMMARY_MAX = 500


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _plain(value: Any) -> str:
    """Open edX descriptions are HTML; the catalog keeps plain text."""
    return " ".join(strip_tags(_text(value)).split())


def _names(items: Any, *keys: str) -> tuple[str, ...]:
    found: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            value = next((_text(item.get(key)) for key in keys if _text(item.get(key))), "")
            if value:
                found.append(value)
    return tuple(found)


def _run(raw: Any, where: str, errors: list[RowError]) -> RunRecord | None:
    if not isinstance(raw, dict):
        errors.append(RowError(where, _("une session doit être un objet JSON.")))
        return None
    link = _text(raw.get("url")) or _text(raw.get("marketing_url"))
    if not link:
        errors.append(RowError(f"{where}.marketing_url", _("adresse de la session manquante.")))
        return None
    moments = {}
    failed = False
    for name in ("start", "end", "enrollment_start", "enrollment_end"):
        try:
            moments[name] = parse_moment(raw.get(name), label=name)
        except ValueRefused as error:
            errors.append(RowError(f"{where}.{name}", str(error)))
            failed = True
    try:
        pacing = parse_pacing(_text(raw.get("pacing_type")))
    except ValueRefused as error:
        errors.append(RowError(f"{where}.pacing_type", str(error)))
        failed = True
    if failed:
        return None
    language = _text(raw.get("content_language")) or _text(raw.get("language"))
    status = _text(raw.get("status")) or "published"
    return RunRecord(
        where=where,
        resource_link=link,
        start=moments["start"],
        end=moments["end"],
        enrolment_start=moments["enrollment_start"],
        enrolment_end=moments["enrollment_end"],
        pacing=pacing,
        is_published=status == "published",
        languages=(language,) if language else (),
    )


def _course(raw: Any, where: str, platform: str, errors: list[RowError]) -> CourseRecord | None:
    if not isinstance(raw, dict):
        errors.append(RowError(where, _("un cours doit être un objet JSON.")))
        return None
    before = len(errors)
    code, title = _text(raw.get("key")), _text(raw.get("title"))
    if not code:
        errors.append(RowError(f"{where}.key", _("clé du cours manquante.")))
    if not title:
        errors.append(RowError(f"{where}.title", _("titre manquant.")))
    description = _plain(raw.get("full_description"))
    summary = _plain(raw.get("short_description")) or description
    if not summary:
        errors.append(RowError(f"{where}.short_description", _("résumé manquant.")))
    raw_runs = raw.get("course_runs") or []
    if not isinstance(raw_runs, list):
        errors.append(RowError(f"{where}.course_runs", _("une liste de sessions est attendue.")))
        raw_runs = []
    runs = [
        _run(item, f"{where}.course_runs[{index}]", errors) for index, item in enumerate(raw_runs)
    ]
    runs_read = [run for run in runs if run is not None]
    first = raw_runs[0] if raw_runs and isinstance(raw_runs[0], dict) else {}
    level = licence = None
    try:
        level = parse_level(_text(raw.get("level_type")))
    except ValueRefused as error:
        errors.append(RowError(f"{where}.level_type", str(error)))
    try:
        licence = parse_licence(_text(first.get("license")))
    except ValueRefused as error:
        errors.append(RowError(f"{where}.course_runs[0].license", str(error)))
    external_url = _text(raw.get("marketing_url")) or next(
        (run.resource_link for run in runs_read), ""
    )
    if not external_url:
        errors.append(RowError(f"{where}.marketing_url", _("adresse du cours manquante.")))
    if len(errors) > before:
        return None
    effort = first.get("max_effort") or first.get("min_effort")
    weeks = first.get("weeks_to_complete")
    languages = tuple(dict.fromkeys(lang for run in runs_read for lang in run.languages))
    return CourseRecord(
        where=where,
        code=code,
        title=title,
        summary=Truncator(summary).chars(SUMMARY_MAX),
        description=description,
        external_url=external_url,
        external_platform=platform,
        owners=_names(raw.get("owners"), "key", "name"),
        languages=languages,
        disciplines=_names(raw.get("subjects"), "slug", "name"),
        level=level,
        effort_hours_per_week=Decimal(effort) if isinstance(effort, int) and effort > 0 else None,
        duration_weeks=weeks if isinstance(weeks, int) and weeks > 0 else None,
        licence=licence,
        runs=runs_read,
    )


def openedx_read(*, content: bytes, platform: str) -> tuple[list[CourseRecord], list[RowError]]:
    """The courses of an export, and what could not be read (with its JSON path)."""
    errors: list[RowError] = []
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [], [RowError("$", _("JSON illisible : %(error)s") % {"error": error})]
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        return [], [RowError("$", _("une liste « results » de cours est attendue."))]
    records = [
        _course(raw, f"results[{index}]", platform, errors) for index, raw in enumerate(results)
    ]
    return [record for record in records if record is not None], errors
