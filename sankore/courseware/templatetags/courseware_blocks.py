"""Template helpers of the block templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language_info

from sankore.courseware.media import VIDEO_QUALITIES as QUALITY_ORDER

register = template.Library()


@register.filter
def video_quality(content: dict[str, Any], wanted: str) -> str:
    """The rendition to play: the one the learner chose if this video has it, otherwise the
    closest lower one (then the lowest): never more than they asked for."""
    available = [name for name in QUALITY_ORDER if name in content.get("renditions", {})]
    if wanted == "audio" and "audio" in content.get("renditions", {}):
        return "audio"
    if wanted in available:
        return wanted
    lower = [name for name in available if QUALITY_ORDER.index(name) < QUALITY_ORDER.index(wanted)]
    if lower:
        return lower[-1]
    return available[0] if available else ""


@register.filter
def renditions_in_order(content: dict[str, Any]) -> list[tuple[str, int]]:
    renditions = content.get("renditions", {})
    names = [name for name in (*QUALITY_ORDER, "audio") if name in renditions]
    return [(name, renditions[name]["size"]) for name in names]


@register.filter
def language_label(code: str) -> str:
    try:
        return str(get_language_info(code)["name_local"]).capitalize()
    except KeyError:
        return code


@register.filter
def default_caption(captions: list[dict[str, Any]], language: str) -> str:
    """The captions shown by default: those in the interface language, else the first."""
    languages = [caption["language"] for caption in captions]
    if language in languages:
        return language
    return languages[0] if languages else ""
