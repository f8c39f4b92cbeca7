"""A partnership's life: proposal → discussion → accepted → agreement drafted → signed by each
party → active → courses linked → closed; every move journaled, every illegal one refused
with nothing changed; only the parties' people act, only signatories sign."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from sankore.catalog.tests.factories import CourseFactory
from sankore.partnerships import agreements, services
from sankore.partnerships.models import (
    AgreementSignature,
    EventKind,
    Partnership,
    PartnershipEvent,
    PartnershipMessage,
    PartnershipState,
)
from sankore.partnerships.services import IllegalTransitionError, PartnershipError
from sankore.partnerships.tests.factories import (
    agreement_terms,
    northern,
    proposal,
    signatory_of,
    southern,
    staff_of,
)

pytestmark = pytest.mark.django_db
State = PartnershipState


def _journal(partnership: Partnership) -> list[tuple[str, str, str]]:
    return list(
        PartnershipEvent.objects.filter(partnership=partnership)
        .order_by("at", "pk")
        .values_list("kind", "from_state", "to_state")
    )


def _signed_and_active(partnership: Partnership, asking: Any) -> tuple[Any, Any]:
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    south, north = signatory_of(partnership.proposer), signatory_of(partnership.partner)
    for person, party in ((south, partnership.proposer), (north, partnership.partner)):
        agreements.agreement_sign(
            partnership=partnership, by=person, institution=party,
            signed_name=person.get_full_name(), signed_function="Président", ip_address="10.0.0.9",
        )  # fmt: skip
    return south, north


def test_the_whole_life_of_a_partnership(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        partnership, asking, asked = proposal()
        services.partnership_message_post(partnership=partnership, by=asked, body="Parlons-en.")
        services.partnership_accept(partnership=partnership, by=asked)
        _south, _north = _signed_and_active(partnership, asking)
        course = CourseFactory(owners=[partnership.proposer])
        services.partnership_course_link(partnership=partnership, by=asked, course=course)
        services.partnership_mark_produced(partnership=partnership, by=asking)
        services.partnership_close(partnership=partnership, by=asking)

    partnership.refresh_from_db()
    assert partnership.state == State.CLOSED
    assert partnership.signed_at is not None
    assert list(partnership.courses.all()) == [course]
    T, M, A, S, C = (
        EventKind.TRANSITION, EventKind.MESSAGE, EventKind.AGREEMENT, EventKind.SIGNATURE,
        EventKind.COURSE,
    )  # fmt: skip
    assert _journal(partnership) == [
        (T, "", State.PROPOSED),
        (T, State.PROPOSED, State.DISCUSSION),
        (M, "", ""),
        (T, State.DISCUSSION, State.ACCEPTED),
        (A, "", ""),
        (T, State.ACCEPTED, State.DRAFTED),
        (S, "", ""),
        (S, "", ""),
        (T, State.DRAFTED, State.ACTIVE),
        (C, "", ""),
        (T, State.ACTIVE, State.PRODUCED),
        (T, State.PRODUCED, State.CLOSED),
    ]
    signatures = AgreementSignature.objects.filter(agreement=partnership.agreement)
    assert signatures.count() == 2
    assert {s.content_hash for s in signatures} == {partnership.agreement.content_hash}
    assert {s.ip_address for s in signatures} == {"10.0.0.9"}
    # The other party hears of each step: the partner's staff of the proposal, and so on.
    proposed_mail = mail.outbox[0]
    assert proposed_mail.to == [asked.email]
    assert "CLOM d'agroécologie" in proposed_mail.subject
    assert partnership.get_absolute_url() in proposed_mail.body
    assert all(asking.email not in message.to for message in mail.outbox[:1])


def test_the_budget_reads_french_amounts_and_refuses_negative_ones() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreement = agreements.agreement_save(
        partnership=partnership, by=asking, **agreement_terms(partnership)
    )
    assert list(agreement.budget_lines.values_list("amount", flat=True)) == [
        Decimal("12500.50"), Decimal("3000.00"),
    ]  # fmt: skip

    for bad in ("-5", "1e12", "NaN", "douze"):
        terms = agreement_terms(partnership)
        terms["budget_lines"] = [agreements.BudgetLine("Tournage", partnership.partner, bad)]
        with pytest.raises(PartnershipError) as refused:
            agreements.agreement_save(partnership=partnership, by=asking, **terms)
        assert refused.value.code == "bad_amount"
    agreement.refresh_from_db()
    assert agreement.budget_lines.count() == 2


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.PROPOSED, "submit"),
        (State.PROPOSED, "produced"),
        (State.DECLINED, "accept"),
        (State.ACCEPTED, "accept"),
        (State.ACTIVE, "decline"),
        (State.CLOSED, "close"),
        (State.DRAFTED, "produced"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(state: str, action: str) -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    Partnership.objects.filter(pk=partnership.pk).update(state=state)
    partnership.refresh_from_db()
    before = PartnershipEvent.objects.count()
    calls = {
        "submit": lambda: agreements.agreement_submit(partnership=partnership, by=asking),
        "accept": lambda: services.partnership_accept(partnership=partnership, by=asked),
        "decline": lambda: services.partnership_decline(partnership=partnership, by=asked),
        "close": lambda: services.partnership_close(partnership=partnership, by=asking),
        "produced": lambda: services.partnership_mark_produced(partnership=partnership, by=asking),
    }
    if action == "produced":
        partnership.courses.add(CourseFactory(owners=[partnership.proposer]))
    with pytest.raises(IllegalTransitionError):
        calls[action]()
    partnership.refresh_from_db()
    assert partnership.state == state
    assert PartnershipEvent.objects.count() == before


def test_only_the_asked_institution_accepts_or_declines() -> None:
    partnership, asking, _asked = proposal()
    outsider = staff_of(southern(name="Université de Lomé", country="TG"))
    for person in (asking, outsider):
        with pytest.raises(PartnershipError) as refused:
            services.partnership_accept(partnership=partnership, by=person)
        assert refused.value.code == "not_allowed"
    partnership.refresh_from_db()
    assert partnership.state == State.PROPOSED


def test_outsiders_cannot_write_on_the_thread() -> None:
    partnership, _asking, _asked = proposal()
    outsider = staff_of(northern(name="Université de Lille"))
    with pytest.raises(PartnershipError):
        services.partnership_message_post(partnership=partnership, by=outsider, body="Bonjour")
    assert PartnershipMessage.objects.filter(partnership=partnership).count() == 1


def test_only_an_authorised_signatory_of_the_party_signs() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    other_signatory = signatory_of(partnership.partner)
    for person, party in ((asking, partnership.proposer), (other_signatory, partnership.proposer)):
        with pytest.raises(PartnershipError) as refused:
            agreements.agreement_sign(
                partnership=partnership, by=person, institution=party,
                signed_name="X", signed_function="Y",
            )  # fmt: skip
        assert refused.value.code == "not_a_signatory"
    assert AgreementSignature.objects.count() == 0


def test_a_party_signs_a_version_once_and_a_reopened_agreement_needs_new_signatures() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    south = signatory_of(partnership.proposer)
    sign = {
        "partnership": partnership, "by": south, "institution": partnership.proposer,
        "signed_name": "Awa Traoré", "signed_function": "Présidente",
    }  # fmt: skip
    agreements.agreement_sign(**sign)  # type: ignore[arg-type]
    with pytest.raises(PartnershipError) as refused:
        agreements.agreement_sign(**sign)  # type: ignore[arg-type]
    assert refused.value.code == "already_signed"

    agreements.agreement_reopen(partnership=partnership, by=asked, reason="Budget à revoir.")
    terms = agreement_terms(partnership)
    terms["budget_lines"] = [agreements.BudgetLine("Tournage", partnership.partner, "15000")]
    agreements.agreement_save(partnership=partnership, by=asked, **terms)
    agreement = agreements.agreement_submit(partnership=partnership, by=asked)
    assert agreement.version == 2
    agreements.agreement_sign(**sign)  # type: ignore[arg-type]
    partnership.refresh_from_db()
    # The proposer signed both versions; the partner none: not active yet.
    assert partnership.state == State.DRAFTED
    assert list(
        AgreementSignature.objects.order_by("version").values_list("version", flat=True)
    ) == [1, 2]


def test_a_signed_pdf_is_checked_by_its_content() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    south = signatory_of(partnership.proposer)
    arguments = {
        "partnership": partnership, "by": south, "institution": partnership.proposer,
        "signed_name": "Awa Traoré", "signed_function": "Présidente",
    }  # fmt: skip
    with pytest.raises(PartnershipError) as refused:
        agreements.agreement_sign(signed_pdf=b"MZ\x90\x00 not a pdf", **arguments)  # type: ignore[arg-type]
    assert refused.value.code == "not_pdf"
    assert AgreementSignature.objects.count() == 0
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    signature = agreements.agreement_sign(signed_pdf=pdf, **arguments)  # type: ignore[arg-type]
    assert signature.method == "pdf"
    assert signature.signed_file.read() == pdf


def test_a_second_open_proposal_for_the_same_pair_is_refused() -> None:
    partnership, asking, _asked = proposal()
    with pytest.raises(PartnershipError) as refused:
        services.partnership_propose(
            proposer=partnership.proposer, partner=partnership.partner, by=asking,
            title="Encore", message="Encore",
        )  # fmt: skip
    assert refused.value.code == "already_proposed"
    assert Partnership.objects.count() == 1


def test_only_a_course_of_a_party_is_linked() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    _signed_and_active(partnership, asking)
    stranger = CourseFactory(owners=[southern(name="Université de Niamey", country="NE")])
    with pytest.raises(PartnershipError) as refused:
        services.partnership_course_link(partnership=partnership, by=asking, course=stranger)
    assert refused.value.code == "not_their_course"
    assert partnership.courses.count() == 0


def test_a_declined_proposal_keeps_its_reason_and_closes_the_thread() -> None:
    partnership, asking, asked = proposal()
    services.partnership_decline(partnership=partnership, by=asked, reason="Pas cette année.")
    event = PartnershipEvent.objects.filter(to_state=State.DECLINED).get()
    assert event.detail == {"reason": "Pas cette année."}
    with pytest.raises(PartnershipError) as refused:
        services.partnership_message_post(partnership=partnership, by=asking, body="Dommage")
    assert refused.value.code == "thread_closed"


def test_dates_are_checked() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    terms = agreement_terms(partnership)
    terms["ends_on"] = datetime.date(2026, 1, 1)
    with pytest.raises(PartnershipError) as refused:
        agreements.agreement_save(partnership=partnership, by=asking, **terms)
    assert refused.value.code == "bad_dates"
