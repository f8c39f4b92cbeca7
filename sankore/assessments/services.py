"""Submitting answers and keeping grades: race-safe, idempotent, append-only.

A submission locks the learner's score row for that problem, so two tabs or a retried
request can neither exceed the attempts nor count one answer twice; the same client token
sent again returns the first submission. Grades are recomputed for that learner in the same
transaction, from the stored scores and the session's policy.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.assessments import events, exam_gates, recompute, selectors
from sankore.assessments import grading as arithmetic
from sankore.assessments.block_types import GradeResult, ProblemType
from sankore.assessments.models import (
    AssessmentType,
    ExamAccess,
    GradeChange,
    GradeRecomputation,
    GradingPolicy,
    LearnerGrade,
    ProblemScore,
    RecomputationStatus,
    Submission,
)
from sankore.catalog.models import CourseRun
from sankore.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ServiceError
from sankore.courseware import selectors as courseware_selectors
from sankore.courseware.exam_codes import exam_code_matches
from sankore.courseware.models import PublishedBlock, PublishedOutline
from sankore.courseware.registry import block_type_of
from sankore.courseware.selectors import Outline, OutlineUnit

MAX_TOKEN_LENGTH = 64


class AttemptsExhaustedError(ConflictError):
    pass


class PolicyError(ServiceError):
    pass


class PastDueError(ConflictError):
    pass


@dataclass(frozen=True)
class SubmissionOutcome:
    submission: Submission
    result: GradeResult
    replayed: bool  # the same token was sent before: nothing new was stored


def _problem(
    *, publication: PublishedOutline, block_key: str
) -> tuple[PublishedBlock, ProblemType]:
    block = PublishedBlock.objects.filter(publication=publication, key=block_key).first()
    block_type = block_type_of(block.kind) if block else None
    if block is None or not isinstance(block_type, ProblemType) or block.grading is None:
        raise NotFoundError(_("Cet exercice n'existe pas dans ce cours."), code="not_a_problem")
    return block, block_type


def submission_create(
    *,
    user: User,
    course_run: CourseRun,
    publication: PublishedOutline,
    block_key: str,
    answer_data: QueryDict,
    client_token: str,
    due_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> SubmissionOutcome:
    """Grade and store one answer of ``user`` to the problem ``block_key`` of the
    publication they see; refuses a malformed answer, an answer past the last attempt and
    one past ``due_at`` (the caller knows the learner's due date: their enrolment's)."""
    if not client_token or len(client_token) > MAX_TOKEN_LENGTH:
        raise ServiceError(_("Formulaire expiré : rechargez la page."), code="token")
    if publication.course_run_id != course_run.pk:
        raise NotFoundError(_("Cet exercice n'existe pas dans ce cours."), code="not_a_problem")
    block, block_type = _problem(publication=publication, block_key=block_key)
    outline = Outline(publication.outline, version=publication.version)
    found = outline.block(block_key)
    if found is None:
        raise NotFoundError(_("Cet exercice n'existe pas dans ce cours."), code="not_a_problem")
    unit = found[0]
    moment = timezone.now() if now is None else now
    if unit.exam is not None:
        _exam_check(user=user, course_run=course_run, unit=unit, now=moment)
    if unit.pool_size is not None and block_key not in selectors.problems_drawn(
        user=user, course_run=course_run, unit=unit
    ):
        raise NotFoundError(
            _("Cet exercice ne fait pas partie de ceux tirés pour vous."), code="not_drawn"
        )
    if due_at is not None and moment > due_at:
        raise PastDueError(
            _("La date limite de cet exercice est passée : il n'accepte plus de réponse."),
            code="past_due",
        )
    answer = block_type.answer_parse(answer_data, block.content)
    with transaction.atomic():
        score, _created = ProblemScore.objects.get_or_create(
            user=user, course_run=course_run, block_key=block_key
        )
        score = ProblemScore.objects.select_for_update().get(pk=score.pk)
        earlier = Submission.objects.filter(
            user=user, course_run=course_run, block_key=block_key, client_token=client_token
        ).first()
        if earlier is not None:  # a double click, a retried request: the first one stands
            result = block_type.answer_grade(earlier.answer, block.grading or {})
            return SubmissionOutcome(earlier, result, replayed=True)
        max_attempts = block.content.get("max_attempts")
        if max_attempts is not None and score.attempts >= int(max_attempts):
            raise AttemptsExhaustedError(
                _("Vous avez utilisé toutes vos tentatives pour cet exercice."),
                code="no_attempt_left",
            )
        result = block_type.answer_grade(answer, block.grading or {})
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    user=user,
                    course_run=course_run,
                    block_key=block_key,
                    client_token=client_token,
                    publication_version=publication.version,
                    answer=answer,
                    score=result.score,
                    points=Decimal(str(block.content.get("points", "1"))),
                    is_correct=result.correct,
                    attempt=score.attempts + 1,
                    submitted_at=moment,
                )
        except IntegrityError as error:  # cannot happen under the lock; said clearly if it does
            raise ConflictError(
                _("Cette réponse a déjà été reçue."), code="duplicate_submission"
            ) from error
        score.attempts = submission.attempt
        score.score = result.score
        score.is_correct = result.correct
        score.updated_at = moment
        score.save(update_fields=["attempts", "score", "is_correct", "updated_at"])
        grade_refresh(user=user, course_run=course_run, outline=outline, now=moment)
    return SubmissionOutcome(submission, result, replayed=False)


class ExamClosedError(ConflictError):
    pass


class ExamCodeError(ServiceError):
    pass


class ExamNotAllowedError(PermissionDeniedError):
    pass


# Wrong access codes a candidate may type before waiting: enough for typing errors, too few
# to try codes (the cache is shared by every web node when Redis is configured).
EXAM_CODE_TRIES = 5
EXAM_CODE_WINDOW_SECONDS = 15 * 60


def _exam_check(
    *, user: User, course_run: CourseRun, unit: OutlineUnit, now: datetime.datetime
) -> None:
    assert unit.exam is not None
    decision = exam_gates.exam_gate_decision(
        user=user, course_run=course_run, unit_key=unit.key, now=now
    )
    if decision is not None:  # an exam centre runs it: its window, not the publication's
        _gate_refusal_raise(decision)
    elif not unit.exam.is_open(now=now):
        raise ExamClosedError(_exam_closed_message(unit, now=now), code="exam_closed")
    if not selectors.exam_access_granted(
        user=user, course_run=course_run, unit_key=unit.key,
        since=decision.opens_at if decision is not None else None,
    ):  # fmt: skip
        raise ExamCodeError(
            _("Saisissez d'abord le code d'accès donné dans la salle d'examen."),
            code="exam_code_required",
        )


def _gate_refusal_raise(decision: exam_gates.GateDecision) -> None:
    if decision.allowed:
        return
    if decision.refusal_code in ("window_not_open", "window_closed"):
        raise ExamClosedError(decision.refusal, code=decision.refusal_code)
    raise ExamNotAllowedError(decision.refusal, code=decision.refusal_code or "exam_refused")


def _exam_closed_message(unit: OutlineUnit, *, now: datetime.datetime) -> str:
    assert unit.exam is not None
    if now < unit.exam.opens_at:
        return str(_("Cet examen ouvre le %(date)s.")) % {
            "date": formats.date_format(timezone.localtime(unit.exam.opens_at), "DATETIME_FORMAT")
        }
    return str(_("Cet examen est fermé depuis le %(date)s.")) % {
        "date": formats.date_format(timezone.localtime(unit.exam.closes_at), "DATETIME_FORMAT")
    }


def exam_access_grant(
    *,
    user: User,
    course_run: CourseRun,
    unit: OutlineUnit,
    code: str,
    now: datetime.datetime | None = None,
) -> ExamAccess:
    """Let a candidate into a supervised exam with its access code, while it is open;
    wrong codes are counted and, past a few, refused for a quarter of an hour. A unit run
    by an exam centre (see ``exam_gates``) takes the code of the candidate's own sitting,
    during its window, once they are checked in."""
    moment = timezone.now() if now is None else now
    if unit.exam is None:
        raise NotFoundError(_("Cette séquence n'est pas un examen surveillé."), code="not_an_exam")
    decision = exam_gates.exam_gate_decision(
        user=user, course_run=course_run, unit_key=unit.key, now=moment
    )
    if decision is not None:
        _gate_refusal_raise(decision)
        code_matches = decision.code_matches
    else:
        exam = unit.exam
        if not exam.is_open(now=moment):
            raise ExamClosedError(_exam_closed_message(unit, now=moment), code="exam_closed")

        def code_matches(typed: str) -> bool:
            return exam_code_matches(
                code=typed, digest=exam.code_digest, course_run_id=course_run.pk,
                unit_key=unit.key,
            )  # fmt: skip

    tries_key = f"sankore:exam-code-tries:{course_run.pk}:{unit.key}:{user.pk}"
    if int(cache.get(tries_key, 0)) >= EXAM_CODE_TRIES:
        raise ExamCodeError(
            _("Trop de codes erronés : réessayez dans un quart d'heure ou appelez un surveillant."),
            code="exam_code_throttled",
        )
    if not code_matches(code):
        cache.add(tries_key, 0, EXAM_CODE_WINDOW_SECONDS)
        try:
            cache.incr(tries_key)
        except ValueError:  # expired between the two calls
            cache.set(tries_key, 1, EXAM_CODE_WINDOW_SECONDS)
        raise ExamCodeError(_("Ce code d'accès n'est pas le bon."), code="exam_code_wrong")
    access, created = ExamAccess.objects.get_or_create(
        user=user, course_run=course_run, unit_key=unit.key, defaults={"granted_at": moment}
    )
    opens_at = decision.opens_at if decision is not None else None
    if not created and opens_at is not None and access.granted_at < opens_at:
        # An entry from before this window (the publication's, before the unit went to the
        # centres) does not let anyone answer in it: this entry, with this code, is the one.
        ExamAccess.objects.filter(pk=access.pk, granted_at__lt=opens_at).update(granted_at=moment)
        access.refresh_from_db()
    return access


def grade_refresh(
    *, user: User, course_run: CourseRun, outline: Outline, now: datetime.datetime | None = None
) -> LearnerGrade | None:
    """Recompute the learner's grade from their stored scores and the session's policy
    (``None`` when the session has no policy yet): the session-wide statement, for one."""
    moment = timezone.now() if now is None else now
    written = recompute.grades_compute(
        course_run_id=course_run.pk,
        outline=outline,
        content_version=outline.version,
        now=moment,
        user_ids=[user.pk],
    )
    if not written:
        return None
    grade = LearnerGrade.objects.filter(user=user, course_run=course_run).first()
    if grade is not None and grade.passed and grade.passed_at == moment:
        # The statement stamps ``passed_at`` with this moment only when the learner passes
        # for the first time.
        events.learners_passed(course_run_id=course_run.pk, user_ids=[user.pk])
    return grade


def grades_recompute_request(*, course_run: CourseRun) -> GradeRecomputation | None:
    """Ask for the session's grades to be recomputed with its current barème and content,
    in the background; asking again for the same versions returns the same request."""
    policy = GradingPolicy.objects.filter(course_run=course_run).first()
    publication = courseware_selectors.publication_current(course_run_id=course_run.pk)
    if policy is None or publication is None:
        return None
    job, created = GradeRecomputation.objects.get_or_create(
        course_run=course_run,
        policy_version=policy.version,
        content_version=publication.version,
    )
    if created:
        from sankore.assessments.tasks import grades_recompute_task

        transaction.on_commit(lambda: grades_recompute_task.enqueue(job.pk))
    return job


STALE_CATCH_UP_ROUNDS = 3
ANALYZE_AFTER = 10_000  # grades written by one recomputation
STALE_BATCH = 1_000


def grades_recompute_run(
    *, recomputation_id: int, now: datetime.datetime | None = None
) -> GradeRecomputation:
    """Do a requested recomputation (the task calls it; running it twice does it once).

    Learners are written in batches, each its own short transaction. An answer that
    arrives meanwhile keeps its own, newer grade (see ``scores_at`` in the statement); a
    grade that an answer computed with the previous barème is caught up at the end."""
    with transaction.atomic():
        job = GradeRecomputation.objects.select_for_update().get(pk=recomputation_id)
        if job.status in (RecomputationStatus.DONE, RecomputationStatus.SUPERSEDED):
            return job
        policy = GradingPolicy.objects.filter(course_run_id=job.course_run_id).first()
        publication = courseware_selectors.publication_current(course_run_id=job.course_run_id)
        if (
            policy is None
            or publication is None
            or (policy.version, publication.version) != (job.policy_version, job.content_version)
        ):
            job.status = RecomputationStatus.SUPERSEDED
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "finished_at"])
            return job
        job.status = RecomputationStatus.RUNNING
        job.started_at = timezone.now() if now is None else now
        job.save(update_fields=["status", "started_at"])
    outline = courseware_selectors.outline_of(publication)
    try:
        written = recompute.grades_compute(
            course_run_id=job.course_run_id, outline=outline,
            content_version=publication.version, now=job.started_at,
        )  # fmt: skip
        for _round in range(STALE_CATCH_UP_ROUNDS):
            stale = list(
                LearnerGrade.objects.filter(course_run_id=job.course_run_id)
                .exclude(policy_version=job.policy_version, content_version=job.content_version)
                .values_list("user_id", flat=True)[:STALE_BATCH]
            )
            if not stale:
                break
            recompute.grades_compute(
                course_run_id=job.course_run_id, outline=outline,
                content_version=publication.version, now=timezone.now(), user_ids=stale,
            )  # fmt: skip
    except DatabaseError as error:
        GradeRecomputation.objects.filter(pk=job.pk).update(
            status=RecomputationStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    if written >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh statistics at once: until autovacuum gets to the table, the planner would
        # think it small and could choose plans that take minutes on the gradebook.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LearnerGrade._meta.db_table}")
    GradeRecomputation.objects.filter(pk=job.pk).update(
        status=RecomputationStatus.DONE, learners=written, finished_at=timezone.now()
    )
    # A new barème or content may have made learners pass: the listeners look for them.
    events.learners_passed(course_run_id=job.course_run_id, user_ids=None)
    job.refresh_from_db()
    return job


def grades_after_publication(
    course_run: CourseRun, publication: PublishedOutline, previous: PublishedOutline | None
) -> None:
    """Called by the courseware when a session is published: grades are recomputed only
    when what counts in them changed (graded problems, their types, the pools)."""
    if previous is not None and recompute.graded_items(
        Outline(previous.outline)
    ) == recompute.graded_items(Outline(publication.outline)):
        return
    if LearnerGrade.objects.filter(course_run=course_run).exists():
        grades_recompute_request(course_run=course_run)


class OverrideError(ServiceError):
    pass


@transaction.atomic
def grade_override(
    *,
    user: User,
    course_run: CourseRun,
    percent: Decimal | None,
    reason: str,
    changed_by: User,
    now: datetime.datetime | None = None,
) -> LearnerGrade:
    """Set (or, with ``None``, remove) the course team's grade for a learner; the reason is
    mandatory and the change is kept in the audit log."""
    reason = reason.strip()
    if not reason:
        raise OverrideError(_("Indiquez le motif de la correction."), code="reason_required")
    if percent is not None and not Decimal(0) <= percent <= Decimal(100):
        raise OverrideError(_("Une note va de 0 à 100 %."), code="percent_range")
    moment = timezone.now() if now is None else now
    grade, _created = LearnerGrade.objects.get_or_create(user=user, course_run=course_run)
    grade = LearnerGrade.objects.select_for_update().get(pk=grade.pk)
    old = grade.effective_percent
    grade.override_percent = percent
    policy = GradingPolicy.objects.filter(course_run=course_run).first()
    threshold = policy.passing_percent if policy else Decimal(100)
    grade.passed = grade.effective_percent >= threshold
    newly_passed = grade.passed and grade.passed_at is None
    if newly_passed:
        grade.passed_at = moment
    grade.updated_at = moment
    grade.save()
    GradeChange.objects.create(
        grade=grade, changed_by=changed_by, old_percent=old, new_percent=percent,
        reason=reason[:2000], changed_at=moment,
    )  # fmt: skip
    if newly_passed:
        events.learners_passed(course_run_id=course_run.pk, user_ids=[user.pk])
    return grade


@dataclass(frozen=True)
class TypeLine:
    name: str
    weight: Decimal
    drop_lowest: int = 0


@transaction.atomic
def grading_policy_set(
    *, course_run: CourseRun, passing_percent: Decimal, types: list[TypeLine]
) -> GradingPolicy:
    """Replace the session's barème (its version goes up: grades computed with the old one
    are known to be stale)."""
    if not types:
        raise PolicyError(_("Le barème a au moins un type d'évaluation."), code="no_type")
    names = [line.name.strip() for line in types]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise PolicyError(
            _("Chaque type d'évaluation a un nom, différent des autres."), code="type_names"
        )
    if any(line.weight < 0 or line.drop_lowest < 0 for line in types):
        raise PolicyError(_("Poids et notes retirées sont positifs."), code="negative")
    total = sum((line.weight for line in types), Decimal(0))
    if total != Decimal(100):
        raise PolicyError(
            _("Les poids font %(total)s %% au total : ils doivent faire 100 %%.")
            % {"total": total},
            code="weights_total",
        )
    if not Decimal(0) <= passing_percent <= Decimal(100):
        raise PolicyError(_("Le seuil va de 0 à 100 %."), code="threshold")
    policy, created = GradingPolicy.objects.get_or_create(course_run=course_run)
    policy = GradingPolicy.objects.select_for_update().get(pk=policy.pk)
    policy.passing_percent = passing_percent
    policy.version = policy.version if created else policy.version + 1
    policy.updated_at = timezone.now()
    policy.save()
    AssessmentType.objects.filter(policy=policy).delete()
    AssessmentType.objects.bulk_create(
        AssessmentType(
            policy=policy, name=line.name.strip(), weight=line.weight,
            drop_lowest=line.drop_lowest, position=position,
        )
        for position, line in enumerate(types)
    )  # fmt: skip
    if not created:
        grades_recompute_request(course_run=course_run)
    return policy


def policy_lines_parse(text: str) -> list[TypeLine]:
    """« Quiz ; 30 ; 1 » per line (name, weight in %, lowest scores dropped)."""
    lines: list[TypeLine] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split(";")]
        weight = arithmetic.number_parse(parts[1]) if len(parts) > 1 else None
        drop = parts[2] if len(parts) > 2 and parts[2] else "0"
        # ``isdecimal``: « ² » passes ``isdigit`` and crashes ``int``, as thousands of digits do.
        if len(parts) > 3 or weight is None or not drop.isdecimal() or len(drop) > 6:
            raise PolicyError(
                _("Ligne illisible : « %(line)s » (attendu : Quiz ; 30 ; 1).") % {"line": raw[:80]},
                code="policy_line",
            )
        lines.append(TypeLine(parts[0], weight, int(drop)))
    return lines


def policy_as_text(policy: GradingPolicy | None) -> str:
    if policy is None:
        return ""
    return "\n".join(
        f"{t.name} ; {t.weight.normalize():f} ; {t.drop_lowest}"
        for t in policy.types.order_by("position", "pk")
    )


__all__: list[Any] = [
    "AttemptsExhaustedError",
    "ExamNotAllowedError",
    "PastDueError",
    "PolicyError",
    "SubmissionOutcome",
    "TypeLine",
    "exam_access_grant",
    "grade_override",
    "grade_refresh",
    "grades_after_publication",
    "grades_recompute_request",
    "grades_recompute_run",
    "grading_policy_set",
    "policy_as_text",
    "policy_lines_parse",
    "submission_create",
]
