"""Reads of open responses and their reviews, for the player and the studio.

Who may see a response is answered in one place, ``responses_visible_to``, as a queryset:
its author, a reviewer it was handed to, the course team. A learner is never given another
learner's identity: what the player shows of others' responses carries no user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from sankore.accounts.models import User
from sankore.assessments.models import OpenResponse, PeerGradeChange, PeerReview
from sankore.catalog.models import CourseRun


def responses_visible_to(
    *, user: User, course_run: CourseRun, is_staff: bool
) -> QuerySet[OpenResponse]:
    """The session's responses ``user`` may read: all for its course team; otherwise their
    own and those handed to them for review."""
    responses = OpenResponse.objects.filter(course_run=course_run)
    if is_staff:
        return responses
    return responses.filter(
        Q(user=user) | Q(reviews__reviewer=user, reviews__is_self=False)
    ).distinct()


def open_responses_of_learner(
    *, user: User, course_run: CourseRun, block_keys: Iterable[str]
) -> dict[str, OpenResponse]:
    return {
        response.block_key: response
        for response in OpenResponse.objects.filter(
            user=user, course_run=course_run, block_key__in=list(block_keys)
        )
    }


def reviews_by_reviewer(
    *, user: User, course_run: CourseRun, block_keys: Iterable[str]
) -> dict[str, list[PeerReview]]:
    """The peer reviews ``user`` was handed (done or not), by block, with their responses."""
    grouped: dict[str, list[PeerReview]] = defaultdict(list)
    for review in (
        PeerReview.objects.filter(
            reviewer=user, course_run=course_run, block_key__in=list(block_keys), is_self=False
        )
        .select_related("response")
        .order_by("allocated_at", "pk")
    ):
        grouped[review.block_key].append(review)
    return grouped


def reviews_received(*, response_ids: Iterable[int]) -> dict[int, list[PeerReview]]:
    """The reviews sent about these responses (peers' and self), oldest first."""
    grouped: dict[int, list[PeerReview]] = defaultdict(list)
    for review in PeerReview.objects.filter(
        response_id__in=list(response_ids), submitted_at__isnull=False
    ).order_by("submitted_at", "pk"):
        grouped[review.response_id].append(review)
    return grouped


def open_responses_of_run(*, course_run: CourseRun, status: str = "") -> QuerySet[OpenResponse]:
    """The session's responses for its course team, with their authors (one query a page)."""
    responses = OpenResponse.objects.filter(course_run=course_run).select_related("user")
    if status:
        responses = responses.filter(status=status)
    return responses.order_by("-submitted_at", "-pk")


def open_response_for_staff(*, course_run: CourseRun, public_id: str) -> OpenResponse | None:
    return (
        OpenResponse.objects.filter(course_run=course_run, public_id=public_id)
        .select_related("user")
        .first()
    )


def reviews_of_response(*, response: OpenResponse) -> QuerySet[PeerReview]:
    return response.reviews.select_related("reviewer").order_by("allocated_at", "pk")


def grade_changes_of_response(*, response: OpenResponse) -> QuerySet[PeerGradeChange]:
    return response.changes.select_related("changed_by").order_by("-changed_at", "-pk")
