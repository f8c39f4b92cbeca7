"""Private partners: contributions recorded by programme staff, shown « avec le soutien de »
on the course and institution pages; sponsored seats handed out as voucher codes that waive
an exam fee — each learner once, never beyond the seats, and every refusal leaves the count,
the redemptions and the fee as they were."""

from __future__ import annotations

import datetime
import re
import threading
from collections import Counter
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog import page_extensions
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.exams import services as exams
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    paying_sitting,
    sitting,
)
from sankore.learning.services import enrolment_create
from sankore.partnerships import sponsors
from sankore.partnerships.models import (
    ContributionKind,
    SponsorContribution,
    Voucher,
    VoucherRedemption,
    VoucherUse,
)
from sankore.partnerships.tests.factories import (
    company,
    programme_person,
    proposal,
    seats_contribution,
    shared_voucher,
    southern,
)

pytestmark = pytest.mark.django_db

NOW = DURING_REGISTRATION
CODE = re.compile(r"SK-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _seated(at: ExamSitting, learner: Any = None) -> ExamRegistration:
    """A confirmed seat at ``at`` for ``learner`` (a new learner of its session unless given)."""
    learner = learner or learner_of(at.course_run)
    return exams.registration_create(learner=learner, sitting=at, now=NOW)


def _state() -> list[tuple[object, ...]]:
    """Everything a redemption changes: the vouchers' counts, the redemptions, the fees."""
    return [
        *Voucher.objects.order_by("pk").values_list("pk", "redeemed_count"),
        *VoucherRedemption.objects.order_by("pk").values_list("voucher_id", "learner_id"),
        *ExamRegistration.objects.order_by("pk").values_list("pk", "paid_at", "fee_waiver"),
    ]


def _refused(expected: str, call: Any, /, **kwargs: Any) -> ServiceError:
    before = _state()
    contributions = list(SponsorContribution.objects.values_list("pk", flat=True))
    with pytest.raises(ServiceError) as refused:
        call(**kwargs)
    assert refused.value.code == expected
    assert str(refused.value.message)
    assert _state() == before
    assert list(SponsorContribution.objects.values_list("pk", flat=True)) == contributions
    return refused.value


# --- Contributions -------------------------------------------------------------------------


def test_programme_staff_record_what_a_foundation_brings_to_a_course() -> None:
    staff, foundation, course = programme_person(), company(), CourseFactory()

    contribution = sponsors.sponsor_contribution_create(
        by=staff, sponsor=foundation, kind=ContributionKind.FUNDING, course=course,
        amount=Decimal("2500000"), currency="xof", description="  Bourses de tournage. ",
    )  # fmt: skip

    contribution.refresh_from_db()
    assert (
        contribution.sponsor, contribution.kind, contribution.course, contribution.amount,
        contribution.currency, contribution.description, contribution.is_public,
        contribution.created_by,
    ) == (
        foundation, "financement", course, Decimal("2500000.00"), "XOF", "Bourses de tournage.",
        True, staff,
    )  # fmt: skip


def test_a_contribution_without_amount_has_no_currency() -> None:
    contribution = seats_contribution(currency="EUR")

    assert (contribution.amount, contribution.currency) == (None, "")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"amount": Decimal("-1"), "currency": "EUR"}, "negative_amount"),
        ({"amount": Decimal("100")}, "currency_required"),
        ({"amount": Decimal("100"), "currency": "ZZZ"}, "currency_required"),
        ({"amount": Decimal("10.005"), "currency": "EUR"}, "amount_format"),
        ({"amount": Decimal("1e10"), "currency": "EUR"}, "amount_format"),
        ({"kind": "cadeau"}, "bad_kind"),
        ({"description": "x" * 2001}, "description_too_long"),
    ],
)
def test_a_contribution_with_a_bad_amount_or_kind_is_refused(
    fields: dict[str, Any], code: str
) -> None:
    values = {"by": programme_person(), "sponsor": company(), "kind": ContributionKind.FUNDING}

    _refused(code, sponsors.sponsor_contribution_create, **{**values, **fields})


def test_only_programme_staff_record_contributions_and_only_of_companies_or_foundations() -> None:
    learner = UserFactory()

    _refused(
        "not_allowed", sponsors.sponsor_contribution_create,
        by=learner, sponsor=company(), kind=ContributionKind.FUNDING,
    )  # fmt: skip
    _refused(
        "not_a_sponsor", sponsors.sponsor_contribution_create,
        by=programme_person(), sponsor=southern(), kind=ContributionKind.FUNDING,
    )  # fmt: skip


# --- Vouchers ------------------------------------------------------------------------------


def test_personal_codes_have_one_seat_each_are_distinct_and_unambiguous() -> None:
    course = CourseFactory()
    contribution = seats_contribution(course=course)

    vouchers = sponsors.voucher_batch_create(
        by=programme_person(), contribution=contribution, seats=40,
        expires_on=datetime.date(2031, 6, 30), now=NOW,
    )  # fmt: skip

    assert len(vouchers) == 40
    stored = Voucher.objects.filter(contribution=contribution)
    assert stored.count() == 40
    codes = set(stored.values_list("code", flat=True))
    assert len(codes) == 40
    assert all(CODE.fullmatch(code) for code in codes)
    assert set(stored.values_list("seats", "redeemed_count", "use", "course", "expires_on")) == {
        (1, 0, VoucherUse.EXAM_FEE, course.pk, datetime.date(2031, 6, 30))
    }


def test_a_shared_code_holds_every_seat() -> None:
    contribution = seats_contribution()

    (voucher,) = sponsors.voucher_batch_create(
        by=programme_person(), contribution=contribution, seats=120, shared=True
    )

    voucher.refresh_from_db()
    assert (voucher.seats, voucher.redeemed_count, voucher.seats_left, voucher.course) == (
        120, 0, 120, None,
    )  # fmt: skip
    assert CODE.fullmatch(voucher.code)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"seats": 0}, "seats"),
        ({"seats": 501}, "too_many_codes"),
        ({"seats": 100_001, "shared": True}, "too_many_seats"),
        ({"seats": 3, "expires_on": datetime.date(2030, 3, 31)}, "already_expired"),
    ],
)
def test_a_batch_with_bad_seats_or_a_past_date_is_refused(
    fields: dict[str, Any], code: str
) -> None:
    contribution = seats_contribution()

    _refused(
        code, sponsors.voucher_batch_create,
        by=programme_person(), contribution=contribution, now=NOW, **fields,
    )  # fmt: skip
    assert not Voucher.objects.exists()


def test_vouchers_come_only_from_sponsored_seats_by_programme_staff_for_their_course() -> None:
    funding = seats_contribution(kind=ContributionKind.FUNDING)
    seats = seats_contribution(course=CourseFactory())

    _refused(
        "not_sponsored_seats", sponsors.voucher_batch_create,
        by=programme_person(), contribution=funding, seats=3,
    )  # fmt: skip
    _refused(
        "not_allowed", sponsors.voucher_batch_create,
        by=UserFactory(), contribution=seats, seats=3,
    )  # fmt: skip
    _refused(
        "other_course", sponsors.voucher_batch_create,
        by=programme_person(), contribution=seats, seats=3, course=CourseFactory(),
    )  # fmt: skip
    assert not Voucher.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["SK-7KQM-3HXP", "sk-7kqm-3hxp", " SK 7KQM 3HXP ", "7kqm3hxp", "SK–7KQM–3HXP", "sk7kqm-3hxp"],
)
def test_a_code_is_read_whatever_its_case_spaces_and_dashes(typed: str) -> None:
    assert sponsors.voucher_code_normalise(typed) == "SK-7KQM-3HXP"


@pytest.mark.parametrize("typed", ["", "SK-7KQM-3HX0", "SK-7KQM-3HXI", "SK-7KQM", "XX-7KQM-3HXP"])
def test_what_cannot_be_a_code_is_read_as_none(typed: str) -> None:
    assert sponsors.voucher_code_normalise(typed) is None


# --- Redeeming -----------------------------------------------------------------------------


def test_a_learner_redeems_a_code_for_the_fee_of_their_exam() -> None:
    voucher = shared_voucher(seats=5)
    registration = _seated(paying_sitting(at=centre()))
    typed = voucher.code.lower().replace("-", " ")

    redemption = sponsors.voucher_redeem(
        learner=registration.learner, code=typed, registration=registration, now=NOW
    )

    voucher.refresh_from_db()
    registration.refresh_from_db()
    assert (redemption.voucher, redemption.learner, redemption.exam_registration) == (
        voucher, registration.learner, registration,
    )  # fmt: skip
    assert redemption.redeemed_at == NOW
    assert (voucher.redeemed_count, voucher.seats_left) == (1, 4)
    assert (registration.paid_at, registration.fee_waiver, registration.receipt_number) == (
        NOW, voucher.code, "",
    )  # fmt: skip


def test_an_unknown_or_malformed_code_changes_nothing() -> None:
    shared_voucher(seats=5)
    registration = _seated(paying_sitting(at=centre()))

    for typed in ("SK-2222-2222", "pas un code"):
        refusal = _refused(
            "unknown_code", sponsors.voucher_redeem,
            learner=registration.learner, code=typed, registration=registration, now=NOW,
        )  # fmt: skip
        assert "SK-7KQM-3HXP" in str(refusal.message)


def test_the_same_learner_cannot_use_a_code_twice() -> None:
    voucher = shared_voucher(seats=5)
    exam_centre = centre()
    first = _seated(paying_sitting(at=exam_centre))
    second_sitting = paying_sitting(at=exam_centre, run=CourseRunFactory())
    learner = first.learner
    enrolment_create(user=learner, course_run=second_sitting.course_run)
    second = _seated(second_sitting, learner)
    sponsors.voucher_redeem(learner=learner, code=voucher.code, registration=first, now=NOW)

    _refused(
        "already_redeemed", sponsors.voucher_redeem,
        learner=learner, code=voucher.code, registration=second, now=NOW,
    )  # fmt: skip
    voucher.refresh_from_db()
    assert voucher.redeemed_count == 1


def test_a_cancelled_registration_gives_its_seat_back_to_the_voucher() -> None:
    voucher = shared_voucher(seats=1)
    exam_centre = centre()
    first = _seated(paying_sitting(at=exam_centre))
    learner = first.learner
    redemption = sponsors.voucher_redeem(
        learner=learner, code=voucher.code, registration=first, now=NOW
    )

    exams.registration_cancel(registration=first, by=learner, now=NOW)

    voucher.refresh_from_db()
    redemption.refresh_from_db()
    assert voucher.redeemed_count == 0
    assert redemption.released_at is not None
    # The seat serves again: the same learner, for another sitting.
    later = paying_sitting(at=exam_centre, run=CourseRunFactory())
    enrolment_create(user=learner, course_run=later.course_run)
    again = _seated(later, learner)
    sponsors.voucher_redeem(learner=learner, code=voucher.code, registration=again, now=NOW)
    voucher.refresh_from_db()
    assert voucher.redeemed_count == 1
    assert voucher.redemptions.filter(released_at__isnull=True).get().exam_registration == again


def test_a_code_whose_seats_are_all_used_is_refused() -> None:
    voucher = shared_voucher(seats=2)
    given = paying_sitting(at=centre())
    first, second, third = (_seated(given) for _ in range(3))
    for registration in (first, second):
        sponsors.voucher_redeem(
            learner=registration.learner, code=voucher.code, registration=registration, now=NOW
        )

    _refused(
        "no_seat_left", sponsors.voucher_redeem,
        learner=third.learner, code=voucher.code, registration=third, now=NOW,
    )  # fmt: skip
    voucher.refresh_from_db()
    assert (voucher.redeemed_count, voucher.seats_left) == (2, 0)


def test_a_code_is_valid_until_its_last_day_included() -> None:
    early = datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC)
    expired = shared_voucher(expires_on=datetime.date(2030, 3, 31), now=early)
    last_day = shared_voucher(expires_on=NOW.date(), now=early)
    given = paying_sitting(at=centre())
    late, on_time = _seated(given), _seated(given)

    _refused(
        "expired", sponsors.voucher_redeem,
        learner=late.learner, code=expired.code, registration=late, now=NOW,
    )  # fmt: skip
    sponsors.voucher_redeem(
        learner=on_time.learner, code=last_day.code, registration=on_time, now=NOW
    )
    on_time.refresh_from_db()
    assert on_time.fee_waiver == last_day.code


def test_a_code_reserved_to_another_course_is_refused() -> None:
    voucher = shared_voucher(course=CourseFactory())
    registration = _seated(paying_sitting(at=centre()))

    _refused(
        "other_course", sponsors.voucher_redeem,
        learner=registration.learner, code=voucher.code, registration=registration, now=NOW,
    )  # fmt: skip


def test_a_code_reserved_to_the_course_of_the_exam_is_accepted() -> None:
    given = paying_sitting(at=centre())
    voucher = shared_voucher(course=given.course_run.course)
    registration = _seated(given)

    sponsors.voucher_redeem(
        learner=registration.learner, code=voucher.code, registration=registration, now=NOW
    )

    registration.refresh_from_db()
    assert registration.fee_waiver == voucher.code


def test_a_learner_cannot_redeem_for_the_registration_of_another() -> None:
    voucher = shared_voucher()
    registration = _seated(paying_sitting(at=centre()))

    refusal = _refused(
        "not_your_registration", sponsors.voucher_redeem,
        learner=UserFactory(), code=voucher.code, registration=registration, now=NOW,
    )  # fmt: skip
    assert refusal.status_code == 404


def test_a_waiting_a_free_or_an_already_paid_registration_takes_no_voucher() -> None:
    voucher = shared_voucher()
    paying = paying_sitting(at=centre(), seats=1)
    paid = _seated(paying)
    exams.registration_payment_record(
        registration=paid, by=campus_staff(paying.centre), receipt_number="R1", now=NOW
    )
    waiting = _seated(paying)
    free = _seated(sitting(at=paying.centre, run=CourseRunFactory()))

    for registration, code in ((waiting, "not_confirmed"), (free, "free_sitting"),
                               (paid, "already_paid")):  # fmt: skip
        _refused(
            code, sponsors.voucher_redeem,
            learner=registration.learner, code=voucher.code, registration=registration, now=NOW,
        )  # fmt: skip


def test_a_refusal_of_the_exams_at_the_last_step_gives_the_seat_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    voucher = shared_voucher(seats=1)
    registration = _seated(paying_sitting(at=centre()))

    def cancelled_meanwhile(**kwargs: Any) -> None:
        raise exams.ExamError("Seule une place confirmée…", code="not_confirmed")

    monkeypatch.setattr(sponsors, "registration_fee_waive", cancelled_meanwhile)

    _refused(
        "not_confirmed", sponsors.voucher_redeem,
        learner=registration.learner, code=voucher.code, registration=registration, now=NOW,
    )  # fmt: skip
    voucher.refresh_from_db()
    assert voucher.redeemed_count == 0


def test_the_database_holds_one_redemption_per_learner_and_never_beyond_the_seats() -> None:
    voucher = shared_voucher(seats=1)
    learner = UserFactory()
    VoucherRedemption.objects.create(voucher=voucher, learner=learner)

    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherRedemption.objects.create(voucher=voucher, learner=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(redeemed_count=2)


# --- Programme pages -----------------------------------------------------------------------


def test_the_programme_pages_are_for_programme_staff_only() -> None:
    contribution = seats_contribution()
    shared_voucher(contribution=contribution)
    urls = [
        reverse("partnerships:sponsors"), reverse("partnerships:sponsor_create"),
        reverse("partnerships:sponsor", args=[contribution.pk]),
        reverse("partnerships:sponsor_vouchers_csv", args=[contribution.pk]),
    ]  # fmt: skip
    learner, institution_staff = UserFactory(), proposal()[1]
    staff = _client(programme_person())

    for url in urls:
        assert _client(learner).get(url).status_code == 403
        assert _client(institution_staff).get(url).status_code == 403
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert "/comptes/login/" in anonymous["Location"]
        assert staff.get(url).status_code == 200
    assert (
        staff.get(reverse("partnerships:sponsor", args=[contribution.pk + 99])).status_code == 404
    )
    # Nor may a learner create anything by posting.
    created = _client(learner).post(
        reverse("partnerships:sponsor", args=[contribution.pk]), {"mode": "partage", "seats": 9}
    )
    assert created.status_code == 403
    assert Voucher.objects.filter(contribution=contribution).count() == 1


def test_programme_staff_record_a_contribution_through_the_page() -> None:
    foundation, course = company(name="Fondation Sonatel"), CourseFactory(code="CLOM-0042")
    client = _client(programme_person())
    form = {
        "sponsor": foundation.pk, "kind": ContributionKind.SPONSORED_SEATS, "course": "clom-0042",
        "amount": "1500,50", "currency": "XOF", "is_public": "on", "description": "",
    }  # fmt: skip

    response = client.post(reverse("partnerships:sponsor_create"), form)

    contribution = SponsorContribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:sponsor", args=[contribution.pk])
    assert (contribution.sponsor, contribution.course, contribution.amount) == (
        foundation, course, Decimal("1500.50"),
    )  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "100", "currency": ""},
        {"course": "CLOM-9999"},
        {"kind": "cadeau"},
        {"amount": "-5"},
        {"sponsor": "university"},
    ],
)
def test_a_bad_contribution_form_is_a_400_and_records_nothing(bad: dict[str, str]) -> None:
    foundation, university = company(), southern()
    form = {"sponsor": foundation.pk, "kind": ContributionKind.FUNDING, **bad}
    if form["sponsor"] == "university":
        form["sponsor"] = university.pk  # not a company nor a foundation: not offered

    response = _client(programme_person()).post(reverse("partnerships:sponsor_create"), form)

    assert response.status_code == 400
    assert not SponsorContribution.objects.exists()


def test_a_batch_of_codes_through_the_contribution_page_and_their_csv() -> None:
    contribution = seats_contribution()
    client = _client(programme_person())
    url = reverse("partnerships:sponsor", args=[contribution.pk])

    response = client.post(url, {"mode": "personnels", "seats": "3", "expires_on": ""})

    assert response.status_code == 302
    codes = sorted(Voucher.objects.filter(contribution=contribution).values_list("code", flat=True))
    assert len(codes) == 3
    csv = client.get(reverse("partnerships:sponsor_vouchers_csv", args=[contribution.pk]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "Code;Places;Places utilisées;Places restantes;Réservé au cours;Valable jusqu'au"
    )
    assert sorted(line.split(";")[0] for line in lines[1:]) == codes
    assert {line.split(";", 1)[1] for line in lines[1:]} == {"1;0;1;;"}


@pytest.mark.parametrize(
    "bad",
    [
        {"mode": "personnels", "seats": "0"},
        {"mode": "personnels", "seats": "501"},
        {"mode": "personnels", "seats": "deux"},
        {"mode": "personnels", "seats": "2", "expires_on": "2001-01-01"},
        {"mode": "autre", "seats": "2"},
        {"mode": "partage", "seats": "2", "course": "CLOM-9999"},
    ],
)
def test_a_bad_batch_form_is_a_400_and_creates_no_voucher(bad: dict[str, str]) -> None:
    contribution = seats_contribution()

    response = _client(programme_person()).post(
        reverse("partnerships:sponsor", args=[contribution.pk]), bad
    )

    assert response.status_code == 400
    assert not Voucher.objects.exists()


def test_a_contribution_other_than_seats_has_no_batch_form_and_refuses_one() -> None:
    contribution = seats_contribution(kind=ContributionKind.INTERNSHIPS)
    client = _client(programme_person())
    url = reverse("partnerships:sponsor", args=[contribution.pk])

    assert "Créer des bons" not in client.get(url).content.decode()
    assert client.post(url, {"mode": "partage", "seats": "2"}).status_code == 400
    assert not Voucher.objects.exists()


def test_the_contribution_page_shows_seats_used_and_who_redeemed_when() -> None:
    contribution = seats_contribution()
    voucher = shared_voucher(contribution=contribution, seats=4)
    registration = _seated(paying_sitting(at=centre()))
    registration.learner.full_name = "Aïssatou Ndiaye"
    registration.learner.save(update_fields=["full_name"])
    sponsors.voucher_redeem(
        learner=registration.learner, code=voucher.code, registration=registration, now=NOW
    )

    body = (
        _client(programme_person())
        .get(reverse("partnerships:sponsor", args=[contribution.pk]))
        .content.decode()
    )

    assert voucher.code in body
    assert "1 / 4" in body
    assert "Aïssatou Ndiaye" in body or registration.learner.email in body


def test_the_contributions_list_runs_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    shared_voucher(contribution=seats_contribution(course=CourseFactory()))
    client = _client(programme_person())
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("partnerships:sponsors"))
    for n in range(6):
        contribution = seats_contribution(sponsor=company(name=f"Fondation {n}", slug=f"f-{n}"),
                                          course=CourseFactory())  # fmt: skip
        shared_voucher(contribution=contribution, seats=3)
        shared_voucher(contribution=contribution, seats=2)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partnerships:sponsors"))

    rows = {c.sponsor.name: (c.voucher_count, c.seats_total, c.seats_used)
            for c in response.context["contributions"]}  # fmt: skip
    assert len(rows) == 7
    assert rows["Fondation 0"] == (2, 5, 0)


# --- The learner's voucher page ------------------------------------------------------------


def test_a_learner_uses_a_voucher_from_my_exams() -> None:
    voucher = shared_voucher(seats=5)
    registration = _seated(paying_sitting(at=centre()))
    client = _client(registration.learner)
    voucher_page = f"{reverse('partnerships:voucher_redeem')}?inscription={registration.pk}"

    mine = client.get(reverse("exams:mine")).content.decode()
    assert f'href="{voucher_page.replace("&", "&amp;")}"' in mine
    page = client.get(voucher_page)
    assert page.status_code == 200
    assert f'value="{registration.pk}" ' in page.content.decode()
    assert "checked" in page.content.decode()

    response = client.post(
        voucher_page, {"code": voucher.code.lower(), "registration": registration.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("exams:mine")
    mine = client.get(reverse("exams:mine")).content.decode()
    assert f"frais pris en charge (bon {voucher.code})" in mine
    assert voucher_page not in mine


def test_a_wrong_code_on_the_page_is_a_form_error_and_changes_nothing() -> None:
    shared_voucher(seats=5)
    registration = _seated(paying_sitting(at=centre()))
    before = _state()

    response = _client(registration.learner).post(
        reverse("partnerships:voucher_redeem"),
        {"code": "SK-2222-2222", "registration": registration.pk},
    )

    assert response.status_code == 400
    assert "Ce code ne correspond à aucun bon" in response.content.decode()
    assert _state() == before


def test_the_page_offers_only_the_learners_own_fees_to_pay() -> None:
    voucher = shared_voucher(seats=5)
    given = paying_sitting(at=centre())
    mine, theirs = _seated(given), _seated(given)
    client = _client(mine.learner)

    body = client.get(reverse("partnerships:voucher_redeem")).content.decode()
    assert f'value="{mine.pk}"' in body
    assert f'value="{theirs.pk}"' not in body
    before = _state()
    response = client.post(
        reverse("partnerships:voucher_redeem"), {"code": voucher.code, "registration": theirs.pk}
    )
    assert response.status_code == 400
    assert _state() == before


def test_a_learner_with_nothing_to_pay_is_told_so() -> None:
    body = _client(UserFactory()).get(reverse("partnerships:voucher_redeem")).content.decode()

    assert "aucune inscription à un examen dont les droits restent à régler" in body


def test_the_centre_staff_see_the_waived_fee_on_the_attendance_list() -> None:
    voucher = shared_voucher()
    given = paying_sitting(at=centre())
    registration = _seated(given)
    sponsors.voucher_redeem(
        learner=registration.learner, code=voucher.code, registration=registration, now=NOW
    )

    body = (
        _client(campus_staff(given.centre))
        .get(reverse("exams:attendance", args=[given.pk]))
        .content.decode()
    )

    assert f"frais pris en charge (bon {voucher.code})" in body
    assert f"receipt-{registration.pk}" not in body  # no payment form for it any more


# --- « Avec le soutien de » ----------------------------------------------------------------


def test_the_course_page_names_its_public_supporters() -> None:
    course = CourseFactory()
    foundation = company(name="Fondation Orange Sénégal", slug="fondation-orange")
    seats_contribution(sponsor=foundation, course=course)
    seats_contribution(sponsor=company(name="Banque discrète", slug="discrete"), course=course,
                       is_public=False)  # fmt: skip
    seats_contribution(sponsor=company(name="Ailleurs SA", slug="ailleurs"), course=CourseFactory())

    body = Client().get(course.get_absolute_url()).content.decode()

    assert "Avec le soutien de" in body
    assert (
        f'<a href="{foundation.get_absolute_url()}">Fondation Orange Sénégal</a> (places offertes)'
        in body
    )
    assert "Banque discrète" not in body
    assert "Ailleurs SA" not in body


def test_a_course_page_without_supporters_says_nothing_of_them() -> None:
    body = Client().get(CourseFactory().get_absolute_url()).content.decode()

    assert "Avec le soutien de" not in body


def test_a_partnerships_supporter_is_shown_on_the_courses_it_produced() -> None:
    partnership, _asking, _asked = proposal()
    course = CourseFactory(owners=[partnership.proposer])
    partnership.courses.add(course)
    sponsor = company(name="Fondation Agro", slug="fondation-agro")
    sponsors.sponsor_contribution_create(
        by=programme_person(), sponsor=sponsor, kind=ContributionKind.SERVICES,
        partnership=partnership,
    )  # fmt: skip

    body = Client().get(course.get_absolute_url()).content.decode()

    assert "Fondation Agro</a> (services)" in body


def test_the_institution_pages_show_what_a_sponsor_brings_and_who_supports_a_university() -> None:
    university = southern(slug="univ-ouaga")
    course = CourseFactory(title="Agroécologie au Sahel", owners=[university])
    hidden = CourseFactory(title="Brouillon", owners=[university], is_published=False)
    foundation = company(name="Fondation Orange Sénégal", slug="fondation-orange")
    seats_contribution(sponsor=foundation, course=course)
    seats_contribution(sponsor=foundation, course=hidden)
    sponsors.sponsor_contribution_create(
        by=programme_person(), sponsor=foundation, kind=ContributionKind.INTERNSHIPS
    )

    sponsor_page = Client().get(foundation.get_absolute_url()).content.decode()
    university_page = Client().get(university.get_absolute_url()).content.decode()

    assert "Ce que Fondation Orange Sénégal apporte" in sponsor_page
    assert (
        f'places offertes — <a href="{course.get_absolute_url()}">Agroécologie au Sahel</a>'
        in sponsor_page
    )
    assert "stages ou emplois pour les certifiés — au programme" in sponsor_page
    assert "Brouillon" not in sponsor_page
    assert "Avec le soutien de" in university_page
    assert (
        f'<a href="{foundation.get_absolute_url()}">Fondation Orange Sénégal</a> — places offertes'
        in university_page
    )


def test_the_course_page_pays_one_query_for_its_supporters_whatever_their_number(
    django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = CourseFactory()
    CourseRunFactory(course=course)
    client = Client()
    with monkeypatch.context() as without_partnerships:
        without_partnerships.setattr(page_extensions, "_course_supporters", [])
        with django_assert_max_num_queries(30) as bare:
            client.get(course.get_absolute_url())
    with django_assert_max_num_queries(30) as supported:
        client.get(course.get_absolute_url())
    for n in range(5):
        seats_contribution(sponsor=company(name=f"Fondation {n}", slug=f"f-{n}"), course=course)

    with django_assert_max_num_queries(len(supported.captured_queries)):
        response = client.get(course.get_absolute_url())

    assert len(supported.captured_queries) == len(bare.captured_queries) + 1
    assert len(response.context["supporters"]) == 5


# --- Back office ---------------------------------------------------------------------------


def test_the_admin_adds_a_contribution_through_the_service_then_only_shows_it() -> None:
    staff = programme_person()
    client = _client(staff)
    foundation = company()

    response = client.post(
        reverse("admin:partnerships_sponsorcontribution_add"),
        {"sponsor": foundation.pk, "kind": ContributionKind.FUNDING, "description": "",
         "amount": "1000", "currency": "EUR", "is_public": "on",
         "vouchers-TOTAL_FORMS": "0", "vouchers-INITIAL_FORMS": "0"},
    )  # fmt: skip

    assert response.status_code == 302
    contribution = SponsorContribution.objects.get()
    assert (contribution.sponsor, contribution.amount, contribution.created_by) == (
        foundation, Decimal("1000.00"), staff,
    )  # fmt: skip
    change = reverse("admin:partnerships_sponsorcontribution_change", args=[contribution.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"sponsor": foundation.pk, "kind": "contenus", "amount": "1"})
    contribution.refresh_from_db()
    assert (contribution.kind, contribution.amount) == ("financement", Decimal("1000.00"))


def test_the_admin_refuses_a_university_as_sponsor() -> None:
    response = _client(programme_person()).post(
        reverse("admin:partnerships_sponsorcontribution_add"),
        {"sponsor": southern().pk, "kind": ContributionKind.FUNDING,
         "vouchers-TOTAL_FORMS": "0", "vouchers-INITIAL_FORMS": "0"},
    )  # fmt: skip

    assert response.status_code == 200  # the form again, with its error
    assert not SponsorContribution.objects.exists()


def test_the_admin_shows_vouchers_without_letting_their_counts_change() -> None:
    voucher = shared_voucher(seats=5)
    client = _client(programme_person())
    change = reverse("admin:partnerships_voucher_change", args=[voucher.pk])

    assert client.get(reverse("admin:partnerships_voucher_changelist")).status_code == 200
    assert client.get(change).status_code == 200
    client.post(change, {"seats": "50", "redeemed_count": "0"})
    assert client.get(reverse("admin:partnerships_voucher_add")).status_code == 403
    voucher.refresh_from_db()
    assert (voucher.seats, voucher.redeemed_count) == (5, 0)
    assert _client(UserFactory()).get(change).status_code == 302  # to the admin's login


# --- At the same moment (PostgreSQL only: the voucher's row lock keeps the count right) -----


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (set DATABASE_URL to run)")


def _at_once(calls: list[Any]) -> list[str]:
    """Run the calls from as many connections, released together; each one's outcome (``ok``,
    a refusal code, or the repr of anything else raised)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(number: int) -> None:
        try:
            barrier.wait()
            calls[number]()
            outcomes[number] = "ok"
        except ServiceError as refused:
            outcomes[number] = refused.code
        except Exception as error:  # reported by the assertions, not lost
            outcomes[number] = f"crash: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _redeem(registration: ExamRegistration, code: str) -> Any:
    return partial(
        sponsors.voucher_redeem,
        learner=registration.learner, code=code, registration=registration, now=NOW,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.usefixtures("postgresql_only")
def test_twelve_learners_racing_for_a_five_seat_code_get_exactly_five() -> None:
    voucher = shared_voucher(seats=5)
    given = paying_sitting(at=centre(), seats=20)
    registrations = [_seated(given) for _ in range(12)]

    outcomes = _at_once([_redeem(registration, voucher.code) for registration in registrations])

    assert Counter(outcomes) == {"ok": 5, "no_seat_left": 7}
    voucher.refresh_from_db()
    assert (voucher.redeemed_count, voucher.seats_left) == (5, 0)
    assert VoucherRedemption.objects.filter(voucher=voucher).count() == 5
    waived = ExamRegistration.objects.filter(sitting=given, fee_waiver=voucher.code)
    assert waived.filter(paid_at=NOW).count() == 5
    assert set(waived.values_list("learner_id", flat=True)) == set(
        VoucherRedemption.objects.values_list("learner_id", flat=True)
    )
    assert ExamRegistration.objects.filter(sitting=given, paid_at__isnull=True).count() == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.usefixtures("postgresql_only")
def test_one_learner_using_a_code_for_two_exams_at_once_uses_it_once() -> None:
    voucher = shared_voucher(seats=5)
    exam_centre = centre()
    first = _seated(paying_sitting(at=exam_centre))
    learner = first.learner
    others = []
    for _n in range(3):
        other_sitting = paying_sitting(at=exam_centre, run=CourseRunFactory())
        enrolment_create(user=learner, course_run=other_sitting.course_run)
        others.append(_seated(other_sitting, learner))

    outcomes = _at_once([_redeem(registration, voucher.code) for registration in [first, *others]])

    assert sorted(outcomes) == ["already_redeemed"] * 3 + ["ok"]
    voucher.refresh_from_db()
    assert voucher.redeemed_count == 1
    assert ExamRegistration.objects.filter(learner=learner, paid_at__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.usefixtures("postgresql_only")
def test_one_registration_paid_with_two_codes_at_once_takes_one_seat_of_one_code() -> None:
    codes = [shared_voucher(seats=3).code for _ in range(4)]
    registration = _seated(paying_sitting(at=centre()))

    outcomes = _at_once([_redeem(registration, code) for code in codes])

    assert sorted(outcomes) == ["already_paid"] * 3 + ["ok"]
    assert sorted(Voucher.objects.values_list("redeemed_count", flat=True)) == [0, 0, 0, 1]
    registration.refresh_from_db()
    assert registration.fee_waiver in codes
