"""A call in two stages: letters of intent by the first closing, a shortlist, full proposals
of the shortlisted by the second closing; the experts review the full proposals only and
the final decision is on them; a letter not shortlisted gets its « non retenu »."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sankore.calls import call_parts, committee, reviewing, selectors, services
from sankore.calls.models import ApplicationStatus, Call, Decision, DecisionValue
from sankore.calls.services import CallError, DeadlinePassedError
from sankore.calls.tests.builders import (
    CLOSES,
    DURING,
    REVIEW_ENDS,
    panel_member,
    programme,
    south,
    staff,
    submitted,
)

pytestmark = pytest.mark.django_db

FULL_CLOSES = CLOSES + datetime.timedelta(days=21)
SHORTLISTING = CLOSES + datetime.timedelta(days=2)
WRITING = CLOSES + datetime.timedelta(days=10)
AFTER_FULL = FULL_CLOSES + datetime.timedelta(days=1)


def _two_stage_call() -> Call:
    by = programme()
    call = services.call_create(
        by=by, title="Appel en deux temps", description="Lettres puis propositions.",
        opens_at=CLOSES - datetime.timedelta(days=60), closes_at=CLOSES,
        full_proposal_closes_at=FULL_CLOSES, review_ends_at=REVIEW_ENDS,
        results_on=datetime.date(2027, 6, 1), total_budget="200 000", two_stages=True,
    )  # fmt: skip
    call_parts.section_save(
        call=call, by=by, title="Plan de production détaillé", key="plan", stage=2,
        max_length=4000,
    )  # fmt: skip
    return services.call_publish(call=call, by=by)


def test_a_two_stage_call_needs_its_second_closing_between_the_first_and_the_review_end() -> None:
    for full in (None, CLOSES, REVIEW_ENDS + datetime.timedelta(seconds=1)):
        with pytest.raises(CallError) as refused:
            services.call_create(
                by=programme(), title="Appel", description="…",
                opens_at=CLOSES - datetime.timedelta(days=60), closes_at=CLOSES,
                full_proposal_closes_at=full, review_ends_at=REVIEW_ENDS,
                results_on=datetime.date(2027, 6, 1), total_budget="1000", two_stages=True,
            )  # fmt: skip
        assert refused.value.code == "bad_full_proposal"
    assert not Call.objects.exists()


def _letter(call: Call, **fields: Any) -> Any:
    return submitted(call, **fields)


def test_a_shortlisted_letter_becomes_a_full_proposal_with_its_own_deadline() -> None:
    call = _two_stage_call()
    letter = _letter(call, title="Lettre de Ouagadougou")
    letter_receipt = letter.receipt_number
    author = letter.created_by
    staff_member = programme()
    with pytest.raises(CallError) as refused:
        committee.letter_shortlist(application=letter, by=staff_member, invited=True, now=DURING)
    assert refused.value.code == "not_shortlisting_time"

    proposal = committee.letter_shortlist(
        application=letter, by=staff_member, invited=True, now=SHORTLISTING
    )
    assert (proposal.stage, proposal.status, proposal.receipt_number) == (
        2, ApplicationStatus.DRAFT, "",
    )  # fmt: skip
    assert proposal.deadline == FULL_CLOSES
    # The second stage asks for its own sections; the letter's answers stay.
    assert [str(m) for m in services.missing_parts(application=proposal)] == [
        "Rubrique à remplir : Plan de production détaillé"
    ]
    saved = services.application_save(
        application=proposal, by=author, revision=proposal.revision,
        answers={"plan": "Tournage en mars."}, now=WRITING,
    )  # fmt: skip
    assert saved.application.answers["resume"] == "Texte."
    done = services.application_submit(application=proposal, by=author, now=lambda: WRITING)
    assert done.status == ApplicationStatus.SUBMITTED
    assert done.receipt_number not in ("", letter_receipt)


def test_a_full_proposal_is_refused_one_second_after_its_closing() -> None:
    call = _two_stage_call()
    proposal = committee.letter_shortlist(
        application=_letter(call), by=programme(), invited=True, now=SHORTLISTING
    )
    author = proposal.created_by
    services.application_save(
        application=proposal, by=author, revision=proposal.revision,
        answers={"plan": "Tournage."}, now=WRITING,
    )  # fmt: skip
    proposal.refresh_from_db()
    with pytest.raises(DeadlinePassedError):
        services.application_submit(
            application=proposal, by=author,
            now=lambda: FULL_CLOSES + datetime.timedelta(seconds=1),
        )  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.status == ApplicationStatus.DRAFT


def test_a_letter_not_shortlisted_is_not_selected_and_the_experts_see_only_proposals() -> None:
    call = _two_stage_call()
    kept, dropped = _letter(call, title="Gardée"), _letter(call, title="Écartée")
    staff_member = programme()
    with pytest.raises(CallError) as refused:
        committee.letter_shortlist(
            application=dropped, by=staff_member, invited=False, motivation=" ", now=SHORTLISTING
        )
    assert refused.value.code == "motivation_required"
    committee.letter_shortlist(
        application=dropped, by=staff_member, invited=False,
        motivation="Hors du champ de l'appel.", now=SHORTLISTING,
    )  # fmt: skip
    assert Decision.objects.get(application=dropped).value == DecisionValue.NOT_SELECTED
    with pytest.raises(CallError) as refused:
        committee.decision_record(
            application=kept, by=staff_member, value="retenu", motivation="Bien.",
            now=SHORTLISTING,
        )  # fmt: skip
    assert refused.value.code == "letter_not_final"

    proposal = committee.letter_shortlist(
        application=kept, by=staff_member, invited=True, now=SHORTLISTING
    )
    services.application_save(
        application=proposal, by=proposal.created_by, revision=proposal.revision,
        answers={"plan": "Tournage."}, now=WRITING,
    )  # fmt: skip
    services.application_submit(application=proposal, by=proposal.created_by, now=lambda: WRITING)
    reviewer = panel_member(call, institution=south())
    with pytest.raises(CallError) as refused:
        reviewing.bid_set(
            reviewer=reviewer, application=proposal, value="oui", by=reviewer.expert.user,
            now=WRITING,
        )  # fmt: skip
    assert refused.value.code == "call_not_closed"
    for letter in (dropped,):
        with pytest.raises(CallError) as refused:
            reviewing.bid_set(
                reviewer=reviewer, application=letter, value="oui", by=reviewer.expert.user,
                now=AFTER_FULL,
            )  # fmt: skip
        assert refused.value.code == "wrong_call"
    summary = reviewing.assignment_propose(call=call, by=staff_member, now=AFTER_FULL)
    assert summary.proposed == 1
    assert [row.application.title for row in selectors.call_ranking(call=call).rows] == ["Gardée"]


def test_only_the_leads_staff_write_the_full_proposal() -> None:
    call = _two_stage_call()
    proposal = committee.letter_shortlist(
        application=_letter(call), by=programme(), invited=True, now=SHORTLISTING
    )
    with pytest.raises(CallError):
        services.application_save(
            application=proposal, by=staff(south()), revision=proposal.revision,
            answers={"plan": "Intrusion."}, now=WRITING,
        )  # fmt: skip
    proposal.refresh_from_db()
    assert "plan" not in proposal.answers


def test_staff_shortlist_from_the_decision_page(client: Any) -> None:
    from django.urls import reverse
    from django.utils import timezone

    now = timezone.now()
    by = programme()
    call = services.call_create(
        by=by, title="Appel en deux temps", description="…",
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=1),
        full_proposal_closes_at=now + datetime.timedelta(days=10),
        review_ends_at=now + datetime.timedelta(days=40),
        results_on=(now + datetime.timedelta(days=50)).date(), total_budget="1000",
        two_stages=True,
    )  # fmt: skip
    call_parts.section_save(call=call, by=by, title="Plan", key="plan", stage=2)
    services.call_publish(call=call, by=by)
    kept = submitted(call, title="Gardée", when=now - datetime.timedelta(days=2))
    dropped = submitted(call, title="Écartée", when=now - datetime.timedelta(days=2))
    client.force_login(by)
    manage = client.get(reverse("calls:manage", args=[call.slug])).content.decode()
    assert "Lettres d’intention à présélectionner" in manage
    assert "Gardée" in manage
    assert "Écartée" in manage
    url = reverse("calls:decide", args=[dropped.pk])
    refused = client.post(
        url, {"action": "preselectionner", "outcome": "ecarter", "motivation": ""}
    )
    assert refused.status_code == 400
    assert not Decision.objects.exists()
    client.post(url, {"action": "preselectionner", "outcome": "ecarter",
                      "motivation": "Hors du champ."})  # fmt: skip
    assert Decision.objects.get().application_id == dropped.pk
    client.post(
        reverse("calls:decide", args=[kept.pk]), {"action": "preselectionner", "outcome": "inviter"}
    )
    kept.refresh_from_db()
    assert (kept.stage, kept.status) == (2, ApplicationStatus.DRAFT)
    manage = client.get(reverse("calls:manage", args=[call.slug])).content.decode()
    assert "Lettres d’intention à présélectionner" not in manage


def test_a_letter_already_decided_is_not_shortlisted() -> None:
    call = _two_stage_call()
    letter = _letter(call)
    staff_member = programme()
    committee.letter_shortlist(
        application=letter, by=staff_member, invited=False, motivation="Non.", now=SHORTLISTING
    )
    with pytest.raises(CallError) as refused:
        committee.letter_shortlist(
            application=letter, by=staff_member, invited=True, now=SHORTLISTING
        )
    assert refused.value.code == "already_decided"
    letter.refresh_from_db()
    assert (letter.stage, letter.status) == (1, ApplicationStatus.SUBMITTED)
