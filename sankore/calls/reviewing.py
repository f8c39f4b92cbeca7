"""Writes of a call's peer review: the pool of experts and the call's panel, conflicts of
interest (computed and declared), bids, the assignment staff propose and adjust, the reviews
themselves and the reminders before the review deadline.

A reviewer never reaches an application they are conflicted with: the conflict rule lives in
one place (``assignment.conflict``, through ``conflicts_for``), asked by the bids, by staff's
manual additions, by the proposal and by every page a reviewer opens. Bidding and assignment
start when the call has closed (the applications are final then); reviews are handed in
until the end of the review period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import Role, User
from sankore.accounts.services import role_assign
from sankore.calls import assignment as algorithm
from sankore.calls.models import (
    REGION_VALUES,
    Application,
    ApplicationStatus,
    AssignmentState,
    Bid,
    BidValue,
    Call,
    CallReviewer,
    ConflictDeclaration,
    Criterion,
    Expert,
    Review,
    ReviewAssignment,
    ReviewReminder,
    ReviewStatus,
)
from sankore.calls.services import _log, _programme_only, _refuse
from sankore.catalog.models import Discipline
from sankore.institutions.models import Institution

# Reminders go this many days before the end of the review period.
REMINDER_DAYS: tuple[int, ...] = (7, 2)


# --- The pool and the panel (programme staff) ------------------------------------------------


@transaction.atomic
def expert_save(
    *,
    user: User,
    by: User,
    institution: Institution | None,
    disciplines: Iterable[Discipline] = (),
    regions: Sequence[str] = (),
    languages: Sequence[str] = (),
    linked_institutions: Iterable[Institution] = (),
    max_load: int = 8,
    active: bool = True,
) -> Expert:
    """Put a person in the pool of experts (or update them); they get the expert role."""
    _programme_only(by)
    unknown = sorted(set(regions) - REGION_VALUES)
    if unknown:
        raise _refuse(_("Région inconnue : %(value)s.") % {"value": ", ".join(unknown)}, "region")
    if not 1 <= max_load <= 60:
        raise _refuse(_("La charge maximale va de 1 à 60 candidatures."), "max_load")
    expert, _created = Expert.objects.select_for_update().get_or_create(
        user=user, defaults={"institution": institution}
    )
    expert.institution = institution
    expert.regions = sorted(set(regions))
    expert.languages = sorted({code.strip().lower() for code in languages if code.strip()})
    expert.max_load = max_load
    expert.active = active
    expert.save()
    expert.disciplines.set(list(disciplines))
    expert.linked_institutions.set(list(linked_institutions))
    role_assign(user=user, role=Role.EXPERT_REVIEWER, granted_by=by)
    _conflicted_pairs_drop(expert=expert, by=by)
    return expert


@transaction.atomic
def expert_links_declare(
    *, expert: Expert, by: User, institutions: Iterable[Institution]
) -> Expert:
    """The expert declares, once for every call, the institutions they have a link with
    (former employer, joint projects, family): none of their applications is ever theirs."""
    current = Expert.objects.select_for_update().get(pk=expert.pk)
    if current.user_id != by.pk:
        raise _refuse(_("Cette page est celle d'un autre expert."), "not_allowed")
    chosen = list(institutions)
    if len(chosen) > 50:
        raise _refuse(_("50 établissements au plus."), "too_many_links")
    current.linked_institutions.set(chosen)
    _conflicted_pairs_drop(expert=current, by=by)
    return current


def _conflicted_pairs_drop(*, expert: Expert, by: User) -> int:
    """An expert's new institution or links may put them in conflict with applications they
    were given: those pairs not yet reviewed are removed (journaled), the others stay for the
    committee to weigh. Returns how many were removed."""
    removed = 0
    for reviewer in CallReviewer.objects.filter(expert=expert).select_related("call", "expert"):
        conflicts = conflicts_for(reviewer=reviewer)
        pairs = (
            ReviewAssignment.objects.select_for_update(of=("self",))
            .filter(reviewer=reviewer, application_id__in=list(conflicts))
            .exclude(state=AssignmentState.REMOVED)
            .exclude(review__status=ReviewStatus.SUBMITTED)
            .select_related("application")
        )
        for pair in pairs:
            pair.state = AssignmentState.REMOVED
            pair.save(update_fields=["state"])
            _log(call=reviewer.call, application=pair.application,
                 action="assignment_removed_conflict", actor=by, reviewer=reviewer.pk)  # fmt: skip
            removed += 1
    return removed


@transaction.atomic
def call_reviewer_add(
    *, call: Call, expert: Expert, by: User, max_load: int | None = None
) -> CallReviewer:
    """Put an expert of the pool on the call's panel."""
    _programme_only(by)
    if not expert.active:
        raise _refuse(_("Cet expert n'est plus actif dans le vivier."), "expert_inactive")
    load = expert.max_load if max_load is None else max_load
    if not 1 <= load <= 60:
        raise _refuse(_("La charge maximale va de 1 à 60 candidatures."), "max_load")
    try:
        with transaction.atomic():
            reviewer = CallReviewer.objects.create(call=call, expert=expert, max_load=load)
    except IntegrityError:
        raise _refuse(
            _("Cet expert fait déjà partie du comité de l'appel."), "already_on_panel"
        ) from None
    _log(call=call, action="reviewer_added", actor=by, reviewer=reviewer.pk, max_load=load)
    return reviewer


# --- Conflicts of interest -------------------------------------------------------------------


def _algorithm_application(application: Application) -> algorithm.Application:
    return algorithm.Application(
        id=application.pk,
        lead_institution_id=application.lead_id,
        partner_institution_ids=frozenset(
            partner.institution_id for partner in application.partners.all()
        ),
        disciplines=frozenset(d.pk for d in application.disciplines.all()),
        region=application.lead.region,
        language=application.language,
    )


def _algorithm_reviewer(
    reviewer: CallReviewer, declared: Iterable[int] = (), load: int | None = None
) -> algorithm.Reviewer:
    expert = reviewer.expert
    return algorithm.Reviewer(
        id=reviewer.pk,
        max_load=reviewer.max_load if load is None else load,
        institution_id=expert.institution_id,
        disciplines=frozenset(d.pk for d in expert.disciplines.all()),
        regions=frozenset(expert.regions),
        languages=frozenset(expert.languages),
        conflict_application_ids=frozenset(declared),
        conflict_institution_ids=frozenset(i.pk for i in expert.linked_institutions.all()),
    )


def _applications_of(call: Call) -> list[Application]:
    return list(
        Application.objects.filter(
            call=call, status=ApplicationStatus.SUBMITTED, stage=call.review_stage
        )
        .select_related("lead")
        .prefetch_related("partners", "disciplines")
        .order_by("pk")
    )


def _reviewers_of(call: Call, *, pk: int | None = None) -> list[CallReviewer]:
    panel = CallReviewer.objects.filter(call=call)
    if pk is not None:
        panel = panel.filter(pk=pk)
    return list(
        panel.select_related("expert__user")
        .prefetch_related("expert__disciplines", "expert__linked_institutions")
        .order_by("pk")
    )


def conflicts_for(*, reviewer: CallReviewer) -> dict[int, StrOrPromise]:
    """The submitted applications of the call this reviewer may never see, with why."""
    (me,) = _reviewers_of(reviewer.call, pk=reviewer.pk)
    declared = set(
        ConflictDeclaration.objects.filter(reviewer=me).values_list("application_id", flat=True)
    )
    expert = _algorithm_reviewer(me, declared)
    found: dict[int, StrOrPromise] = {}
    for application in _applications_of(reviewer.call):
        reason = algorithm.conflict(_algorithm_application(application), expert)
        if reason is not None:
            found[application.pk] = reason
    return found


def call_conflicts(*, call: Call) -> dict[tuple[int, int], StrOrPromise]:
    """Every conflicted (reviewer, application) pair of the call's panel, with why: the rule
    of ``conflicts_for`` for the whole panel at once, in a fixed number of queries (the staff
    page lists, per application, only the reviewers who may be added)."""
    declared: dict[int, set[int]] = {}
    for reviewer_id, application_id in ConflictDeclaration.objects.filter(
        reviewer__call=call
    ).values_list("reviewer_id", "application_id"):
        declared.setdefault(reviewer_id, set()).add(application_id)
    applications = [_algorithm_application(a) for a in _applications_of(call)]
    found: dict[tuple[int, int], StrOrPromise] = {}
    for reviewer in _reviewers_of(call):
        expert = _algorithm_reviewer(reviewer, declared.get(reviewer.pk, ()))
        for application in applications:
            reason = algorithm.conflict(application, expert)
            if reason is not None:
                found[(reviewer.pk, application.id)] = reason
    return found


def conflict_of(*, reviewer: CallReviewer, application: Application) -> StrOrPromise | None:
    """Why this reviewer may never see this application, or None (one pair, few queries)."""
    declared = ConflictDeclaration.objects.filter(
        reviewer=reviewer, application=application
    ).values_list("application_id", flat=True)
    return algorithm.conflict(
        _algorithm_application(application), _algorithm_reviewer(reviewer, declared)
    )


def _reviewable(application: Application, reviewer: CallReviewer) -> bool:
    """Whether the application is one the call's experts review (submitted, of the stage
    reviewed)."""
    return (
        application.call_id == reviewer.call_id
        and application.status == ApplicationStatus.SUBMITTED
        and application.stage == reviewer.call.review_stage
    )


def _after_closing(call: Call, now: datetime.datetime) -> None:
    if now < call.review_starts_at:
        raise _refuse(
            _("Les candidatures ne sont pas closes : l'expertise commence à la clôture."),
            "call_not_closed",
        )


def _reviewer_of_user(reviewer: CallReviewer, by: User) -> None:
    if reviewer.expert.user_id != by.pk:
        raise _refuse(_("Cette page est celle d'un autre expert."), "not_allowed")


@transaction.atomic
def conflict_declare(
    *, reviewer: CallReviewer, application: Application, reason: str, by: User,
    now: datetime.datetime | None = None,
) -> ConflictDeclaration:  # fmt: skip
    """The reviewer declares a link with an application: they never see it again, their bid
    on it goes, and an assignment to it not yet reviewed is removed (staff see the gap)."""
    _reviewer_of_user(reviewer, by)
    _after_closing(reviewer.call, timezone.now() if now is None else now)
    if not _reviewable(application, reviewer):
        raise _refuse(_("Cette candidature n'est pas de cet appel."), "wrong_call")
    # Under the call's lock, as staff's assignment writes: no pair slips in meanwhile.
    Call.objects.select_for_update().get(pk=reviewer.call_id)
    reason = reason.strip()
    if not reason:
        raise _refuse(_("Décrivez le lien en quelques mots."), "reason_required")
    if len(reason) > 300:
        raise _refuse(_("300 caractères au plus."), "reason_too_long")
    declaration, created = ConflictDeclaration.objects.get_or_create(
        reviewer=reviewer, application=application, defaults={"reason": reason}
    )
    if not created:
        return declaration
    Bid.objects.filter(reviewer=reviewer, application=application).delete()
    removed = 0
    pair = (
        ReviewAssignment.objects.select_for_update()
        .filter(reviewer=reviewer, application=application)
        .exclude(state=AssignmentState.REMOVED)
        .first()
    )
    # A review already handed in stays (the committee reads it with the declaration).
    if (
        pair is not None
        and not Review.objects.filter(assignment=pair, status=ReviewStatus.SUBMITTED).exists()
    ):
        pair.state = AssignmentState.REMOVED
        pair.save(update_fields=["state"])
        removed = 1
    _log(call=reviewer.call, application=application, action="conflict_declared", actor=by,
         reviewer=reviewer.pk, assignment_removed=bool(removed))  # fmt: skip
    return declaration


# --- Bids (reviewers) ------------------------------------------------------------------------


@transaction.atomic
def bid_set(
    *,
    reviewer: CallReviewer,
    application: Application,
    value: str,
    by: User,
    now: datetime.datetime | None = None,
) -> Bid:
    _reviewer_of_user(reviewer, by)
    _after_closing(reviewer.call, timezone.now() if now is None else now)
    if value not in BidValue.values:
        raise _refuse(_("Choisissez oui, peut-être ou non."), "bid_value")
    if not _reviewable(application, reviewer):
        raise _refuse(_("Cette candidature n'est pas à expertiser dans cet appel."), "wrong_call")
    if conflict_of(reviewer=reviewer, application=application) is not None:
        raise _refuse(_("Vous êtes en conflit d'intérêts avec cette candidature."), "conflict")
    bid, _created = Bid.objects.update_or_create(
        reviewer=reviewer, application=application,
        defaults={"value": value, "updated_at": timezone.now()},
    )  # fmt: skip
    return bid


# --- Assignment (programme staff) ------------------------------------------------------------


@dataclass(frozen=True)
class ProposalSummary:
    proposed: int  # pairs written by this proposal
    kept: int  # pairs validated or added by hand, kept as they were
    shortfalls: tuple[algorithm.Shortfall, ...]
    total_affinity: int


def _load_algorithm_inputs(
    call: Call,
) -> tuple[
    list[algorithm.Application], list[algorithm.Reviewer], dict[tuple[int, int], str]
]:  # fmt: skip
    declared: dict[int, set[int]] = {}
    for reviewer_id, application_id in ConflictDeclaration.objects.filter(
        reviewer__call=call
    ).values_list("reviewer_id", "application_id"):
        declared.setdefault(reviewer_id, set()).add(application_id)
    applications = [_algorithm_application(a) for a in _applications_of(call)]
    reviewers = [
        _algorithm_reviewer(r, declared.get(r.pk, ()))
        for r in _reviewers_of(call)
        if r.expert.active
    ]
    bids = {
        (reviewer_id, application_id): value
        for reviewer_id, application_id, value in Bid.objects.filter(
            reviewer__call=call
        ).values_list("reviewer_id", "application_id", "value")
    }
    return applications, reviewers, bids


def _fixed_pairs(
    kept: list[tuple[int, int]],
    applications: list[algorithm.Application],
    reviewers: list[algorithm.Reviewer],
) -> tuple[list[tuple[int, int]], list[algorithm.Reviewer]]:
    """The pairs staff kept that the proposal may hold as fixed: of an active reviewer, of an
    application reviewed, without a conflict (one may have appeared since), within the load.
    The others stay as they are and still take their share of the reviewer's load."""
    by_application = {a.id: a for a in applications}
    by_reviewer = {r.id: r for r in reviewers}
    fixed: list[tuple[int, int]] = []
    used: dict[int, int] = {}
    outside: dict[int, int] = {}
    for reviewer_id, application_id in sorted(kept):
        reviewer, application = by_reviewer.get(reviewer_id), by_application.get(application_id)
        if reviewer is None:
            continue
        if (
            application is not None
            and algorithm.conflict(application, reviewer) is None
            and used.get(reviewer_id, 0) < reviewer.max_load
        ):
            fixed.append((reviewer_id, application_id))
            used[reviewer_id] = used.get(reviewer_id, 0) + 1
        else:
            outside[reviewer_id] = outside.get(reviewer_id, 0) + 1
    adjusted = [
        replace(r, max_load=max(used.get(r.id, 0), r.max_load - outside.get(r.id, 0)))
        if r.id in outside else r
        for r in reviewers
    ]  # fmt: skip
    return fixed, adjusted


@transaction.atomic
def assignment_propose(
    *, call: Call, by: User, now: datetime.datetime | None = None
) -> ProposalSummary:
    """Propose who reviews what: the earlier proposal is replaced; validated pairs and pairs
    added by hand stay and count in the loads; removed pairs are never proposed again."""
    _programme_only(by)
    _after_closing(call, timezone.now() if now is None else now)
    Call.objects.select_for_update().get(pk=call.pk)  # one proposal at a time per call
    ReviewAssignment.objects.filter(
        application__call=call, state=AssignmentState.PROPOSED, manual=False
    ).delete()
    current = list(
        ReviewAssignment.objects.filter(application__call=call).values_list(
            "reviewer_id", "application_id", "state"
        )
    )
    kept = [(r, a) for r, a, state in current if state != AssignmentState.REMOVED]
    removed = [(r, a) for r, a, state in current if state == AssignmentState.REMOVED]
    applications, reviewers, bids = _load_algorithm_inputs(call)
    fixed, reviewers = _fixed_pairs(kept, applications, reviewers)
    try:
        proposal = algorithm.propose(
            applications=applications, reviewers=reviewers, bids=bids,
            per_application=call.reviewers_per_application, fixed=fixed, removed=removed,
        )  # fmt: skip
    except ValueError as error:  # inconsistent data: say so rather than fail
        raise _refuse(
            _("La proposition est impossible en l'état : %(error)s.") % {"error": error},
            "proposal_impossible",
        ) from None
    new = [
        ReviewAssignment(
            application_id=pair.application_id,
            reviewer_id=pair.reviewer_id,
            affinity=pair.affinity,
            reasons=[[str(reason.text), reason.points] for reason in pair.reasons],
            assigned_by=by,
        )
        for pair in proposal.pairs
        if not pair.fixed
    ]
    ReviewAssignment.objects.bulk_create(new, batch_size=500)
    _log(call=call, action="assignment_proposed", actor=by, proposed=len(new),
         kept=len(kept), short=len(proposal.shortfalls))  # fmt: skip
    return ProposalSummary(
        proposed=len(new), kept=len(kept), shortfalls=proposal.shortfalls,
        total_affinity=proposal.total_affinity,
    )  # fmt: skip


def _active_load(reviewer: CallReviewer) -> int:
    return (
        ReviewAssignment.objects.filter(reviewer=reviewer)
        .exclude(state=AssignmentState.REMOVED)
        .count()
    )


@transaction.atomic
def assignment_add(
    *, application: Application, reviewer: CallReviewer, by: User,
    now: datetime.datetime | None = None,
) -> ReviewAssignment:  # fmt: skip
    """Staff add a pair by hand: never a conflicted one, never beyond the reviewer's load."""
    _programme_only(by)
    _after_closing(reviewer.call, timezone.now() if now is None else now)
    Call.objects.select_for_update().get(pk=reviewer.call_id)
    reviewer = CallReviewer.objects.select_for_update().select_related("expert").get(pk=reviewer.pk)
    if not _reviewable(application, reviewer):
        raise _refuse(_("Cette candidature n'est pas à expertiser dans cet appel."), "wrong_call")
    reason = conflict_of(reviewer=reviewer, application=application)
    if reason is not None:
        raise _refuse(_("Affectation impossible : %(reason)s.") % {"reason": reason}, "conflict")
    existing = ReviewAssignment.objects.filter(reviewer=reviewer, application=application).first()
    if existing is not None and existing.state != AssignmentState.REMOVED:
        raise _refuse(_("Cet expert évalue déjà cette candidature."), "already_assigned")
    if _active_load(reviewer) >= reviewer.max_load:
        raise _refuse(
            _("Cet expert a déjà %(load)s candidatures, sa charge maximale.")
            % {"load": reviewer.max_load},
            "load_exceeded",
        )
    if existing is None:
        existing = ReviewAssignment(application=application, reviewer=reviewer)
    existing.state = AssignmentState.PROPOSED
    existing.manual = True
    existing.affinity = 0
    existing.reasons = [[str(_("Ajoutée par l'équipe du programme")), 0]]
    existing.assigned_by = by
    existing.assigned_at = timezone.now()
    existing.save()
    _log(call=reviewer.call, application=application, action="assignment_added", actor=by,
         reviewer=reviewer.pk)  # fmt: skip
    return existing


@transaction.atomic
def assignment_remove(*, assignment: ReviewAssignment, by: User) -> ReviewAssignment:
    """Staff take a pair out; it will not be proposed again. A review handed in stays."""
    _programme_only(by)
    Call.objects.select_for_update().get(pk=assignment.reviewer.call_id)
    current = ReviewAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if current is None:  # a new proposal replaced it meanwhile
        raise _refuse(_("Cette affectation n'existe plus : rechargez la page."), "gone")
    if Review.objects.filter(assignment=current, status=ReviewStatus.SUBMITTED).exists():
        raise _refuse(_("L'évaluation est remise : l'affectation reste."), "review_submitted")
    if current.state == AssignmentState.REMOVED:
        return current
    current.state = AssignmentState.REMOVED
    current.save(update_fields=["state"])
    _log(call=assignment.reviewer.call, application=assignment.application,
         action="assignment_removed", actor=by, reviewer=current.reviewer_id)  # fmt: skip
    return current


@transaction.atomic
def assignment_confirm(*, call: Call, by: User, now: datetime.datetime | None = None) -> int:
    """Staff validate the proposed pairs: the reviewers are told by e-mail what to review."""
    _programme_only(by)
    _after_closing(call, timezone.now() if now is None else now)
    Call.objects.select_for_update().get(pk=call.pk)
    pairs = list(
        ReviewAssignment.objects.select_for_update()
        .filter(application__call=call, state=AssignmentState.PROPOSED)
        .values_list("pk", "reviewer_id")
    )
    reviewer_ids = sorted({reviewer_id for _pk, reviewer_id in pairs})
    count = ReviewAssignment.objects.filter(pk__in=[pk for pk, _r in pairs]).update(
        state=AssignmentState.CONFIRMED
    )
    _log(call=call, action="assignment_confirmed", actor=by, pairs=count)
    if reviewer_ids:
        from sankore.calls.tasks import reviewers_notify_task

        transaction.on_commit(lambda: reviewers_notify_task.enqueue(call.pk, reviewer_ids))
    return count


# --- Reviews (reviewers) ---------------------------------------------------------------------


def _scores_check(
    criteria: Sequence[Criterion], scores: Mapping[str, Any], *, complete: bool
) -> dict[str, int]:
    by_key = {criterion.key: criterion for criterion in criteria}
    unknown = sorted(set(scores) - set(by_key))
    if unknown:
        raise _refuse(_("Critère inconnu : %(key)s.") % {"key": ", ".join(unknown)}, "criterion")
    clean: dict[str, int] = {}
    for key, raw in scores.items():
        if raw in (None, ""):
            continue
        criterion = by_key[key]
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise _refuse(
                _("« %(title)s » : une note entière est attendue.") % {"title": criterion.title},
                "score_not_integer",
            ) from None
        if not 0 <= value <= criterion.scale_max:
            raise _refuse(
                _("« %(title)s » : la note va de 0 à %(max)s.")
                % {"title": criterion.title, "max": criterion.scale_max},
                "score_out_of_scale",
            )
        clean[key] = value
    if complete:
        missing = [c.title for c in criteria if c.key not in clean]
        if missing:
            raise _refuse(
                _("Notez chaque critère avant de remettre l'évaluation : %(missing)s.")
                % {"missing": ", ".join(missing)},
                "scores_incomplete",
            )
    return clean


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    by: User,
    scores: Mapping[str, Any],
    comment_to_applicant: str,
    comment_to_committee: str,
    submit: bool = False,
    now: datetime.datetime | None = None,
) -> Review:
    """Save the reviewer's evaluation (a draft, or handed in with ``submit``: then final)."""
    moment = timezone.now() if now is None else now
    current = (
        ReviewAssignment.objects.select_for_update()
        .select_related("reviewer__expert", "reviewer__call", "application")
        .get(pk=assignment.pk)
    )
    _reviewer_of_user(current.reviewer, by)
    if current.state != AssignmentState.CONFIRMED or not current.reviewer.expert.active:
        raise _refuse(_("Cette affectation n'est pas (ou plus) active."), "not_assigned")
    if conflict_of(reviewer=current.reviewer, application=current.application) is not None:
        raise _refuse(_("Vous êtes en conflit d'intérêts avec cette candidature."), "conflict")
    call = current.reviewer.call
    _after_closing(call, moment)
    if moment >= call.review_ends_at:
        raise _refuse(_("La période d'évaluation est terminée."), "review_period_over")
    if len(comment_to_applicant) > 5000 or len(comment_to_committee) > 5000:
        raise _refuse(_("5 000 caractères au plus par commentaire."), "comment_too_long")
    review, _created = Review.objects.get_or_create(assignment=current)
    if review.status == ReviewStatus.SUBMITTED:
        raise _refuse(_("L'évaluation est déjà remise."), "already_submitted")
    criteria = list(call.criteria.order_by("position", "pk"))
    review.scores = _scores_check(criteria, scores, complete=submit)
    review.comment_to_applicant = comment_to_applicant.strip()
    review.comment_to_committee = comment_to_committee.strip()
    if submit and not review.comment_to_applicant:
        raise _refuse(
            _("Écrivez un commentaire pour le candidat avant de remettre l'évaluation."),
            "comment_required",
        )
    review.updated_at = moment
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = moment
    review.save()
    if submit:
        _log(call=call, application=current.application, action="review_submitted",
             actor=by, reviewer=current.reviewer_id)  # fmt: skip
    return review


# --- Reminders (cron) ------------------------------------------------------------------------


def reviews_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind every reviewer whose review is not handed in, 7 then 2 days before the end of
    the review period; each reminder once (a unique row), however often this runs."""
    from sankore.calls.review_notifications import review_reminder_send

    moment = timezone.now() if now is None else now
    sent = 0
    pending = (
        ReviewAssignment.objects.filter(
            state=AssignmentState.CONFIRMED,
            reviewer__call__review_ends_at__gt=moment,
            reviewer__call__review_ends_at__lte=moment
            + datetime.timedelta(days=max(REMINDER_DAYS)),
        )
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .select_related("reviewer__call", "reviewer__expert__user", "application")
        .order_by("pk")
    )
    for assignment in pending:
        left = assignment.reviewer.call.review_ends_at - moment
        due = [days for days in REMINDER_DAYS if left <= datetime.timedelta(days=days)]
        if not due:
            continue
        # The nearest delay reached: a reviewer first met at 1 day left gets one reminder.
        days = min(due)
        if moment < assignment.reviewer.call.review_starts_at:
            continue
        try:
            # The row and the e-mail together: a mail that fails leaves no row, so the next
            # run tries again; a row already there (another run) sends nothing.
            with transaction.atomic():
                ReviewReminder.objects.create(assignment=assignment, days_before=days)
                review_reminder_send(assignment=assignment, left=left)
        except IntegrityError:
            continue
        sent += 1
    return sent
