"""The learner player: a session's outline, its unit pages, and what they serve (files,
transcripts) and record (completions, where the learner stopped).

Reading works without JavaScript; a small script only reports how much of a video was
watched. Every request checks access on the server: enrolled learners read everything,
anyone reads free-preview units, the course's staff preview everything without being
tracked.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

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

from sankore.accounts.models import User
from sankore.assessments import selectors as assessment_selectors
from sankore.assessments import services as assessment_services
from sankore.assessments.block_types import ProblemType, choice_order
from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import course_queryset_visible_to, user_can_edit_course
from sankore.catalog.selectors import course_time_zone
from sankore.core.errors import ServiceError
from sankore.core.files import stored_file_response
from sankore.courseware import selectors as courseware
from sankore.courseware.registry import Completion, block_type_of
from sankore.courseware.selectors import Outline, OutlineUnit
from sankore.courseware.services import PublishError, outline_build
from sankore.learning import selectors, services

VIDEO_QUALITIES = ("240p", "360p", "720p")
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


def _grade_lines(policy: Any, grade: Any) -> list[dict[str, Any]]:
    """Each assessment type of the barème with the learner's score in it (0 before any)."""
    if policy is None:
        return []
    scores = {line["name"]: line for line in (grade.by_type if grade else [])}
    lines = []
    for assessment_type in policy.types.all():
        line = scores.get(assessment_type.name, {})
        lines.append(
            {
                "name": assessment_type.name,
                "weight": assessment_type.weight,
                "drop_lowest": assessment_type.drop_lowest,
                "percent": (Decimal(line.get("score", "0")) * 100).quantize(Decimal("0.1")),
                "counted": line.get("counted", 0),
            }
        )
    return lines


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
    if player.access.enrolled and request.method == "GET":  # a HEAD reads, it records nothing
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
    _with_problems(request, player, rendered, blocks)
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
            "qualities": VIDEO_QUALITIES,
            "text_only": text_only,
            "preview": preview,
            "chapters": _chapters(player, progress),
        },
    )


def _with_problems(
    request: HttpRequest, player: PlayerContext, rendered: list[dict[str, Any]], blocks: list[Any]
) -> None:
    """Each problem gets the learner's state: their last answer, its feedback, attempts, and
    the explanation once no attempt is left (or once right, when attempts are unlimited)."""
    grading_of = {block.key: block.grading for block in blocks}
    keys = [
        item["key"] for item in rendered if isinstance(block_type_of(item["kind"]), ProblemType)
    ]
    if not keys:
        return
    states = (
        assessment_selectors.problem_states(
            user=_learner(request), course_run=player.run, block_keys=keys
        )
        if player.access.enrolled
        else {}
    )
    user_id = request.user.pk or 0
    unit = player.outline.block(keys[0])
    enrolled_at = (
        selectors.enrolment_date(user=request.user, course_run=player.run)
        if player.access.enrolled
        else None
    )
    due = unit[0].due_for(enrolled_at=enrolled_at) if unit else None
    past_due = due is not None and timezone.now() > due
    for item in rendered:
        block_type = block_type_of(item["kind"])
        if not isinstance(block_type, ProblemType):
            continue
        content, grading = item["content"], grading_of.get(item["key"]) or {}
        state = states.get(item["key"])
        attempts = state.attempts if state else 0
        max_attempts = content.get("max_attempts")
        exhausted = max_attempts is not None and attempts >= int(max_attempts)
        last = state.last_answer if state else None
        result = block_type.answer_grade(last, grading) if state and last is not None else None
        checked = set(last) if isinstance(last, list) else set()
        placed = (
            {key: number for number, key in enumerate(last, start=1)}
            if isinstance(last, list)
            else {}
        )
        matched = last if isinstance(last, dict) else {}
        item["problem"] = {
            "token": uuid.uuid4().hex,
            "enrolled": player.access.enrolled,
            "due": due,
            "past_due": past_due,
            "can_submit": player.access.enrolled and not exhausted and not past_due,
            "attempts": attempts,
            "correct": bool(state and state.is_correct),
            "earned": _points(state.score if state else Decimal(0), content.get("points", "1")),
            "answer": last if isinstance(last, str) else "",
            "choices": [
                {**choice, "checked": choice["id"] in checked, "position": placed.get(choice["id"])}
                for choice in choice_order(content=content, user_id=user_id, block_key=item["key"])
            ],
            "positions": list(range(1, len(content.get("choices", [])) + 1)),
            "lefts": [
                {**left, "chosen": matched.get(left["id"])} for left in content.get("lefts", [])
            ],
            "feedback": result.feedback if result else [],
            "explanation": grading.get("explanation_html")
            if (exhausted or past_due or (max_attempts is None and state and state.is_correct))
            else "",
        }


def _points(score: Decimal, points: str) -> str:
    earned = (score * Decimal(str(points))).quantize(Decimal("0.01"))
    return f"{earned.normalize():f}"


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
        if publication is None or not access.may_read_asset(
            outline=courseware.outline_of(publication),
            asset_key=asset_key,
            now=timezone.now(),
            pacing=run.pacing,
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


def block_action(
    request: HttpRequest, run_id: int, block_key: str, action: str
) -> HttpResponseBase:
    """What a learner does with a block: ``telecharger`` (a resource), ``transcription-LL``
    (a video's transcript), ``externe`` (an external video), ``progression`` (POST: how much
    of a video was watched)."""
    player = _published(request, run_id)
    _unit, block = _block_in_outline(player, block_key)
    if action == "progression":
        if block["completion"] != Completion.WATCH:  # only videos are completed by watching
            raise Http404
        return _video_progress(request, player, block_key)
    if action == "repondre":
        return _answer(request, player, block_key)
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


def _answer(request: HttpRequest, player: PlayerContext, block_key: str) -> HttpResponse:
    """A learner's answer to a problem: graded, stored, then back to the unit (PRG)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not player.access.enrolled:
        raise Http404
    unit = player.outline.block(block_key)
    assert unit is not None
    assert player.publication_id is not None
    publication = courseware.publication_by_id(publication_id=player.publication_id)
    due_at = unit[0].due_for(
        enrolled_at=selectors.enrolment_date(user=request.user, course_run=player.run)
    )
    try:
        outcome = assessment_services.submission_create(
            due_at=due_at,
            user=_learner(request),
            course_run=player.run,
            publication=publication,
            block_key=block_key,
            answer_data=request.POST,
            client_token=request.POST.get("token", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        _complete(request, player, block_key)
        if not outcome.replayed:
            messages.success(
                request,
                gettext("Réponse enregistrée : bonne réponse.")
                if outcome.result.correct
                else gettext("Réponse enregistrée."),
            )
    target = reverse("player:unit", args=[player.run.pk, unit[0].key])
    return redirect(f"{target}#bloc-{block_key}")


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
