"""What every page of the learner player shares: the session the user may see, its
publication and the user's access to it, rendering in the course's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import course_queryset_visible_to, user_can_edit_course
from sankore.catalog.selectors import course_time_zone
from sankore.courseware import selectors as courseware
from sankore.courseware.media import VIDEO_QUALITIES
from sankore.courseware.selectors import Outline, OutlineUnit
from sankore.learning import selectors, services

DEFAULT_QUALITY = "360p"
QUALITY_COOKIE = "sankore_video_quality"
TEXT_ONLY_COOKIE = "sankore_text_only"
PREFERENCE_MAX_AGE = 365 * 24 * 3600
WATCHED_ENOUGH = 0.9
INLINE_CONTENT_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/webm",
     "audio/mp4", "audio/mpeg", "audio/ogg", "text/vtt", "application/pdf"}
)  # fmt: skip
_ASSET_REFERENCE = re.compile(r"asset:([0-9a-zA-Z_-]{3,64})/([a-z0-9]{1,16})")


def _session(request: HttpRequest, run_id: int) -> CourseRun:
    """The session if the user may see its course (published, or theirs to edit)."""
    visible = course_queryset_visible_to(user=request.user)
    run = get_object_or_404(
        CourseRun.objects.select_related("course").filter(course__in=visible), pk=run_id
    )
    if not run.is_published and not user_can_edit_course(user=request.user, course=run.course):
        raise Http404
    return run


@dataclass
class PlayerContext:
    run: CourseRun
    access: selectors.PlayerAccess
    outline: Outline
    publication_id: int | None  # None: the studio's preview of the draft


def _published(request: HttpRequest, run_id: int) -> PlayerContext:
    """The session's player, or a 404 before its first publication."""
    player = _player_or_none(request, run_id)
    if player is None:
        raise Http404
    return player


def _player_or_none(request: HttpRequest, run_id: int) -> PlayerContext | None:
    run = _session(request, run_id)
    access = selectors.player_access(user=request.user, course_run=run)
    publication = courseware.publication_current(course_run_id=run.pk)
    if publication is None:
        if not access.may_read_all:
            raise Http404
        return None
    return PlayerContext(run, access, courseware.outline_of(publication), publication.pk)


def _render(
    request: HttpRequest,
    run: CourseRun,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Render with dates in the time zone of the course's institution (release dates)."""
    with timezone.override(course_time_zone(course=run.course)):
        return render(request, template, context, status=status)


def _learner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _asset_base(run: CourseRun) -> str:
    return reverse("player:asset", args=[run.pk, "KEY", "VARIANT"]).split("KEY/")[0]


def _resolve_assets(html: str, base: str) -> str:
    return _ASSET_REFERENCE.sub(lambda match: f"{base}{match.group(1)}/{match.group(2)}/", html)


def _quality(request: HttpRequest) -> str:
    quality = request.COOKIES.get(QUALITY_COOKIE, DEFAULT_QUALITY)
    return quality if quality in VIDEO_QUALITIES or quality == "audio" else DEFAULT_QUALITY


def _text_only(request: HttpRequest) -> bool:
    return request.COOKIES.get(TEXT_ONLY_COOKIE) == "1"


def _progress(request: HttpRequest, player: PlayerContext) -> selectors.LearnerProgress | None:
    if not player.access.enrolled:
        return None
    return selectors.learner_progress(
        user=_learner(request), course_run=player.run, outline=player.outline
    )


def _block_in_outline(player: PlayerContext, block_key: str) -> tuple[OutlineUnit, dict[str, Any]]:
    """The block if its unit may be opened now (readable, and its chapter released)."""
    found = player.outline.block(block_key)
    if found is None:
        raise Http404
    unit, block = found
    if not player.access.may_open_unit(
        outline=player.outline, unit=unit, now=timezone.now(), pacing=player.run.pacing
    ):
        raise Http404
    return unit, block


def _complete(request: HttpRequest, player: PlayerContext, block_key: str) -> None:
    if player.access.enrolled and request.method in ("GET", "POST"):
        services.blocks_complete(
            user=_learner(request),
            course_run=player.run,
            block_keys=[block_key],
            outline=player.outline,
        )
