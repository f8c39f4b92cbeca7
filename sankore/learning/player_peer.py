"""Open responses in the player: each one's state for the learner (their response, the
reviews they give and get), sending a response, reviewing a peer, self-reviewing, and the
files of responses — served only to their author, a reviewer they were handed to, and the
course team. A reviewer never learns whose response it is; an author never learns who
reviewed theirs."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from sankore.assessments import exam_gates, peer
from sankore.assessments import peer_selectors as selectors
from sankore.assessments.models import OpenResponse, OpenResponseStatus, PeerReview
from sankore.assessments.peer_block import KIND
from sankore.assessments.peer_files import response_file_response
from sankore.assessments.peer_rubric import score_percent
from sankore.core.errors import ServiceError
from sankore.courseware import selectors as courseware
from sankore.learning.player_core import PlayerContext, _complete, _learner
from sankore.learning.selectors import enrolment_date

ACTIONS = frozenset({"repondre-ouvert", "demander-evaluation", "evaluer", "auto-evaluer",
                     "fichier-reponse"})  # fmt: skip
_DRAFT = "sankore_open_response_draft"


def _points(score: Decimal | None, points: str) -> Decimal | None:
    if score is None:
        return None
    return (score * Decimal(str(points))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _file_url(player: PlayerContext, response: OpenResponse) -> str:
    if not response.file:
        return ""
    base = reverse(
        "player:block_action", args=[player.run.pk, response.block_key, "fichier-reponse"]
    )
    return f"{base}?id={response.public_id}"


def _levels(review: PeerReview, criteria: list[dict[str, Any]]) -> list[dict[str, str]]:
    lines = []
    for criterion in criteria:
        level = next(
            (lv for lv in criterion["levels"] if lv["id"] == review.scores.get(criterion["id"])),
            None,
        )
        lines.append({"criterion": criterion["name"], "level": level["label"] if level else "—",
                      "points": level["points"] if level else ""})  # fmt: skip
    return lines


def with_open_responses(
    request: HttpRequest, player: PlayerContext, rendered: list[dict[str, Any]]
) -> None:
    """Each open-response block gets the learner's state (a few queries for the whole unit);
    the delay rule is applied to their response on the way, so no page waits for cron."""
    keys = [item["key"] for item in rendered if item["kind"] == KIND]
    if not keys:
        return
    enrolled = player.access.enrolled and player.publication_id is not None
    found = player.outline.block(keys[0])
    due = found[0].due_at if found else None
    if found and enrolled:
        due = exam_gates.exam_due_for(
            user=_learner(request), course_run=player.run, unit=found[0],
            enrolled_at=enrolment_date(user=request.user, course_run=player.run),
            now=timezone.now(),
        )  # fmt: skip
    now = timezone.now()
    past_due = due is not None and now > due
    responses: dict[str, OpenResponse] = {}
    given: dict[str, list[PeerReview]] = {}
    if enrolled:
        learner = _learner(request)
        responses = selectors.open_responses_of_learner(
            user=learner, course_run=player.run, block_keys=keys
        )
        for key, waiting in list(responses.items()):
            if waiting.status == OpenResponseStatus.PEERS and waiting.deadline_at <= now:
                responses[key] = peer.peer_grade_finalise(response_id=waiting.pk, now=now)
        given = selectors.reviews_by_reviewer(user=learner, course_run=player.run, block_keys=keys)
    received = selectors.reviews_received(response_ids=[r.pk for r in responses.values()])
    drafts = request.session.pop(_DRAFT, {}) if enrolled and _DRAFT in request.session else {}
    for item in rendered:
        if item["kind"] != KIND:
            continue
        content = item["content"]
        response = responses.get(item["key"])
        mine = received.get(response.pk, []) if response else []
        reviews = given.get(item["key"], [])
        open_review = next((r for r in reviews if r.submitted_at is None), None)
        done = [r for r in reviews if r.submitted_at is not None]
        criteria = response.rubric["criteria"] if response else content["rubric"]
        self_review = next((r for r in mine if r.is_self), None)
        peers_required = response.peers_required if response else content["peers"]
        item["peer"] = {
            "token": uuid.uuid4().hex,
            "enrolled": enrolled,
            "due": due,
            "past_due": past_due,
            "can_submit": enrolled and response is None and not past_due,
            "draft": drafts.get(item["key"], ""),
            "criteria": criteria,
            "response": response,
            "file_url": _file_url(player, response) if response else "",
            "earned": _points(response.score, content.get("points", "1")) if response else None,
            "percent": score_percent(response.score) if response else None,
            "received": [
                {
                    "number": number,
                    "levels": _levels(r, criteria),
                    "total": r.total,
                    "comment": r.comment,
                }
                for number, r in enumerate((r for r in mine if not r.is_self), start=1)
            ],
            "self_review": {
                "levels": _levels(self_review, criteria),
                "total": self_review.total,
                "comment": self_review.comment,
            }
            if self_review
            else None,
            "self_due": bool(  # asked until the grade is final; it counts only as a fallback
                response
                and response.status == OpenResponseStatus.PEERS
                and response.rubric.get("self_assessment")
                and not self_review
            ),
            "given": len(done),
            "peers_required": peers_required,
            "can_request": bool(response) and open_review is None and len(done) < peers_required,
            "open": {
                "id": str(open_review.response.public_id),
                "text": open_review.response.text,
                "file_url": _file_url(player, open_review.response),
                "criteria": open_review.response.rubric["criteria"],
            }
            if open_review
            else None,
        }


def block_action(
    request: HttpRequest, player: PlayerContext, block: dict[str, Any], action: str
) -> HttpResponseBase:
    """The open-response actions of ``block_action``; every one checks enrolment here."""
    if block["kind"] != KIND or not player.access.may_read_all:
        raise Http404
    if action == "fichier-reponse":
        return _response_file(request, player, block["key"])
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not player.access.enrolled or player.publication_id is None:
        raise Http404
    handlers = {"repondre-ouvert": _submit, "demander-evaluation": _allocate,
                "evaluer": _review, "auto-evaluer": _self_review}  # fmt: skip
    key = block["key"]
    try:
        success = handlers[action](request, player, key)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    found = player.outline.block(key)
    assert found is not None
    target = reverse("player:unit", args=[player.run.pk, found[0].key])
    return redirect(f"{target}#bloc-{key}")


def _submit(request: HttpRequest, player: PlayerContext, key: str) -> str:
    found = player.outline.block(key)
    assert found is not None
    assert player.publication_id is not None
    text = request.POST.get("text", "")
    due_at = exam_gates.exam_due_for(
        user=_learner(request), course_run=player.run, unit=found[0],
        enrolled_at=enrolment_date(user=request.user, course_run=player.run), now=timezone.now(),
    )  # fmt: skip
    try:
        outcome = peer.open_response_submit(
            user=_learner(request),
            course_run=player.run,
            publication=courseware.publication_by_id(publication_id=player.publication_id),
            block_key=key,
            text=text,
            upload=request.FILES.get("file"),
            client_token=request.POST.get("token", ""),
            due_at=due_at,
        )
    except ServiceError:
        if len(text) <= peer.MAX_TEXT:  # kept for the next page, so nothing typed is lost
            request.session[_DRAFT] = {key: text}
        raise
    _complete(request, player, key)
    return "" if outcome.replayed else gettext("Réponse envoyée.")


def _allocate(request: HttpRequest, player: PlayerContext, key: str) -> str:
    peer.peer_review_allocate(reviewer=_learner(request), course_run=player.run, block_key=key)
    return ""


def _chosen(request: HttpRequest) -> dict[str, str]:
    return {
        name.removeprefix("critere-"): str(value)[:16]
        for name, value in request.POST.items()
        if name.startswith("critere-")
    }


def _review(request: HttpRequest, player: PlayerContext, key: str) -> str:
    peer.peer_review_submit(
        reviewer=_learner(request),
        course_run=player.run,
        block_key=key,
        response_id=request.POST.get("reponse", ""),
        scores=_chosen(request),
        comment=request.POST.get("comment", ""),
    )
    return gettext("Évaluation envoyée. Merci !")


def _self_review(request: HttpRequest, player: PlayerContext, key: str) -> str:
    peer.self_review_submit(
        user=_learner(request),
        course_run=player.run,
        block_key=key,
        scores=_chosen(request),
        comment=request.POST.get("comment", ""),
    )
    return gettext("Auto-évaluation enregistrée.")


def _response_file(request: HttpRequest, player: PlayerContext, key: str) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD") or not request.user.is_authenticated:
        raise Http404
    visible = selectors.responses_visible_to(
        user=_learner(request), course_run=player.run, is_staff=player.access.is_staff
    )
    try:
        public_id = uuid.UUID(request.GET.get("id", ""))
    except ValueError as error:
        raise Http404 from error
    response = visible.filter(block_key=key, public_id=public_id).first()
    if response is None or not response.file:
        raise Http404
    return response_file_response(request, response, anonymous=response.user_id != request.user.pk
                                  and not player.access.is_staff)  # fmt: skip
