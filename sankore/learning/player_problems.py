"""Problems in the player: each one's state for the learner, and their answers."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sankore.assessments import exam_gates
from sankore.assessments import selectors as assessment_selectors
from sankore.assessments import services as assessment_services
from sankore.assessments.block_types import ProblemType, choice_order
from sankore.assessments.pools import pool_draw
from sankore.core.errors import ServiceError
from sankore.courseware import selectors as courseware
from sankore.courseware.registry import block_type_of
from sankore.courseware.selectors import OutlineUnit
from sankore.learning import selectors
from sankore.learning.player_core import PlayerContext, _complete, _learner, _published


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
    due = unit[0].due_for(enrolled_at=None) if unit else None
    if unit and player.access.enrolled:  # an exam centre's window, when it runs the unit
        due = exam_gates.exam_due_for(
            user=_learner(request), course_run=player.run, unit=unit[0],
            enrolled_at=enrolled_at, now=timezone.now(),
        )  # fmt: skip
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
    due_at = exam_gates.exam_due_for(
        user=_learner(request), course_run=player.run, unit=unit[0],
        enrolled_at=selectors.enrolment_date(user=request.user, course_run=player.run),
        now=timezone.now(),
    )  # fmt: skip
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


# Supervised exams and question pools on a unit page.

EXAM_SHOWN = frozenset({"open", "staff"})  # states in which the exam's blocks are shown


def _exam_gate(request: HttpRequest, player: PlayerContext, unit: OutlineUnit) -> dict[str, Any]:
    """Where the user stands before a supervised exam: ``staff`` (sees it all), ``not_open``,
    ``closed``, ``enrol`` (only enrolled learners sit it), ``code`` (to type), ``open``; and
    ``refused`` with its ``message`` when an exam centre runs it (see
    ``assessments.exam_gates``): not registered, not checked in, not yet opened…"""
    assert unit.exam is not None
    now = timezone.now()
    decision = (
        exam_gates.exam_gate_decision(
            user=_learner(request), course_run=player.run, unit_key=unit.key, now=now
        )
        if player.access.enrolled and not player.access.is_staff
        else None
    )
    window: Any = unit.exam if decision is None else decision
    message: Any = ""
    if player.access.is_staff:
        state = "staff"
    elif decision is not None and not decision.allowed:
        state, message = "refused", decision.refusal
    elif decision is not None:
        granted = assessment_selectors.exam_access_granted(
            user=_learner(request), course_run=player.run, unit_key=unit.key,
            since=decision.opens_at,
        )  # fmt: skip
        state = "open" if granted else "code"
    elif now < unit.exam.opens_at:
        state = "not_open"
    elif now >= unit.exam.closes_at:
        state = "closed"
    elif not player.access.enrolled:
        state = "enrol"
    elif assessment_selectors.exam_access_granted(
        user=_learner(request), course_run=player.run, unit_key=unit.key
    ):
        state = "open"
    else:
        state = "code"
    return {
        "state": state, "window": window, "centre": decision is not None, "message": message,
        "shown": state in EXAM_SHOWN,
    }  # fmt: skip


def _exam_may_show(request: HttpRequest, player: PlayerContext, unit: OutlineUnit) -> bool:
    return unit.exam is None or _exam_gate(request, player, unit)["shown"]


def _drawn_only(
    request: HttpRequest, player: PlayerContext, unit: OutlineUnit, rendered: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, int] | None]:
    """A pool shows each learner their own draw (the staff see every problem)."""
    problems = unit.problem_keys
    if unit.pool_size is None or unit.pool_size >= len(problems):
        return rendered, None
    pool = {"size": unit.pool_size, "total": len(problems)}
    if player.access.is_staff and not player.access.enrolled:
        return rendered, pool
    if player.access.enrolled:
        drawn = assessment_selectors.problems_drawn(
            user=_learner(request), course_run=player.run, unit=unit
        )
    else:  # a visitor of a free-preview unit: a draw of their own, never recorded
        drawn = pool_draw(
            user_id=0, course_run_id=player.run.pk, unit_key=unit.key, problem_keys=problems,
            size=unit.pool_size,
        )  # fmt: skip
    hidden = set(problems) - set(drawn)
    return [item for item in rendered if item["key"] not in hidden], pool


@require_POST
def exam_unlock(request: HttpRequest, run_id: int, unit_key: str) -> HttpResponse:
    """A candidate types the access code given in the exam room."""
    player = _published(request, run_id)
    unit = player.outline.unit(unit_key)
    if unit is None or unit.exam is None or not player.access.enrolled:
        raise Http404
    if not player.access.may_open_unit(
        outline=player.outline, unit=unit, now=timezone.now(), pacing=player.run.pacing
    ):
        raise Http404
    try:
        assessment_services.exam_access_grant(
            user=_learner(request), course_run=player.run, unit=unit,
            code=request.POST.get("code", "")[:64],
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Vous êtes entré dans l'examen. Bon courage !"))
    return redirect("player:unit", player.run.pk, unit.key)
