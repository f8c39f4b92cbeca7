"""Results entered by the course team (one, or the page's whole form), and the jury's
validation: refused before the exam ended, with a candidate still without a result, twice,
or for a course without certificate; once validated, nothing changes any more."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sankore.accounts.tests.factories import UserFactory
from sankore.exams import results, services
from sankore.exams.models import ExamResult, ResultSource
from sankore.exams.results import ResultError, ResultRowsError
from sankore.exams.tests.factories import campus_staff, programme_staff
from sankore.exams.tests.result_helpers import (
    AFTER_THE_EXAM,
    DURING_THE_EXAM,
    PAST_AT_THE_DOOR,
    exam,
    team_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys_dir(settings: Any, tmp_path: Path) -> None:
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"  # issuer keys of the test only


def test_the_team_records_a_score_and_passes_from_the_pass_mark() -> None:
    given = exam(candidates=2)
    first, second = given.candidates

    passed = results.result_record(
        registration=first, score=Decimal("10"), absent=False, by=given.team, now=AFTER_THE_EXAM
    )
    failed = results.result_record(
        registration=second, score=Decimal("9.99"), absent=False, by=given.team,
        now=AFTER_THE_EXAM,
    )  # fmt: skip
    corrected = results.result_record(
        registration=second, score=None, absent=True, by=given.team, now=AFTER_THE_EXAM
    )

    assert (passed.score, passed.passed, passed.source) == (Decimal("10"), True, "saisie")
    assert (passed.entered_by, passed.entered_at) == (given.team, AFTER_THE_EXAM)
    assert (failed.pk, failed.passed) == (corrected.pk, False)
    stored = ExamResult.objects.get(registration=second)
    assert (stored.score, stored.absent, stored.passed) == (None, True, False)
    assert ExamResult.objects.count() == 2


@pytest.mark.parametrize(
    ("score", "absent", "code"),
    [
        (Decimal("20.01"), False, "score_out_of_range"),
        (Decimal("-1"), False, "score_out_of_range"),
        (Decimal("12.345"), False, "score_decimals"),
        (None, False, "score_required"),
        (Decimal("12"), True, "score_and_absent"),
    ],
)
def test_a_score_outside_the_scale_is_refused(
    score: Decimal | None, absent: bool, code: str
) -> None:
    given = exam(candidates=1)

    with pytest.raises(ResultError) as refused:
        results.result_record(
            registration=given.candidates[0], score=score, absent=absent, by=given.team,
            now=AFTER_THE_EXAM,
        )  # fmt: skip

    assert refused.value.code == code
    assert not ExamResult.objects.exists()


def test_only_the_course_team_enters_results() -> None:
    given = exam(candidates=1)
    (registration,) = given.candidates
    other_course_team = team_member(exam(candidates=0).run)
    refused_people = [
        campus_staff(given.centre),  # supervises the sitting, does not grade it
        other_course_team,
        registration.learner,
        UserFactory(),
    ]

    for person in refused_people:
        with pytest.raises(ResultError) as refused:
            results.result_record(
                registration=registration, score=Decimal(15), absent=False, by=person,
                now=AFTER_THE_EXAM,
            )  # fmt: skip
        assert refused.value.code == "not_allowed"
    assert not ExamResult.objects.exists()

    results.result_record(
        registration=registration, score=Decimal(15), absent=False, by=programme_staff(),
        now=AFTER_THE_EXAM,
    )  # fmt: skip
    assert ExamResult.objects.get().score == Decimal(15)


def test_no_result_for_a_cancelled_candidate_nor_before_the_exam() -> None:
    given = exam(candidates=1)
    (registration,) = given.candidates
    services.registration_cancel(registration=registration, by=campus_staff(given.centre))

    with pytest.raises(ResultError) as cancelled:
        results.result_record(
            registration=registration, score=Decimal(12), absent=False, by=given.team,
            now=AFTER_THE_EXAM,
        )  # fmt: skip
    with pytest.raises(ResultError) as early:
        results.result_record(
            registration=registration, score=Decimal(12), absent=False, by=given.team,
            now=PAST_AT_THE_DOOR,
        )  # fmt: skip

    assert (cancelled.value.code, early.value.code) == ("not_confirmed", "not_started")
    assert not ExamResult.objects.exists()


def test_the_form_saves_every_row_or_none_and_names_each_wrong_one() -> None:
    given = exam(candidates=4)
    a, b, c, d = given.candidates

    with pytest.raises(ResultRowsError) as refused:
        results.results_enter(
            sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
            texts={a.pk: "12,5", b.pk: "25", c.pk: "douze", d.pk: ""},
        )  # fmt: skip

    assert not ExamResult.objects.exists()
    assert [(e.registration_id, str(e.message)) for e in refused.value.errors] == [
        (b.pk, "La note 25 n'est pas comprise entre 0 et 20."),
        (c.pk, "« douze » n'est pas une note : écrivez un nombre (12,5) ou « ABS »."),
    ]

    outcome = results.results_enter(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
        texts={a.pk: "12,5", b.pk: "8.25", c.pk: "abs", d.pk: ""},
    )  # fmt: skip

    assert (outcome.stored, outcome.passed, outcome.absent) == (3, 1, 1)
    stored = {r.registration_id: (r.score, r.absent, r.passed) for r in ExamResult.objects.all()}
    assert stored == {
        a.pk: (Decimal("12.50"), False, True),
        b.pk: (Decimal("8.25"), False, False),
        c.pk: (None, True, False),
    }


def test_saving_the_form_again_leaves_unchanged_results_as_they_were() -> None:
    given = exam(candidates=2)
    a, b = given.candidates
    results.results_enter(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
        texts={a.pk: "12", b.pk: "14"},
    )  # fmt: skip
    later = AFTER_THE_EXAM + datetime.timedelta(hours=1)
    colleague = team_member(given.run)

    outcome = results.results_enter(
        sitting=given.sitting, by=colleague, now=later, texts={a.pk: "12,0", b.pk: "15"}
    )

    assert (outcome.stored, outcome.unchanged) == (1, 1)
    first, second = ExamResult.objects.order_by("registration__seat_number")
    assert (first.entered_by, first.entered_at) == (given.team, AFTER_THE_EXAM)
    assert (second.score, second.entered_by, second.entered_at) == (Decimal(15), colleague, later)


def test_a_stored_result_is_not_erased_by_a_blank_field() -> None:
    given = exam(candidates=1)
    (a,) = given.candidates
    results.results_enter(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
                          texts={a.pk: "11"})  # fmt: skip

    with pytest.raises(ResultRowsError) as refused:
        results.results_enter(
            sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM, texts={a.pk: " "}
        )

    assert [e.registration_id for e in refused.value.errors] == [a.pk]
    assert ExamResult.objects.get().score == Decimal(11)


# --- The jury ---------------------------------------------------------------------------


def _all_entered(given: Any, *scores: str) -> None:
    results.results_enter(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
        texts={r.pk: s for r, s in zip(given.candidates, scores, strict=True)},
    )  # fmt: skip


def test_the_jury_validates_once_every_candidate_has_a_result() -> None:
    given = exam(candidates=3)
    a, b, c = given.candidates
    results.results_enter(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
                          texts={a.pk: "12"})  # fmt: skip

    with pytest.raises(ResultError) as missing:
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    assert missing.value.code == "results_missing"
    assert str(missing.value.message) == (
        f"2 candidats n'ont pas encore de résultat : place n° 2, {b.learner.printed_name} ; "
        f"place n° 3, {c.learner.printed_name}."
    )
    given.sitting.refresh_from_db()
    assert given.sitting.results_validated_at is None

    results.results_enter(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
                          texts={b.pk: "ABS", c.pk: "9"})  # fmt: skip
    results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    given.sitting.refresh_from_db()
    assert (given.sitting.results_validated_at, given.sitting.results_validated_by) == (
        AFTER_THE_EXAM,
        given.team,
    )


def test_the_jury_is_refused_before_the_end_twice_and_by_others() -> None:
    given = exam(candidates=1)
    _all_entered(given, "15")

    with pytest.raises(ResultError) as early:
        results.results_validate(sitting=given.sitting, by=given.team, now=DURING_THE_EXAM)
    with pytest.raises(ResultError) as centre_staff:
        results.results_validate(
            sitting=given.sitting, by=campus_staff(given.centre), now=AFTER_THE_EXAM
        )
    given.sitting.refresh_from_db()
    assert given.sitting.results_validated_at is None

    results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)
    with pytest.raises(ResultError) as twice:
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    assert (early.value.code, centre_staff.value.code, twice.value.code) == (
        "sitting_not_ended",
        "not_allowed",
        "already_validated",
    )


def test_a_course_without_certificate_is_refused_up_front() -> None:
    given = exam(candidates=1, offers_certificate=False)
    _all_entered(given, "15")

    with pytest.raises(ResultError) as refused:
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    assert refused.value.code == "certificate_not_offered"
    given.sitting.refresh_from_db()
    assert given.sitting.results_validated_at is None


def test_validated_results_no_longer_change() -> None:
    given = exam(candidates=1)
    (a,) = given.candidates
    _all_entered(given, "15")
    results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    with pytest.raises(ResultError) as one:
        results.result_record(
            registration=a, score=Decimal(5), absent=False, by=given.team, now=AFTER_THE_EXAM
        )
    with pytest.raises(ResultError) as form:
        results.results_enter(
            sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM, texts={a.pk: "5"}
        )

    assert (one.value.code, form.value.code) == ("results_validated", "results_validated")
    stored = ExamResult.objects.get()
    assert (stored.score, stored.source) == (Decimal(15), ResultSource.ENTERED)
