"""The learner player: a session's outline, its unit pages, and what they serve (files,
transcripts) and record (completions, where the learner stopped).

Reading works without JavaScript; a small script only reports how much of a video was
watched. Every request checks access on the server: enrolled learners read everything,
anyone reads free-preview units, the course's staff preview everything without being
tracked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from sankore.assessments import selectors as assessment_selectors
from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import user_can_edit_course
from sankore.core.files import stored_file_response
from sankore.courseware import selectors as courseware
from sankore.courseware.registry import Completion, block_type_of
from sankore.courseware.selectors import Outline, OutlineUnit
from sankore.courseware.services import PublishError, outline_build
from sankore.learning import player_peer, selectors, services
from sankore.learning.player_core import (
    INLINE_CONTENT_TYPES,
    PREFERENCE_MAX_AGE,
    QUALITY_COOKIE,
    TEXT_ONLY_COOKIE,
    VIDEO_QUALITIES,
    WATCHED_ENOUGH,
    PlayerContext,
    _asset_base,
    _block_in_outline,
    _complete,
    _learner,
    _player_or_none,
    _progress,
    _published,
    _quality,
    _render,
    _resolve_assets,
    _session,
    _text_only,
)
from sankore.learning.player_problems import (
    _answer,
    _drawn_only,
    _exam_gate,
    _exam_may_show,
    _grade_lines,
    _with_problems,
)


@require_safe
def course_home(request: HttpRequest, run_id: int) -> HttpResponse:
    player = _player_or_none(request, run_id)
    if player is None:  # enrolled, or staff, before the first publication
        run = _session(request, run_id)
        return render(
            request, "learning/player/not_published.html", {"run": run, "course": run.course}
        )
    if not player.access.may_read_all and not any(u.free_preview for u in player.outline.units()):
        return _refuse_unit(request, player.run)
    progress = _progress(request, player)
    resume = None
    if progress and progress.last_unit_key:
        resume = player.outline.unit(progress.last_unit_key)
    first = next(player.outline.units(), None)
    policy = assessment_selectors.grading_policy(course_run=player.run)
    grade = (
        assessment_selectors.learner_grade(user=_learner(request), course_run=player.run)
        if progress is not None and policy is not None
        else None
    )
    return _render(
        request,
        player.run,
        "learning/player/course_home.html",
        {
            "run": player.run,
            "course": player.run.course,
            "outline": player.outline,
            "access": player.access,
            "progress": progress,
            "resume": resume,
            "first": first,
            "chapters": _chapters(player, progress),
            "policy": policy,
            "grade": grade,
            "grade_lines": _grade_lines(policy, grade),
        },
    )


def _chapters(
    player: PlayerContext, progress: selectors.LearnerProgress | None
) -> list[dict[str, Any]]:
    now = timezone.now()
    chapters = []
    for chapter in player.outline.chapters:
        done, total = progress.chapter_counts(chapter) if progress else (0, len(chapter.block_keys))
        chapters.append(
            {
                "chapter": chapter,
                "released": chapter.is_released(now=now, pacing=player.run.pacing),
                "done": done,
                "total": total,
                "percent": 100 * done // total if total else 0,
                "units": [
                    {
                        "unit": unit,
                        "done": bool(progress and progress.unit_done(unit)),
                        "readable": player.access.may_read_unit(unit),
                    }
                    for unit in chapter.units
                ],
            }
        )
    return chapters


def _refuse_unit(request: HttpRequest, run: CourseRun) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    messages.info(request, gettext("Inscrivez-vous à cette session pour suivre le cours."))
    return redirect(run.get_absolute_url())


@require_safe
def unit_page(request: HttpRequest, run_id: int, unit_key: str) -> HttpResponse:
    player = _published(request, run_id)
    unit = player.outline.unit(unit_key)
    if unit is None:
        raise Http404
    if not player.access.may_read_unit(unit):
        return _refuse_unit(request, player.run)
    chapter = player.outline.chapter_of(unit)
    now = timezone.now()
    if not player.access.is_staff and not chapter.is_released(now=now, pacing=player.run.pacing):
        return _render(
            request,
            player.run,
            "learning/player/locked.html",
            {"run": player.run, "chapter": chapter},
            status=403,
        )
    assert player.publication_id is not None
    blocks = courseware.published_blocks_of_unit(
        publication_id=player.publication_id, unit_key=unit.key
    )
    shown = _exam_may_show(request, player, unit)
    if shown and player.access.enrolled and request.method == "GET":  # a HEAD records nothing
        viewed = [
            block.key
            for block in blocks
            if (block_type := block_type_of(block.kind))
            and block_type.completion == Completion.VIEW
        ]
        services.blocks_complete(
            user=_learner(request), course_run=player.run, block_keys=viewed, outline=player.outline
        )
        services.position_record(user=_learner(request), course_run=player.run, unit_key=unit.key)
    return _render_unit(request, player, unit, blocks, preview=False)


def _render_unit(
    request: HttpRequest,
    player: PlayerContext,
    unit: OutlineUnit,
    blocks: list[Any],
    *,
    preview: bool,
) -> HttpResponse:
    progress = _progress(request, player) if not preview else None
    base = _asset_base(player.run)
    text_only = _text_only(request)
    rendered = []
    for block in blocks:
        block_type = block_type_of(block.kind)
        if block_type is None:
            continue
        content = dict(block.content)
        for name in ("html", "html_text_only"):
            if name in content:
                content[name] = _resolve_assets(content[name], base)
        rendered.append(
            {
                "key": block.key,
                "kind": block.kind,
                "title": block.title,
                "content": content,
                "template": block_type.learner_template,
                "done": bool(progress and progress.block_done(block.key)),
                "action_base": reverse("player:block_action", args=[player.run.pk, block.key, "x"])[
                    :-2
                ],
            }
        )
    exam = _exam_gate(request, player, unit) if unit.exam is not None and not preview else None
    if exam is not None and not exam["shown"]:
        rendered = []
    rendered, pool = _drawn_only(request, player, unit, rendered)
    _with_problems(request, player, rendered, blocks)
    player_peer.with_open_responses(request, player, rendered)
    previous, following = player.outline.neighbours(unit)
    chapter = player.outline.chapter_of(unit)
    return _render(
        request,
        player.run,
        "learning/player/unit.html",
        {
            "run": player.run,
            "course": player.run.course,
            "outline": player.outline,
            "chapter": chapter,
            "unit": unit,
            "blocks": rendered,
            "previous": previous,
            "next": following,
            "progress": progress,
            "access": player.access,
            "asset_base": base,
            "quality": _quality(request),
            "text_only": text_only,
            "preview": preview,
            "chapters": _chapters(player, progress),
            "exam": exam,
            "pool": pool,
        },
    )


@require_safe
def unit_preview(request: HttpRequest, run_id: int, unit_key: str) -> HttpResponse:
    """The studio's « voir comme un apprenant »: the draft, rendered by the player, for the
    course's staff only; nothing is recorded."""
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    if not user_can_edit_course(user=request.user, course=run.course):
        raise Http404
    try:
        outline_data, blocks = outline_build(course_run=run, only_unit_key=unit_key)
    except PublishError as error:
        return render(
            request, "learning/player/preview_error.html", {"run": run, "error": error.message}
        )
    outline = Outline(outline_data)
    unit = outline.unit(unit_key)
    if unit is None:
        raise Http404
    player = PlayerContext(
        run, selectors.PlayerAccess(enrolled=False, is_staff=True), outline, None
    )
    return _render_unit(
        request, player, unit, [b for b in blocks if b.unit_key == unit.key], preview=True
    )


def _asset_for(request: HttpRequest, run_id: int, asset_key: str) -> Any:
    run = _session(request, run_id)
    access = selectors.player_access(user=request.user, course_run=run)
    asset = courseware.asset_of_course(course_id=run.course_id, key=asset_key)
    if asset is None:
        raise Http404
    if not access.is_staff:
        publication = courseware.publication_current(course_run_id=run.pk)
        if publication is None:
            raise Http404
        outline = courseware.outline_of(publication)
        if not access.may_read_asset(
            outline=outline, asset_key=asset_key, now=timezone.now(), pacing=run.pacing
        ):
            raise Http404
        # A file used only by supervised exams waits, like their pages, for the candidate
        # to be in the exam.
        player = PlayerContext(run, access, outline, publication.pk)
        units = [outline.unit(key) for key in outline.asset_units.get(asset_key, ())]
        if units and not any(
            unit is not None and _exam_may_show(request, player, unit) for unit in units
        ):
            raise Http404
    return asset


@require_safe
def asset_file(request: HttpRequest, run_id: int, asset_key: str, variant: str) -> HttpResponseBase:
    """One variant of a course file: ``original``, a video rendition (``240p``…, ``audio``,
    ``poster``) or an image width (``w640``…). ``?telecharger=1`` saves it."""
    asset = _asset_for(request, run_id, asset_key)
    if variant == "original":
        name, content_type = asset.file.name, asset.content_type
        download_name = asset.original_name
    else:
        rendition = asset.renditions.get(variant)
        if rendition is None:
            raise Http404
        name = rendition["path"]
        content_type = _content_type_of(name)
        stem = asset.original_name.rsplit(".", 1)[0]
        download_name = f"{stem}-{variant}.{name.rsplit('.', 1)[-1]}"
    # Only what a browser shows without running anything is served inline; anything else an
    # author uploaded (an SVG, an HTML page in a zip…) is a download, never a page of ours.
    inline = content_type.split(";")[0] in INLINE_CONTENT_TYPES
    return stored_file_response(
        request,
        storage=default_storage,
        name=name,
        content_type=content_type,
        download_name=download_name,
        as_attachment=request.GET.get("telecharger") == "1" or not inline,
        max_age=24 * 3600,
    )


def _content_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {
        "mp4": "video/mp4",
        "m4a": "audio/mp4",
        "jpg": "image/jpeg",
        "png": "image/png",
    }.get(extension, "application/octet-stream")


def block_action(
    request: HttpRequest, run_id: int, block_key: str, action: str
) -> HttpResponseBase:
    """What a learner does with a block: ``telecharger`` (a resource), ``transcription-LL``
    (a video's transcript), ``externe`` (an external video), ``progression`` (POST: how much
    of a video was watched)."""
    player = _published(request, run_id)
    unit, block = _block_in_outline(player, block_key)
    if action != "repondre" and not _exam_may_show(request, player, unit):
        raise Http404  # an exam's files and videos wait for its opening, like its page
    if action == "progression":
        if block["completion"] != Completion.WATCH:  # only videos are completed by watching
            raise Http404
        return _video_progress(request, player, block_key)
    if action == "repondre":
        return _answer(request, player, block_key)
    if action in player_peer.ACTIONS:  # open responses, peer assessment
        return player_peer.block_action(request, player, block, action)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    assert player.publication_id is not None
    published = courseware.published_block(publication_id=player.publication_id, key=block_key)
    if published is None:
        raise Http404
    content = published.content
    if action == "telecharger" and block["completion"] == Completion.DOWNLOAD:
        _complete(request, player, block_key)
        asset = courseware.asset_of_course(course_id=player.run.course_id, key=content["asset"])
        if asset is None:
            raise Http404
        return stored_file_response(
            request,
            storage=default_storage,
            name=str(asset.file.name),
            content_type=asset.content_type,
            download_name=asset.original_name,
            as_attachment=True,
        )
    if action == "externe" and content.get("url") and block["completion"] == Completion.WATCH:
        _complete(request, player, block_key)
        return HttpResponseRedirect(content["url"])
    if action.startswith("transcription-") and block["completion"] == Completion.WATCH:
        language = action.removeprefix("transcription-")
        caption = next((c for c in content.get("captions", []) if c["language"] == language), None)
        if caption is None:
            raise Http404
        _complete(request, player, block_key)
        response = HttpResponse(caption["transcript"], content_type="text/plain; charset=utf-8")
        filename = f"transcription-{published.key[:12]}-{language}.txt"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    raise Http404


def _video_progress(request: HttpRequest, player: PlayerContext, block_key: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        watched = float(request.POST.get("watched", ""))
    except ValueError:
        return HttpResponse(gettext("Valeur « watched » invalide."), status=400)
    opened_transcript = request.POST.get("transcript") == "1"
    if not (0 <= watched <= 1):
        return HttpResponse(gettext("Valeur « watched » invalide."), status=400)
    if watched >= WATCHED_ENOUGH or opened_transcript:
        _complete(request, player, block_key)
    return HttpResponse(status=204)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """Video quality and text-only mode, remembered in cookies (no account needed)."""
    response = _back(request, reverse("learning:dashboard"))
    quality = request.POST.get("quality")
    if quality in (*VIDEO_QUALITIES, "audio"):
        response.set_cookie(
            QUALITY_COOKIE, quality, max_age=PREFERENCE_MAX_AGE, samesite="Lax", httponly=True
        )
    text_only = request.POST.get("text_only")
    if text_only in ("0", "1"):
        response.set_cookie(
            TEXT_ONLY_COOKIE, text_only, max_age=PREFERENCE_MAX_AGE, samesite="Lax", httponly=True
        )
    return response
