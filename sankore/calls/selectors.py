"""Reads of the calls' peer review and committee, shared by the pages, the exports and the
e-mails: what a reviewer may see, the committee's ranking, the feedback an applicant reads.

The ranking page of a call with 500 applications stays under a second: a fixed number of
queries (applications, reviews, criteria, decisions) whatever the size, then the pure
arithmetic of ``ranking.rank``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from sankore.calls import ranking
from sankore.calls.models import (
    Application,
    ApplicationStatus,
    AssignmentState,
    Call,
    CallReviewer,
    Criterion,
    Decision,
    Review,
    ReviewAssignment,
    ReviewStatus,
)


def _criteria(call: Call) -> list[Criterion]:
    return list(Criterion.objects.filter(call=call).order_by("position", "pk"))


def review_score(*, criteria: list[Criterion], scores: dict[str, int]) -> Decimal:
    """A handed-in review's score out of 100, as the ranking computes it."""
    grid = [ranking.Criterion(id=c.pk, weight=c.weight, scale_max=c.scale_max) for c in criteria]
    review = ranking.Review(
        reviewer_id=0, application_id=0, scores={c.pk: scores[c.key] for c in criteria}
    )
    return ranking.display(ranking.weighted_score(grid, review))


@dataclass(frozen=True)
class FeedbackLine:
    title: str
    score: int
    scale_max: int


@dataclass(frozen=True)
class FeedbackReview:
    number: int  # « Expert 1 », « Expert 2 »…: the order of the assignments, never a name
    score: Decimal
    criteria: tuple[FeedbackLine, ...]
    comment: str


@dataclass(frozen=True)
class Feedback:
    decision: Decision | None
    reviews: tuple[FeedbackReview, ...]


def application_feedback(*, application: Application) -> Feedback:
    """What the applicant reads once the results are notified: the decision, its motivation
    and the handed-in reviews' scores and comments for them — no reviewer, no confidential
    comment."""
    decision = Decision.objects.filter(application=application).first()
    criteria = _criteria(application.call)
    reviews = (
        Review.objects.filter(assignment__application=application, status=ReviewStatus.SUBMITTED)
        .exclude(assignment__state=AssignmentState.REMOVED)
        .order_by("assignment_id")
        .only("scores", "comment_to_applicant")
    )
    lines = []
    for number, review in enumerate(reviews, start=1):
        lines.append(
            FeedbackReview(
                number=number,
                score=review_score(criteria=criteria, scores=review.scores),
                criteria=tuple(
                    FeedbackLine(title=c.title, score=review.scores[c.key], scale_max=c.scale_max)
                    for c in criteria
                ),
                comment=review.comment_to_applicant,
            )
        )
    return Feedback(decision=decision, reviews=tuple(lines))


def reviewer_panels(*, user_id: int) -> QuerySet[CallReviewer]:
    """The calls' panels a person sits on."""
    return (
        CallReviewer.objects.filter(expert__user_id=user_id, expert__active=True)
        .select_related("call")
        .order_by("-call__closes_at")
    )


def reviewer_assignments(*, reviewer: CallReviewer) -> QuerySet[ReviewAssignment]:
    """A reviewer's active assignments (the applications they must review)."""
    return (
        ReviewAssignment.objects.filter(reviewer=reviewer, state=AssignmentState.CONFIRMED)
        .select_related("application__lead", "application__strand", "review")
        .order_by("application_id")
    )


@dataclass(frozen=True)
class RankedApplication:
    row: ranking.Row
    application: Application
    decision: Decision | None
    # Reviews expected (active assignments) and handed in.
    expected: int


@dataclass(frozen=True)
class CallRanking:
    rows: tuple[RankedApplication, ...]
    budget: Decimal
    funded: Decimal
    remaining: Decimal
    normalised: bool
    reviews_missing: int


def call_ranking(*, call: Call, normalise: bool | None = None) -> CallRanking:
    """The committee's table: every submitted application ranked by its weighted score
    (normalised per reviewer when the call says so, or when asked), the disagreement flag,
    the running total of the requested amounts against the budget, the decision taken."""
    use_normalisation = call.normalise_scores if normalise is None else normalise
    criteria = _criteria(call)
    grid = [ranking.Criterion(id=c.pk, weight=c.weight, scale_max=c.scale_max) for c in criteria]
    ids = {c.key: c.pk for c in criteria}
    applications = {
        a.pk: a
        for a in Application.objects.filter(
            call=call, status=ApplicationStatus.SUBMITTED, stage=call.review_stage
        )
        .select_related("lead", "strand", "tier")
        .order_by("pk")
    }
    expected: dict[int, int] = {}
    for application_id in ReviewAssignment.objects.filter(
        application__call=call, state=AssignmentState.CONFIRMED
    ).values_list("application_id", flat=True):
        expected[application_id] = expected.get(application_id, 0) + 1
    reviews = [
        ranking.Review(
            reviewer_id=reviewer_id,
            application_id=application_id,
            scores={ids[key]: value for key, value in scores.items() if key in ids},
        )
        for reviewer_id, application_id, scores in Review.objects.filter(
            assignment__application__call=call,
            assignment__application__status=ApplicationStatus.SUBMITTED,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment__state=AssignmentState.REMOVED)
        .values_list("assignment__reviewer_id", "assignment__application_id", "scores")
    ]
    result = ranking.rank(
        criteria=grid,
        reviews=reviews,
        requested={pk: a.requested_amount for pk, a in applications.items()},
        budget=call.total_budget,
        threshold=Decimal(call.disagreement_threshold),
        normalise=use_normalisation,
    )
    decisions = {d.application_id: d for d in Decision.objects.filter(application__call=call)}
    handed_in: dict[int, int] = {}
    for review in reviews:
        handed_in[review.application_id] = handed_in.get(review.application_id, 0) + 1
    missing = sum(
        max(0, count - handed_in.get(application_id, 0))
        for application_id, count in expected.items()
    )
    return CallRanking(
        rows=tuple(
            RankedApplication(
                row=row,
                application=applications[row.application_id],
                decision=decisions.get(row.application_id),
                expected=expected.get(row.application_id, 0),
            )
            for row in result.rows
        ),
        budget=result.budget,
        funded=result.funded,
        remaining=result.remaining,
        normalised=use_normalisation,
        reviews_missing=missing,
    )
