"""A call's committee: the ranking from the handed-in reviews (exact weighted scores, the
disagreement flag, the budget line), decisions with their motivation, the results notified
with anonymised reviews, and the link of a selected project to its partnership and course."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from sankore.accounts.tests.factories import UserFactory
from sankore.calls import committee, reviewing, selectors
from sankore.calls.models import CallEvent, Decision, DecisionValue, ReviewAssignment
from sankore.calls.services import CallError
from sankore.calls.tests.builders import (
    AFTER,
    DURING,
    north,
    panel_member,
    programme,
    published_call,
    south,
    submitted,
)
from sankore.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

KEYS = (
    "pertinence", "qualite-pedagogique", "co-construction", "faisabilite",
    "modele-economique", "rayonnement",
)  # fmt: skip


def _scores(*values: int) -> dict[str, int]:
    return dict(zip(KEYS, values, strict=True))


def _reviewed(application: Any, reviewer: Any, scores: dict[str, int], **comments: str) -> None:
    assignment = reviewing.assignment_add(
        now=AFTER, application=application, reviewer=reviewer, by=programme()
    )
    reviewing.assignment_confirm(now=AFTER, call=application.call, by=programme())
    assignment.refresh_from_db()
    reviewing.review_save(
        assignment=assignment, by=reviewer.expert.user, scores=scores,
        comment_to_applicant=comments.get("applicant", "Bien."),
        comment_to_committee=comments.get("committee", ""), submit=True, now=AFTER,
    )  # fmt: skip


def test_the_ranking_is_the_weighted_mean_with_the_flag_and_the_budget_line() -> None:
    call = published_call(total_budget=Decimal("70000"))  # disagreement beyond 15 points
    first = submitted(call, title="Premier", amount="40 000")
    second = submitted(call, title="Second", amount="35 000")
    unreviewed = submitted(call, title="Sans évaluation", amount="10 000")
    one, two = panel_member(call), panel_member(call)
    # Out of 5 with weights 20/25/15/15/15/10: all 5 → 100; all 4 → 80; all 3 → 60.
    _reviewed(first, one, _scores(5, 5, 5, 5, 5, 5))
    _reviewed(first, two, _scores(4, 4, 4, 4, 4, 4))
    # (5·20 + 0·25 + 5·15 + 0·15 + 5·15 + 0·10) / 5 = 50; and 60: spread 10, no flag.
    _reviewed(second, one, _scores(5, 0, 5, 0, 5, 0))
    _reviewed(second, two, _scores(3, 3, 3, 3, 3, 3))

    table = selectors.call_ranking(call=call)

    rows = [(r.application.title, r.row.rank, r.row.score, r.row.spread, r.row.disagreement,
             r.row.cumulative, r.row.within_budget, r.expected) for r in table.rows]  # fmt: skip
    assert rows == [
        ("Premier", 1, Decimal("90.00"), Decimal("20.00"), True, Decimal("40000"), True, 2),
        ("Second", 2, Decimal("55.00"), Decimal("10.00"), False, Decimal("75000"), False, 2),
        ("Sans évaluation", None, None, None, False, None, False, 0),
    ]
    assert (table.funded, table.remaining, table.reviews_missing) == (
        Decimal("40000"), Decimal("30000"), 0,
    )  # fmt: skip
    assert unreviewed.pk == table.rows[2].application.pk


def test_the_ranking_reads_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    call = published_call()
    reviewer = panel_member(call, max_load=20)
    for n in range(2):
        _reviewed(submitted(call, title=f"A{n}"), reviewer, _scores(4, 4, 4, 4, 4, 4))
    with django_assert_max_num_queries(6) as few:
        selectors.call_ranking(call=call)
    for n in range(6):
        _reviewed(submitted(call, title=f"B{n}"), reviewer, _scores(3, 4, 5, 3, 4, 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.call_ranking(call=call).rows) == 8


def test_a_decision_needs_a_closed_call_a_known_value_and_a_motivation() -> None:
    call = published_call()
    application = submitted(call, amount="40 000")
    staff = programme()
    refusals = [
        ({"value": "retenu", "motivation": "Solide.", "now": DURING}, staff, "call_open"),
        ({"value": "peut-etre", "motivation": "Solide.", "now": AFTER}, staff, "decision_value"),
        ({"value": "retenu", "motivation": "  ", "now": AFTER}, staff, "motivation_required"),
        ({"value": "retenu", "motivation": "Solide.", "now": AFTER,
          "granted_amount": "50 000"}, staff, "granted_above_requested"),
        ({"value": "retenu", "motivation": "Solide.", "now": AFTER,
          "granted_amount": "-1"}, staff, "bad_amount"),
        ({"value": "retenu", "motivation": "Solide.", "now": AFTER}, UserFactory(), "not_allowed"),
    ]  # fmt: skip
    for fields, by, code in refusals:
        with pytest.raises(CallError) as refused:
            committee.decision_record(application=application, by=by, **fields)
        assert refused.value.code == code
    assert not Decision.objects.exists()
    decision = committee.decision_record(
        application=application, by=staff, value="retenu", motivation="Solide.",
        granted_amount="35 000,50", now=AFTER,
    )  # fmt: skip
    assert (decision.value, decision.granted_amount) == (
        DecisionValue.SELECTED,
        Decimal("35000.50"),
    )
    changed = committee.decision_record(
        application=application, by=staff, value="liste-attente", motivation="Budget épuisé.",
        now=AFTER,
    )  # fmt: skip
    assert (changed.pk, changed.value, changed.granted_amount) == (
        decision.pk, DecisionValue.WAITING_LIST, None,
    )  # fmt: skip
    assert list(
        CallEvent.objects.filter(action="decision_recorded").values_list("detail__value", flat=True)
    ) == ["retenu", "liste-attente"]


def test_results_wait_for_every_decision_then_reach_applicants_without_reviewer_names(
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = published_call(title="Appel CLOM 2027")
    chosen = submitted(call, title="Projet retenu")
    other = submitted(call, title="Projet écarté")
    reviewer = panel_member(call, full_name="Aminata Diallo", email="aminata@example.org")
    _reviewed(chosen, reviewer, _scores(5, 4, 5, 4, 3, 5), applicant="Dossier solide.",
              committee="Je connais l'équipe : excellente.")  # fmt: skip
    staff = programme()
    committee.decision_record(
        application=chosen, by=staff, value="retenu", motivation="Classé premier.", now=AFTER
    )
    with pytest.raises(CallError) as refused:
        committee.results_publish(call=call, by=staff, now=AFTER)
    assert refused.value.code == "undecided"
    assert not Decision.objects.filter(notified_at__isnull=False).exists()
    committee.decision_record(
        application=other, by=staff, value="non-retenu", motivation="Hors budget.", now=AFTER
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert committee.results_publish(call=call, by=staff, now=AFTER) == 2
    call.refresh_from_db()
    assert call.results_published_at == AFTER
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Résultat de l'appel « Appel CLOM 2027 » : non retenu",
        "Résultat de l'appel « Appel CLOM 2027 » : retenu",
    ]
    body = next(m.body for m in mail.outbox if m.subject.endswith(": retenu"))
    # (5·20 + 4·25 + 5·15 + 4·15 + 3·15 + 5·10) / 5 = 86, in French figures.
    assert "Expert 1 — 86,00 / 100" in body
    assert "Dossier solide." in body
    assert "Classé premier." in body
    for secret in ("Aminata", "aminata@example.org", "excellente"):
        assert all(secret not in m.body for m in mail.outbox)
    with pytest.raises(CallError) as refused:
        committee.decision_record(
            application=other, by=staff, value="retenu", motivation="Revu.", now=AFTER
        )
    assert refused.value.code == "already_notified"


def test_the_feedback_numbers_reviews_and_keeps_the_confidential_comment_out() -> None:
    call = published_call()
    application = submitted(call)
    for comment in ("Premier avis.", "Second avis."):
        _reviewed(application, panel_member(call), _scores(4, 4, 4, 4, 4, 4), applicant=comment,
                  committee="Confidentiel.")  # fmt: skip
    feedback = selectors.application_feedback(application=application)
    assert [(r.number, r.score, r.comment) for r in feedback.reviews] == [
        (1, Decimal("80.00"), "Premier avis."), (2, Decimal("80.00"), "Second avis."),
    ]  # fmt: skip
    assert "Confidentiel." not in repr(feedback)


def test_a_selected_project_links_to_a_partnership_of_its_lead_only() -> None:
    call = published_call()
    lead, bordeaux, elsewhere = south(), north(), north()
    application = submitted(call, lead=lead, partners=(bordeaux,))
    staff = programme()
    decision = committee.decision_record(
        application=application, by=staff, value="retenu", motivation="Oui.", now=AFTER
    )
    theirs = Partnership.objects.create(
        proposer=lead, partner=bordeaux, title="CLOM agroécologie", proposed_by=staff
    )
    unrelated = Partnership.objects.create(
        proposer=bordeaux, partner=elsewhere, title="Autre", proposed_by=staff
    )
    with pytest.raises(CallError) as refused:
        committee.decision_link(decision=decision, by=staff, partnership=unrelated)
    assert refused.value.code == "partnership_not_lead"
    decision.refresh_from_db()
    assert decision.partnership_id is None
    linked = committee.decision_link(decision=decision, by=staff, partnership=theirs)
    assert linked.partnership_id == theirs.pk
    assert ReviewAssignment.objects.count() == 0
