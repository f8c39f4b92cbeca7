"""Peer assessment: a learner's open response, the reviews other learners give it with the
rubric, and the grade they make — race-safe, idempotent, and never waiting forever.

- A response is sent once (a client token makes a resent form the same response).
- A reviewer is handed, under ``SELECT … FOR UPDATE SKIP LOCKED``, the response of the same
  block and session with the fewest reviews handed out that is neither theirs nor already
  reviewed by them (priority to authors who review others); a unique (reviewer, response)
  and a unique open review per reviewer and block make a second hand-out impossible; an
  allocation not filled in within ``ALLOCATION_TTL`` is released.
- The score is the median of the peer totals once ``peers_required`` are in. Past the
  response's deadline with fewer, it is completed from what exists: the peer reviews
  received, else the self-assessment, else the course team grades it (staff queue).
  ``peer_deadlines_apply`` applies that rule for every response (a management command run
  from cron), and the player and the studio apply it lazily to what they show.
- A final score is written as the learner's ``ProblemScore`` for the block (attempts = 1,
  ``is_correct`` when the score is at least half the points) and the grade recomputed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.assessments.models import (
    OpenResponse,
    OpenResponseStatus,
    PeerGradeChange,
    PeerReview,
    ProblemScore,
    ScoreSource,
)
from sankore.assessments.peer_block import FILE_TYPES, KIND
from sankore.assessments.peer_rubric import peer_score, review_total
from sankore.assessments.services import MAX_TOKEN_LENGTH, PastDueError, grade_refresh
from sankore.catalog.models import CourseRun
from sankore.core.errors import ConflictError, NotFoundError, ServiceError
from sankore.core.uploads import file_check
from sankore.courseware.models import PublishedBlock, PublishedOutline
from sankore.courseware.selectors import outline_of, publication_current

ALLOCATION_TTL = datetime.timedelta(hours=1)
MAX_TEXT = 20_000
MAX_COMMENT = 5_000
PASSING_SCORE = Decimal("0.5")  # a response scored at least half the points is "correct"


class ResponseError(ServiceError):
    """The response cannot be taken as sent (empty, too long, a file refused)."""


class AlreadySubmittedError(ConflictError):
    pass


class NothingToReviewError(ConflictError):
    pass


class ReviewExpiredError(ConflictError):
    pass


class ReviewError(ServiceError):
    """A review (or a staff grading) does not fill the rubric as it should."""


@dataclass(frozen=True)
class ResponseOutcome:
    response: OpenResponse
    replayed: bool  # the same token was sent before: nothing new was stored


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return timezone.now() if now is None else now


def _open_response_block(*, publication: PublishedOutline, block_key: str) -> PublishedBlock:
    block = PublishedBlock.objects.filter(publication=publication, key=block_key, kind=KIND).first()
    if block is None:
        raise NotFoundError(_("Cette activité n'existe pas dans ce cours."), code="not_open")
    return block


def open_response_submit(
    *,
    user: User,
    course_run: CourseRun,
    publication: PublishedOutline,
    block_key: str,
    text: str,
    upload: UploadedFile | None,
    client_token: str,
    due_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> ResponseOutcome:
    """Store ``user``'s one response to the block: its text and/or file as the block
    accepts them; refuses an empty one, a text over ``MAX_TEXT`` characters, a file of a
    type not accepted, too big or not what its name says, a second response, and one past
    ``due_at``. The same ``client_token`` sent again returns the first response."""
    if not client_token or len(client_token) > MAX_TOKEN_LENGTH:
        raise ServiceError(_("Formulaire expiré : rechargez la page."), code="token")
    if publication.course_run_id != course_run.pk:
        raise NotFoundError(_("Cette activité n'existe pas dans ce cours."), code="not_open")
    block = _open_response_block(publication=publication, block_key=block_key)
    content = block.content
    moment = _now(now)
    if due_at is not None and moment > due_at:
        raise PastDueError(
            _("La date limite de cette activité est passée : elle n'accepte plus de réponse."),
            code="past_due",
        )
    earlier = OpenResponse.objects.filter(
        user=user, course_run=course_run, block_key=block_key
    ).first()
    if earlier is not None:
        return _replayed(earlier, client_token)
    text = text.replace("\r\n", "\n").strip()
    if text and not content["allow_text"]:
        raise ResponseError(_("Cette activité attend un fichier, pas un texte."), code="no_text")
    if len(text) > MAX_TEXT:
        raise ResponseError(
            _("Votre texte fait %(length)s caractères : il en a au plus %(max)s.")
            % {"length": len(text), "max": MAX_TEXT},
            code="text_too_long",
        )
    if upload is not None and not content["allow_file"]:
        raise ResponseError(_("Cette activité n'accepte pas de fichier."), code="no_file")
    if not text and upload is None:
        raise ResponseError(_("Votre réponse est vide."), code="empty_response")
    extension = (
        file_check(
            upload,
            allowed=content["file_types"],
            max_bytes=settings.ASSESSMENTS_PEER_FILE_MAX_BYTES,
        )
        if upload is not None
        else ""
    )
    response = OpenResponse(
        user=user,
        course_run=course_run,
        block_key=block_key,
        publication_version=publication.version,
        client_token=client_token,
        text=text,
        rubric={
            "criteria": content["rubric"],
            "max_points": content["max_points"],
            "self_assessment": bool(content.get("self_assessment")),
        },
        peers_required=int(content["peers"]),
        submitted_at=moment,
        deadline_at=moment + datetime.timedelta(days=int(content["delay_days"])),
    )
    if upload is not None:
        # Stored first (a storage is not transactional), removed if the row cannot be.
        response.file.save(f"reponse.{extension}", upload, save=False)
        response.file_name = (upload.name or "")[-200:]
        response.file_type = FILE_TYPES[extension]
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:  # the same learner, at the same moment, from another tab
        _file_discard(response)
        earlier = OpenResponse.objects.filter(
            user=user, course_run=course_run, block_key=block_key
        ).first()
        if earlier is None:
            raise
        return _replayed(earlier, client_token)
    except BaseException:
        _file_discard(response)
        raise
    return ResponseOutcome(response, replayed=False)


def _replayed(earlier: OpenResponse, client_token: str) -> ResponseOutcome:
    if earlier.client_token != client_token:
        raise AlreadySubmittedError(
            _("Vous avez déjà envoyé votre réponse à cette activité."), code="already_submitted"
        )
    return ResponseOutcome(earlier, replayed=True)


def _file_discard(response: OpenResponse) -> None:
    if response.file and response.file.name:
        default_storage.delete(response.file.name)


def allocations_release(
    *,
    now: datetime.datetime | None = None,
    course_run: CourseRun | None = None,
    block_key: str | None = None,
) -> int:
    """Hand back the peer reviews allocated more than ``ALLOCATION_TTL`` ago and never
    filled in (a review being filled in right now is locked, hence skipped)."""
    cutoff = _now(now) - ALLOCATION_TTL
    released = 0
    with transaction.atomic():
        expired = PeerReview.objects.select_for_update(skip_locked=True).filter(
            submitted_at__isnull=True, is_self=False, allocated_at__lt=cutoff
        )
        if course_run is not None:
            expired = expired.filter(course_run=course_run)
        if block_key is not None:
            expired = expired.filter(block_key=block_key)
        for review in list(expired.order_by("pk")[:1000]):
            OpenResponse.objects.filter(pk=review.response_id).update(
                peer_reviews_allocated=F("peer_reviews_allocated") - 1
            )
            review.delete()
            released += 1
    return released


def _reviews_of(reviewer: User, course_run: CourseRun, block_key: str) -> QuerySet[PeerReview]:
    return PeerReview.objects.filter(
        reviewer=reviewer, course_run=course_run, block_key=block_key, is_self=False
    )


def peer_review_allocate(
    *,
    reviewer: User,
    course_run: CourseRun,
    block_key: str,
    now: datetime.datetime | None = None,
) -> PeerReview:
    """The peer response ``reviewer`` is to assess now: the one already in their hands, or
    a new one. Refuses before their own response, past their share of reviews, and when no
    response is waiting for a reviewer."""
    moment = _now(now)
    own = OpenResponse.objects.filter(
        user=reviewer, course_run=course_run, block_key=block_key
    ).first()
    if own is None:
        raise NothingToReviewError(
            _("Envoyez d'abord votre réponse : vous évaluerez ensuite celles de vos pairs."),
            code="respond_first",
        )
    with transaction.atomic():
        allocations_release(now=moment, course_run=course_run, block_key=block_key)
        current = (
            _reviews_of(reviewer, course_run, block_key)
            .filter(submitted_at__isnull=True)
            .select_related("response")
            .first()
        )
        if current is not None:
            return current
        if _reviews_of(reviewer, course_run, block_key).count() >= own.peers_required:
            raise NothingToReviewError(
                _("Vous avez fait toutes les évaluations demandées. Merci !"), code="reviews_done"
            )
        reviewed = PeerReview.objects.filter(
            reviewer=reviewer, course_run=course_run, block_key=block_key
        ).values("response_id")
        candidate = (
            OpenResponse.objects.select_for_update(skip_locked=True)
            .filter(
                course_run=course_run,
                block_key=block_key,
                status=OpenResponseStatus.PEERS,
                peer_reviews_allocated__lt=F("peers_required"),
            )
            .exclude(user=reviewer)
            .exclude(pk__in=reviewed)
            .order_by("peer_reviews_allocated", "-reviews_given", "submitted_at", "pk")
            .first()
        )
        if candidate is None:
            raise NothingToReviewError(
                _("Aucune réponse n'attend d'évaluation pour le moment : revenez plus tard."),
                code="nothing_to_review",
            )
        try:
            with transaction.atomic():
                review = PeerReview.objects.create(
                    response=candidate,
                    reviewer=reviewer,
                    course_run=course_run,
                    block_key=block_key,
                    allocated_at=moment,
                )
        except IntegrityError as error:  # the same reviewer, from another tab, just now
            current = (
                _reviews_of(reviewer, course_run, block_key)
                .filter(submitted_at__isnull=True)
                .select_related("response")
                .first()
            )
            if current is None:
                raise ConflictError(
                    _("Une évaluation vient de vous être confiée : rechargez la page."),
                    code="allocation_race",
                ) from error
            return current
        OpenResponse.objects.filter(pk=candidate.pk).update(
            peer_reviews_allocated=F("peer_reviews_allocated") + 1
        )
    return review


def _checked_total(criteria: list[dict[str, object]], scores: Mapping[str, str]) -> Decimal:
    chosen = {key: value for key, value in scores.items() if value}
    total = review_total(criteria, chosen)
    if total is None:
        missing = [  # not chosen, or a level the criterion does not have
            str(c["name"])
            for c in criteria
            if review_total([c], {str(c["id"]): chosen.get(str(c["id"]), "")}) is None
        ]
        raise ReviewError(
            _("Choisissez un niveau pour chaque critère : %(names)s.")
            % {"names": ", ".join(missing) or "?"},
            code="rubric_incomplete",
        )
    return total


def _checked_comment(comment: str) -> str:
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise ReviewError(
            _("Le commentaire a au plus %(max)s caractères.") % {"max": MAX_COMMENT},
            code="comment_too_long",
        )
    return comment


def peer_review_submit(
    *,
    reviewer: User,
    course_run: CourseRun,
    block_key: str,
    response_id: str,
    scores: Mapping[str, str],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> PeerReview:
    """Fill in the review of the response (``response_id``: its public id) allocated to
    ``reviewer``: one level per criterion, an optional comment. A review already sent is
    returned unchanged (a resent form); one released meanwhile is refused."""
    moment = _now(now)
    with transaction.atomic():
        review = (
            PeerReview.objects.select_for_update(of=("self",))
            .select_related("response")
            .filter(
                reviewer=reviewer,
                course_run=course_run,
                block_key=block_key,
                is_self=False,
                response__public_id=_uuid_or_none(response_id),
            )
            .first()
        )
        if review is not None and review.submitted_at is not None:
            return review
        if review is None:
            raise ReviewExpiredError(
                _("Cette évaluation ne vous est plus confiée (plus d'une heure sans envoi) : "
                  "demandez une autre réponse à évaluer."),
                code="review_expired",
            )  # fmt: skip
        response = review.response
        # The two rows counted below, locked in one order: two learners reviewing each
        # other at the same moment would otherwise each hold one and wait for the other.
        list(
            OpenResponse.objects.select_for_update()
            .filter(
                Q(pk=response.pk) | Q(user=reviewer, course_run=course_run, block_key=block_key)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        review.total = _checked_total(response.rubric["criteria"], scores)
        review.scores = {key: value for key, value in scores.items() if value}
        review.comment = _checked_comment(comment)
        review.submitted_at = moment
        review.save(update_fields=["total", "scores", "comment", "submitted_at"])
        OpenResponse.objects.filter(pk=response.pk).update(
            peer_reviews_done=F("peer_reviews_done") + 1
        )
        OpenResponse.objects.filter(
            user=reviewer, course_run=course_run, block_key=block_key
        ).update(reviews_given=F("reviews_given") + 1)
        peer_grade_finalise(response_id=response.pk, now=moment)
    return review


def _uuid_or_none(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)  # matches no response


def self_review_submit(
    *,
    user: User,
    course_run: CourseRun,
    block_key: str,
    scores: Mapping[str, str],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> PeerReview:
    """The learner's assessment of their own response with the rubric, once."""
    moment = _now(now)
    with transaction.atomic():
        response = (
            OpenResponse.objects.select_for_update()
            .filter(user=user, course_run=course_run, block_key=block_key)
            .first()
        )
        if response is None:
            raise ReviewError(
                _("Envoyez d'abord votre réponse pour l'auto-évaluer."), code="respond_first"
            )
        if not response.rubric.get("self_assessment"):
            raise ReviewError(
                _("Cette activité ne demande pas d'auto-évaluation."), code="no_self_assessment"
            )
        earlier = PeerReview.objects.filter(response=response, reviewer=user, is_self=True).first()
        if earlier is not None:
            return earlier
        # Asked only while the grade may still need it: past the deadline, the grade is
        # made from what existed then (peers, the self-assessment, or the course team).
        if response.status != OpenResponseStatus.PEERS or moment >= response.deadline_at:
            raise ReviewError(
                _("Votre note est arrêtée : l'auto-évaluation n'est plus possible."),
                code="self_closed",
            )
        review = PeerReview.objects.create(
            response=response,
            reviewer=user,
            course_run=course_run,
            block_key=block_key,
            is_self=True,
            scores={key: value for key, value in scores.items() if value},
            total=_checked_total(response.rubric["criteria"], scores),
            comment=_checked_comment(comment),
            allocated_at=moment,
            submitted_at=moment,
        )
        peer_grade_finalise(response_id=response.pk, now=moment)
    return review


def peer_grade_finalise(*, response_id: int, now: datetime.datetime | None = None) -> OpenResponse:
    """Grade the response if it can be: with ``peers_required`` peer reviews, the median of
    their totals; past its deadline, the median of those received, else the self-assessment,
    else it waits for the course team. Idempotent: a response no longer waiting for peers is
    returned as it is."""
    moment = _now(now)
    with transaction.atomic():
        response = OpenResponse.objects.select_for_update().get(pk=response_id)
        if response.status != OpenResponseStatus.PEERS:
            return response
        totals = [
            total
            for total in PeerReview.objects.filter(
                response=response, is_self=False, submitted_at__isnull=False
            ).values_list("total", flat=True)
            if total is not None
        ]
        max_points = Decimal(str(response.rubric["max_points"]))
        if len(totals) < response.peers_required and moment < response.deadline_at:
            return response
        if totals:
            _grade_write(response, peer_score(totals, max_points=max_points), ScoreSource.PEERS,
                         moment)  # fmt: skip
            return response
        self_total = (
            PeerReview.objects.filter(response=response, is_self=True, submitted_at__isnull=False)
            .values_list("total", flat=True)
            .first()
        )
        if self_total is not None:
            _grade_write(response, peer_score([self_total], max_points=max_points),
                         ScoreSource.SELF, moment)  # fmt: skip
            return response
        response.status = OpenResponseStatus.STAFF
        response.save(update_fields=["status"])
    return response


def _grade_write(
    response: OpenResponse, score: Decimal, source: str, moment: datetime.datetime
) -> None:
    """The response's final score, the learner's score on the block, their grade."""
    response.score = score
    response.score_source = source
    response.status = OpenResponseStatus.GRADED
    response.graded_at = moment
    response.save(update_fields=["score", "score_source", "status", "graded_at"])
    problem, _created = ProblemScore.objects.get_or_create(
        user_id=response.user_id, course_run_id=response.course_run_id, block_key=response.block_key
    )
    problem = ProblemScore.objects.select_for_update().get(pk=problem.pk)
    problem.attempts = 1
    problem.score = score
    problem.is_correct = score >= PASSING_SCORE
    problem.updated_at = moment
    problem.save(update_fields=["attempts", "score", "is_correct", "updated_at"])
    publication = publication_current(course_run_id=response.course_run_id)
    if publication is not None:
        grade_refresh(
            user=response.user,
            course_run=response.course_run,
            outline=outline_of(publication),
            now=moment,
        )


def peer_deadlines_apply(
    *, now: datetime.datetime | None = None, course_run: CourseRun | None = None
) -> int:
    """Apply the delay rule to every response (or a session's) whose deadline has passed
    while it waits for peers, and release the allocations left unfilled; returns how many
    responses changed state. Idempotent: run it as often as you like."""
    moment = _now(now)
    allocations_release(now=moment, course_run=course_run)
    due = OpenResponse.objects.filter(status=OpenResponseStatus.PEERS, deadline_at__lte=moment)
    if course_run is not None:
        due = due.filter(course_run=course_run)
    changed = 0
    last = 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:500])
        if not ids:
            return changed
        for response_id in ids:
            if peer_grade_finalise(response_id=response_id, now=moment).status != (
                OpenResponseStatus.PEERS
            ):
                changed += 1
        last = ids[-1]


def peer_grade_override(
    *,
    response: OpenResponse,
    scores: Mapping[str, str],
    reason: str,
    changed_by: User,
    now: datetime.datetime | None = None,
) -> OpenResponse:
    """The course team grades the response with the rubric: a response waiting for them
    (or still for peers), or one already graded — then the reason is mandatory. Every
    grading is kept in the audit log."""
    moment = _now(now)
    reason = reason.strip()
    with transaction.atomic():
        locked = OpenResponse.objects.select_for_update().get(pk=response.pk)
        if locked.score is not None and not reason:
            raise ReviewError(
                _("Indiquez le motif de la correction : cette réponse a déjà une note."),
                code="reason_required",
            )
        total = _checked_total(locked.rubric["criteria"], scores)
        # The same arithmetic as a peer grade (a fraction of the maximum, rounded half-up).
        new = peer_score([total], max_points=Decimal(str(locked.rubric["max_points"])))
        old = locked.score
        source = ScoreSource.OVERRIDE if old is not None else ScoreSource.STAFF
        _grade_write(locked, new, source, moment)
        PeerGradeChange.objects.create(
            response=locked, changed_by=changed_by, old_score=old, new_score=new,
            scores={key: value for key, value in scores.items() if value}, reason=reason[:2000],
            changed_at=moment,
        )  # fmt: skip
    return locked
