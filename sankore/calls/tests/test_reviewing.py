"""A call's peer review: the pool and the panel, conflicts of interest computed (the lead's
or a partner's institution, links declared once) and declared per application, bids, the
proposal staff adjust, the reviews and the reminders before the end of the review period."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from sankore.accounts.models import Role, RoleAssignment
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import reviewing
from sankore.calls.models import (
    AssignmentState,
    Bid,
    CallReviewer,
    ConflictDeclaration,
    Expert,
    Review,
    ReviewAssignment,
    ReviewReminder,
    ReviewStatus,
)
from sankore.calls.services import CallError
from sankore.calls.tests.builders import (
    AFTER,
    DURING,
    REVIEW_ENDS,
    north,
    panel_member,
    programme,
    published_call,
    south,
    submitted,
)

pytestmark = pytest.mark.django_db

FULL = {
    "pertinence": 4, "qualite-pedagogique": 5, "co-construction": 3,
    "faisabilite": 4, "modele-economique": 2, "rayonnement": 5,
}  # fmt: skip


def _confirmed(application: object, reviewer: CallReviewer) -> ReviewAssignment:
    assignment = reviewing.assignment_add(
        now=AFTER,
        application=application,  # type: ignore[arg-type]
        reviewer=reviewer,
        by=programme(),
    )
    reviewing.assignment_confirm(now=AFTER, call=reviewer.call, by=programme())
    assignment.refresh_from_db()
    return assignment


def test_the_pool_is_kept_by_programme_staff_and_gives_the_expert_role() -> None:
    person = UserFactory()
    with pytest.raises(CallError):
        reviewing.expert_save(user=person, by=UserFactory(), institution=None)
    assert not Expert.objects.exists()
    expert = reviewing.expert_save(
        user=person, by=programme(), institution=None, regions=["afrique-ouest"],
        languages=["FR", "wo"], max_load=5,
    )  # fmt: skip
    assert (expert.regions, expert.languages, expert.max_load) == (
        ["afrique-ouest"], ["fr", "wo"], 5,
    )  # fmt: skip
    assert RoleAssignment.objects.filter(user=person, role=Role.EXPERT_REVIEWER).count() == 1
    with pytest.raises(CallError) as refused:
        reviewing.expert_save(user=person, by=programme(), institution=None, regions=["mars"])
    assert refused.value.code == "region"
    expert.refresh_from_db()
    assert expert.regions == ["afrique-ouest"]


def test_conflicts_are_the_lead_the_partners_the_declared_links_and_declarations() -> None:
    call = published_call()
    ouaga, bordeaux, dakar = south(), north(), south(country="SN")
    with_partner = submitted(call, lead=ouaga, partners=(bordeaux,), title="Avec Bordeaux")
    dakar_app = submitted(call, lead=dakar, title="Dakar seule")
    other = submitted(call, title="Une autre")
    from_lead = panel_member(call, institution=ouaga)
    from_partner = panel_member(call, institution=bordeaux)
    linked = panel_member(call, linked=(dakar,))
    independent = panel_member(call)

    assert {pk: str(r) for pk, r in reviewing.conflicts_for(reviewer=from_lead).items()} == {
        with_partner.pk: "Expert de l’établissement porteur"
    }
    assert list(reviewing.conflicts_for(reviewer=from_partner)) == [with_partner.pk]
    assert {pk: str(r) for pk, r in reviewing.conflicts_for(reviewer=linked).items()} == {
        dakar_app.pk: "Conflit d’intérêts déclaré avec un établissement de la candidature"
    }
    assert reviewing.conflicts_for(reviewer=independent) == {}

    # A declaration takes the bid away and the assignment not yet reviewed.
    reviewing.bid_set(
        reviewer=independent, application=other, value="oui", by=independent.expert.user, now=AFTER
    )
    assignment = _confirmed(other, independent)
    reviewing.conflict_declare(now=AFTER,
        reviewer=independent, application=other, reason="J'ai codirigé ce projet.",
        by=independent.expert.user,
    )  # fmt: skip
    assert list(reviewing.conflicts_for(reviewer=independent)) == [other.pk]
    assert not Bid.objects.filter(reviewer=independent).exists()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REMOVED


def test_a_conflict_is_declared_by_the_reviewer_only_and_with_a_reason() -> None:
    call = published_call()
    application = submitted(call)
    reviewer = panel_member(call)
    for by, reason, code in [
        (UserFactory(), "Lien", "not_allowed"),
        (reviewer.expert.user, "   ", "reason_required"),
    ]:
        with pytest.raises(CallError) as refused:
            reviewing.conflict_declare(
                now=AFTER, reviewer=reviewer, application=application, reason=reason, by=by
            )
        assert refused.value.code == code
    assert not ConflictDeclaration.objects.exists()


def test_bids_wait_for_the_closing_and_never_reach_a_conflicted_application() -> None:
    call = published_call()
    lead = south()
    application = submitted(call, lead=lead)
    colleague = panel_member(call, institution=lead)
    outsider = panel_member(call)
    user = outsider.expert.user
    for reviewer, by, value, now, code in [
        (outsider, user, "oui", DURING, "call_not_closed"),
        (outsider, user, "absolument", AFTER, "bid_value"),
        (colleague, colleague.expert.user, "oui", AFTER, "conflict"),
        (outsider, colleague.expert.user, "oui", AFTER, "not_allowed"),
    ]:
        with pytest.raises(CallError) as refused:
            reviewing.bid_set(
                reviewer=reviewer, application=application, value=value, by=by, now=now
            )
        assert refused.value.code == code
    assert not Bid.objects.exists()
    reviewing.bid_set(
        reviewer=outsider, application=application, value="peut-etre", by=user, now=AFTER
    )
    reviewing.bid_set(reviewer=outsider, application=application, value="non", by=user, now=AFTER)
    assert list(Bid.objects.values_list("value", flat=True)) == ["non"]


def test_the_proposal_serves_every_application_without_conflict_within_the_loads() -> None:
    call = published_call()
    leads = [south() for _ in range(4)]
    applications = [submitted(call, lead=lead, title=f"Projet {n}") for n, lead in enumerate(leads)]
    reviewers = [panel_member(call, institution=lead, max_load=3) for lead in leads]
    reviewers.append(panel_member(call, max_load=3))

    summary = reviewing.assignment_propose(call=call, by=programme(), now=AFTER)

    assert (summary.proposed, summary.kept, summary.shortfalls) == (8, 0, ())
    pairs = list(ReviewAssignment.objects.values_list("reviewer_id", "application_id", "state"))
    assert len(pairs) == 8
    assert {state for *_pair, state in pairs} == {AssignmentState.PROPOSED}
    for application in applications:
        assert sum(1 for _r, a, _s in pairs if a == application.pk) == 2
    for reviewer in reviewers:
        mine = [a for r, a, _s in pairs if r == reviewer.pk]
        assert len(mine) <= 3
        assert not set(mine) & set(reviewing.conflicts_for(reviewer=reviewer))


def test_proposing_again_keeps_what_staff_decided_and_never_brings_back_a_removed_pair() -> None:
    call = published_call(reviewers_per_application=1)
    application = submitted(call)
    first, second, third = (panel_member(call, max_load=2) for _ in range(3))
    staff = programme()
    manual = reviewing.assignment_add(now=AFTER, application=application, reviewer=second, by=staff)
    summary = reviewing.assignment_propose(call=call, by=staff, now=AFTER)
    assert (summary.proposed, summary.kept) == (0, 1)
    reviewing.assignment_remove(assignment=manual, by=staff)
    reviewing.assignment_propose(call=call, by=staff, now=AFTER)
    active = ReviewAssignment.objects.exclude(state=AssignmentState.REMOVED)
    assert list(active.values_list("reviewer_id", flat=True)) in ([first.pk], [third.pk])
    assert ReviewAssignment.objects.get(reviewer=second).state == AssignmentState.REMOVED


def test_staff_cannot_add_a_conflicted_pair_nor_go_beyond_a_load() -> None:
    call = published_call()
    lead = south()
    application = submitted(call, lead=lead)
    another = submitted(call)
    colleague = panel_member(call, institution=lead)
    busy = panel_member(call, max_load=1)
    staff = programme()
    reviewing.assignment_add(now=AFTER, application=another, reviewer=busy, by=staff)
    for reviewer, code in [(colleague, "conflict"), (busy, "load_exceeded")]:
        with pytest.raises(CallError) as refused:
            reviewing.assignment_add(
                now=AFTER, application=application, reviewer=reviewer, by=staff
            )
        assert refused.value.code == code
    with pytest.raises(CallError) as refused:
        reviewing.assignment_add(
            now=AFTER, application=application, reviewer=busy, by=UserFactory()
        )
    assert refused.value.code == "not_allowed"
    assert list(ReviewAssignment.objects.values_list("application_id", flat=True)) == [another.pk]


def test_validating_tells_each_reviewer_in_their_language(
    django_capture_on_commit_callbacks: object,
) -> None:
    call = published_call(title="Appel CLOM 2027")
    application = submitted(call)
    french = panel_member(call, email="expert.fr@example.org")
    english = panel_member(call, email="expert.en@example.org", preferred_language="en")
    staff = programme()
    reviewing.assignment_add(now=AFTER, application=application, reviewer=french, by=staff)
    reviewing.assignment_add(now=AFTER, application=application, reviewer=english, by=staff)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert reviewing.assignment_confirm(now=AFTER, call=call, by=staff) == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "expert.fr@example.org": "Candidatures à évaluer : Appel CLOM 2027",
        "expert.en@example.org": "Applications to review: Appel CLOM 2027",
    }
    french_body = next(m.body for m in mail.outbox if m.to == ["expert.fr@example.org"])
    assert "Vous avez 1 candidature à évaluer" in french_body
    assert "15 mai 2027, 17:00 (Europe/Paris)" in french_body


def test_a_review_is_drafted_then_handed_in_complete_and_is_final() -> None:
    call = published_call()
    application = submitted(call)
    reviewer = panel_member(call)
    assignment = _confirmed(application, reviewer)
    user = reviewer.expert.user
    draft = reviewing.review_save(
        assignment=assignment, by=user, scores={"pertinence": "4"},
        comment_to_applicant="", comment_to_committee="", now=AFTER,
    )  # fmt: skip
    assert (draft.status, draft.scores) == (ReviewStatus.DRAFT, {"pertinence": 4})
    refusals = [
        ({"pertinence": 6}, "Bien.", True, AFTER, user, "score_out_of_scale"),
        ({"pertinence": "4,5"}, "Bien.", True, AFTER, user, "score_not_integer"),
        ({"pertinence": 4}, "Bien.", True, AFTER, user, "scores_incomplete"),
        (FULL, "", True, AFTER, user, "comment_required"),
        (FULL, "Bien.", True, REVIEW_ENDS, user, "review_period_over"),
        (FULL, "Bien.", True, AFTER, UserFactory(), "not_allowed"),
    ]
    for scores, comment, submit, now, by, code in refusals:
        with pytest.raises(CallError) as refused:
            reviewing.review_save(
                assignment=assignment, by=by, scores=scores, comment_to_applicant=comment,
                comment_to_committee="", submit=submit, now=now,
            )  # fmt: skip
        assert refused.value.code == code
        draft.refresh_from_db()
        assert (draft.status, draft.scores) == (ReviewStatus.DRAFT, {"pertinence": 4})
    done = reviewing.review_save(
        assignment=assignment, by=user, scores=FULL, comment_to_applicant="Projet solide.",
        comment_to_committee="À financer en priorité.", submit=True, now=AFTER,
    )  # fmt: skip
    assert (done.status, done.submitted_at, done.scores) == (ReviewStatus.SUBMITTED, AFTER, FULL)
    with pytest.raises(CallError) as refused:
        reviewing.review_save(
            assignment=assignment, by=user, scores=FULL, comment_to_applicant="Autre.",
            comment_to_committee="", now=AFTER,
        )  # fmt: skip
    assert refused.value.code == "already_submitted"
    with pytest.raises(CallError) as refused:
        reviewing.assignment_remove(assignment=assignment, by=programme())
    assert refused.value.code == "review_submitted"


def test_a_proposed_pair_is_not_yet_reviewable() -> None:
    call = published_call()
    application = submitted(call)
    reviewer = panel_member(call)
    proposed = reviewing.assignment_add(
        now=AFTER, application=application, reviewer=reviewer, by=programme()
    )
    with pytest.raises(CallError) as refused:
        reviewing.review_save(
            assignment=proposed, by=reviewer.expert.user, scores={}, comment_to_applicant="",
            comment_to_committee="", now=AFTER,
        )  # fmt: skip
    assert refused.value.code == "not_assigned"
    assert not Review.objects.exists()


def test_reminders_go_seven_then_two_days_before_the_end_and_once_each() -> None:
    call = published_call()
    application = submitted(call)
    late = _confirmed(application, panel_member(call, email="lent@example.org"))
    done = _confirmed(application, panel_member(call, email="rapide@example.org"))
    reviewing.review_save(
        assignment=done, by=done.reviewer.expert.user, scores=FULL,
        comment_to_applicant="Bien.", comment_to_committee="", submit=True, now=AFTER,
    )  # fmt: skip
    mail.outbox.clear()
    assert reviewing.reviews_remind(now=REVIEW_ENDS - datetime.timedelta(days=8)) == 0
    seven = REVIEW_ENDS - datetime.timedelta(days=6, hours=12)
    assert reviewing.reviews_remind(now=seven) == 1
    assert reviewing.reviews_remind(now=seven + datetime.timedelta(hours=1)) == 0
    assert reviewing.reviews_remind(now=REVIEW_ENDS - datetime.timedelta(days=1)) == 1
    assert reviewing.reviews_remind(now=REVIEW_ENDS + datetime.timedelta(hours=1)) == 0
    assert [m.to for m in mail.outbox] == [["lent@example.org"], ["lent@example.org"]]
    assert "Il reste 7 jours" in mail.outbox[0].body
    assert "Il reste 1 jour :" in mail.outbox[1].body
    assert list(
        ReviewReminder.objects.order_by("pk").values_list("assignment_id", "days_before")
    ) == [
        (late.pk, 7), (late.pk, 2),
    ]  # fmt: skip


def test_the_reminders_command_does_the_work_or_hands_it_to_the_worker() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("call_reviews_remind", "--now", stdout=out)
    assert out.getvalue() == "call_reviews_remind: 0 reminder(s) sent\n"
    out = StringIO()
    call_command("call_reviews_remind", stdout=out)
    assert out.getvalue().startswith("call_reviews_remind: task ")


def test_a_conflict_declared_after_a_review_does_not_break_the_next_proposal() -> None:
    """Before: the reviewed pair stayed « fixed » while in conflict and ``propose`` raised
    ValueError (a 500 on the manage page) for every later proposal."""
    call = published_call(reviewers_per_application=1)
    application = submitted(call)
    other = submitted(call, title="Autre")
    reviewer = panel_member(call, max_load=2)
    assignment = _confirmed(application, reviewer)
    reviewing.review_save(
        assignment=assignment, by=reviewer.expert.user, scores=FULL,
        comment_to_applicant="Bien.", comment_to_committee="", submit=True, now=AFTER,
    )  # fmt: skip
    reviewing.conflict_declare(
        now=AFTER, reviewer=reviewer, application=application, reason="Lien découvert.",
        by=reviewer.expert.user,
    )  # fmt: skip
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CONFIRMED  # the review handed in stays
    summary = reviewing.assignment_propose(call=call, by=programme(), now=AFTER)
    assert summary.proposed == 1
    assert ReviewAssignment.objects.filter(
        application=other, reviewer=reviewer, state=AssignmentState.PROPOSED
    ).exists()


def test_a_conflict_appearing_after_the_assignment_closes_the_review() -> None:
    call = published_call()
    lead = south()
    application = submitted(call, lead=lead)
    reviewer = panel_member(call)
    assignment = _confirmed(application, reviewer)
    reviewer.expert.linked_institutions.add(lead)
    with pytest.raises(CallError) as refused:
        reviewing.review_save(
            assignment=assignment, by=reviewer.expert.user, scores=FULL,
            comment_to_applicant="Bien.", comment_to_committee="", submit=True, now=AFTER,
        )  # fmt: skip
    assert refused.value.code == "conflict"
    assert not Review.objects.exists()


def test_a_reminder_whose_mail_fails_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from sankore.calls import review_notifications

    call = published_call()
    late = _confirmed(submitted(call), panel_member(call))

    def broken(**kwargs: object) -> int:
        raise OSError("SMTP down")

    monkeypatch.setattr(review_notifications, "review_reminder_send", broken)
    with pytest.raises(OSError, match="SMTP down"):
        reviewing.reviews_remind(now=REVIEW_ENDS - datetime.timedelta(days=3))
    assert not ReviewReminder.objects.exists()
    monkeypatch.undo()
    assert reviewing.reviews_remind(now=REVIEW_ENDS - datetime.timedelta(days=3)) == 1
    assert ReviewReminder.objects.get().assignment_id == late.pk
