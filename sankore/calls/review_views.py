"""The reviewers' pages: the calls whose panel they sit on, a call's applications to bid on
(never one they are conflicted with) with the declaration of a conflict, and the review of an
assigned application (its dossier read-only, a score per criterion, two comments). Another
reviewer's assignment, or an application out of reach, is a 404: nothing says it exists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.calls import reviewing, selectors
from sankore.calls.models import (
    Application,
    ApplicationStatus,
    AssignmentState,
    Bid,
    BidValue,
    Call,
    CallReviewer,
    Criterion,
    Expert,
    ReviewAssignment,
    ReviewStatus,
    SectionKind,
)
from sankore.calls.views import _user
from sankore.core.errors import ServiceError
from sankore.core.numbers import id_parse


@require_safe
@login_required
def reviewer_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    panels = list(selectors.reviewer_panels(user_id=user.pk))
    is_expert = Expert.objects.filter(user=user).exists()
    return render(request, "calls/reviewer_home.html", {"panels": panels, "is_expert": is_expert})


def _my_panel(request: HttpRequest, slug: str) -> CallReviewer:
    return get_object_or_404(
        CallReviewer.objects.select_related("call", "expert"),
        call__slug=slug, expert__user=_user(request), expert__active=True,
    )  # fmt: skip


@require_safe
@login_required
def call_expertise(request: HttpRequest, slug: str) -> HttpResponse:
    reviewer = _my_panel(request, slug)
    call: Call = reviewer.call
    started = timezone.now() >= call.review_starts_at
    conflicts = reviewing.conflicts_for(reviewer=reviewer) if started else {}
    bids = dict(Bid.objects.filter(reviewer=reviewer).values_list("application_id", "value"))
    applications: list[Any] = []
    if started:
        for application in (
            Application.objects.filter(
                call=call, status=ApplicationStatus.SUBMITTED, stage=call.review_stage
            )
            .exclude(pk__in=list(conflicts))
            .select_related("lead", "strand")
            .prefetch_related("partners__institution")
            .order_by("pk")
        ):
            applications.append({
                "application": application,
                "summary": str(application.answers.get("resume", ""))[:600],
                "bid": bids.get(application.pk, ""),
            })  # fmt: skip
    return render(
        request,
        "calls/expertise.html",
        {
            "reviewer": reviewer, "call": call, "started": started,
            "applications": applications, "conflict_count": len(conflicts),
            "assignments": selectors.reviewer_assignments(reviewer=reviewer),
            "bid_choices": BidValue.choices, "zone": call.time_zone,
        },
    )  # fmt: skip


@require_POST
@login_required
def bids_save(request: HttpRequest, slug: str) -> HttpResponse:
    reviewer = _my_panel(request, slug)
    user = _user(request)
    changed = 0
    wanted = {
        pk: str(value)
        for key, value in request.POST.items()
        if key.startswith("bid-") and value and (pk := id_parse(key.removeprefix("bid-")))
    }
    applications = Application.objects.filter(call=reviewer.call, pk__in=list(wanted))
    try:
        for application in applications.order_by("pk"):
            reviewing.bid_set(
                reviewer=reviewer, application=application, value=wanted[application.pk], by=user
            )
            changed += 1
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, gettext("Vos souhaits sont enregistrés (%(count)s).") % {"count": changed}
        )
    return redirect("calls:expertise", slug=slug)


@require_POST
@login_required
def conflict_declare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reviewer = _my_panel(request, slug)
    application = get_object_or_404(
        Application, pk=pk, call=reviewer.call, status=ApplicationStatus.SUBMITTED
    )
    if reviewing.conflict_of(reviewer=reviewer, application=application) is not None:
        raise Http404
    try:
        reviewing.conflict_declare(
            reviewer=reviewer, application=application, by=_user(request),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            gettext("Conflit déclaré : cette candidature ne vous sera pas confiée."),
        )
    return redirect("calls:expertise", slug=slug)


def _my_assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "application__call", "application__lead", "application__strand", "reviewer__expert"
        ),
        pk=pk, reviewer__expert__user=_user(request), state=AssignmentState.CONFIRMED,
        reviewer__expert__active=True,
    )  # fmt: skip
    # A conflict may appear after the assignment (a new link declared, a change of
    # institution): the application is then out of reach, as any other conflicted one.
    reason = reviewing.conflict_of(reviewer=assignment.reviewer, application=assignment.application)
    if reason is not None:
        raise Http404
    return assignment


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _my_assignment(request, pk)
    application = assignment.application
    call = application.call
    criteria = list(Criterion.objects.filter(call=call).order_by("position", "pk"))
    review = getattr(assignment, "review", None)
    scores: dict[str, Any] = dict(review.scores) if review else {}
    to_applicant = review.comment_to_applicant if review else ""
    to_committee = review.comment_to_committee if review else ""
    error = None
    if request.method == "POST":
        scores = {c.key: request.POST.get(f"score-{c.key}", "") for c in criteria}
        to_applicant = request.POST.get("comment_to_applicant", "")
        to_committee = request.POST.get("comment_to_committee", "")
        submit = request.POST.get("action") == "remettre"
        try:
            reviewing.review_save(
                assignment=assignment, by=_user(request), scores=scores,
                comment_to_applicant=to_applicant, comment_to_committee=to_committee,
                submit=submit,
            )  # fmt: skip
        except ServiceError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                gettext("Évaluation remise. Merci !") if submit
                else gettext("Évaluation enregistrée : vous pouvez la reprendre plus tard."),
            )  # fmt: skip
            return redirect("calls:review", pk=assignment.pk)
    sections = [
        {"section": section, "value": application.answers.get(section.key, "")}
        for section in call.sections.filter(stage=application.stage, kind=SectionKind.TEXT)
    ]
    finished = review is not None and review.status == ReviewStatus.SUBMITTED
    return render(
        request,
        "calls/review_form.html",
        {
            "assignment": assignment, "application": application, "call": call,
            "criteria": [
                {"criterion": c, "value": str(scores.get(c.key, "")),
                 "choices": [str(n) for n in range(c.scale_max + 1)]}
                for c in criteria
            ],
            "sections": sections, "to_applicant": to_applicant, "to_committee": to_committee,
            "partners": application.partners.select_related("institution"),
            "attachments": application.attachments.select_related("section"),
            "error": error, "finished": finished, "review": review,
            "open": call.review_starts_at <= timezone.now() < call.review_ends_at,
            "zone": call.time_zone,
            "score": selectors.review_score(criteria=criteria, scores=review.scores)
            if finished and review else None,
        },
        status=400 if error else 200,
    )  # fmt: skip
