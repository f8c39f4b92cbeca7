"""The grading arithmetic, specified by examples and by properties (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sankore.assessments.grading import (
    AssessmentTypeRule,
    choices_score,
    course_grade,
    matching_score,
    number_matches,
    number_parse,
    ordering_score,
    text_matches,
    text_normalise,
    type_score,
)

D = Decimal
scores = st.decimals(min_value=0, max_value=1, places=4)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3,14", D("3.14")),
        ("3.14", D("3.14")),
        ("1 000,5", D("1000.5")),
        ("1\u202f000,5", D("1000.5")),
        ("-2,5", D("-2.5")),
        (",5", D("0.5")),
        ("2e3", D("2000")),
        ("  42 ", D("42")),
    ],
)
def test_numbers_are_read_as_learners_type_them(typed: str, value: Decimal) -> None:
    assert number_parse(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "abc", "1,000.5", "3,1,4", "NaN", "Infinity", "1" * 70, "--1"]
)
def test_what_is_not_a_number_is_refused(typed: str) -> None:
    assert number_parse(typed) is None


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=3
    )
)
def test_a_number_written_with_a_decimal_comma_reads_back(value: Decimal) -> None:
    assert number_parse(str(value).replace(".", ",")) == value


@given(
    expected=st.decimals(min_value=-1000, max_value=1000, places=3),
    tolerance=st.decimals(min_value=0, max_value=10, places=3),
    offset=st.decimals(min_value=-20, max_value=20, places=3),
)
def test_absolute_tolerance_is_a_closed_interval(
    expected: Decimal, tolerance: Decimal, offset: Decimal
) -> None:
    assert number_matches(expected + offset, expected, tolerance=tolerance) == (
        abs(offset) <= tolerance
    )


@given(
    expected=st.decimals(min_value=-1000, max_value=1000, places=2),
    share=st.decimals(min_value=0, max_value=1, places=2),
)
def test_relative_tolerance_scales_with_the_expected_value(
    expected: Decimal, share: Decimal
) -> None:
    edge = expected + abs(expected) * share
    assert number_matches(edge, expected, tolerance=share, relative=True)
    assume(expected != 0)
    assert not number_matches(
        edge + abs(expected) * D("0.01") + D("0.001"), expected, tolerance=share, relative=True
    )


def test_text_answers_ignore_case_accents_and_spacing() -> None:
    assert text_normalise("  Écologie   URBAINE ") == "ecologie urbaine"
    assert text_matches("l’Afrique de l'Ouest", accepted=["L'AFRIQUE DE L'OUEST"])
    assert text_matches("Ouagadougou", accepted=[], pattern=r"ouaga(dougou)?")
    assert not text_matches("Bamako", accepted=["Dakar"], pattern=r"ouaga(dougou)?")


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert text_normalise(text_normalise(text)) == text_normalise(text)


@given(st.text(alphabet="abcdeéèàç ABCDÉ", max_size=30))
def test_an_answer_matches_itself_whatever_its_case(text: str) -> None:
    assert text_matches(text.upper(), accepted=[text.lower()])


def test_multiple_choice_with_and_without_partial_credit() -> None:
    everything = {"a", "b", "c", "d"}

    assert (
        choices_score({"a", "b"}, correct={"a", "b"}, all_choices=everything, partial_credit=False)
        == 1
    )
    assert (
        choices_score({"a"}, correct={"a", "b"}, all_choices=everything, partial_credit=False) == 0
    )
    # a right, b missed, c and d rightly left out: 3 of 4 shares.
    assert choices_score(
        {"a"}, correct={"a", "b"}, all_choices=everything, partial_credit=True
    ) == D("0.75")
    # a right, c wrongly picked (a share lost and one taken away), b missed, d left out: (2-1)/4.
    assert choices_score(
        {"a", "c"}, correct={"a", "b"}, all_choices=everything, partial_credit=True
    ) == D("0.25")
    assert (
        choices_score(everything, correct={"a"}, all_choices=everything, partial_credit=True) == 0
    )


@given(st.sets(st.sampled_from("abcdef")), st.sets(st.sampled_from("abcdef"), min_size=1))
def test_partial_credit_stays_between_0_and_1_and_only_exact_scores_1(
    selected: set[str], correct: set[str]
) -> None:
    score = choices_score(selected, correct=correct, all_choices=set("abcdef"), partial_credit=True)
    assert 0 <= score <= 1
    assert (score == 1) == (selected == correct)


def test_ordering_and_matching_give_shares() -> None:
    assert ordering_score(["a", "b", "c"], expected=["a", "b", "c"]) == 1
    assert ordering_score(["a", "c", "b"], expected=["a", "b", "c"]) == D(1) / D(3)
    assert ordering_score(["a", "b"], expected=["a", "b", "c"]) == 0
    assert matching_score({"x": "1", "y": "3"}, expected={"x": "1", "y": "2"}) == D("0.5")


def test_dropping_the_lowest_keeps_at_least_one_item() -> None:
    assert type_score([D("0.2"), D("0.8"), D("1")], drop_lowest=1) == (D("0.9"), 2, 1)
    assert type_score([D("0.2"), D("0.8")], drop_lowest=5) == (D("0.8"), 1, 1)
    assert type_score([], drop_lowest=2) == (D(0), 0, 0)


@given(st.lists(scores, max_size=12), st.integers(min_value=0, max_value=15))
def test_dropping_never_lowers_a_type_score(items: list[Decimal], drop: int) -> None:
    assert type_score(items, drop_lowest=drop)[0] >= type_score(items, drop_lowest=0)[0]


def test_a_weighted_grade_rounds_half_up_and_passes_at_the_threshold() -> None:
    rules = [
        AssessmentTypeRule("Quiz", D("0.3"), drop_lowest=1),
        AssessmentTypeRule("Examen", D("0.7")),
    ]

    grade = course_grade(
        rules=rules,
        scores_by_type={"Quiz": [D("0"), D("1"), D("0.5")], "Examen": [D("0.5")]},
        threshold_percent=D("57.50"),
    )

    # Quiz: 0 dropped, (1 + 0.5) / 2 = 0.75; 0.3 × 0.75 + 0.7 × 0.5 = 0.575 → 57.50 %.
    assert grade.percent == D("57.50")
    assert grade.passed
    assert [(t.name, t.score, t.counted, t.dropped) for t in grade.by_type] == [
        ("Quiz", D("0.75"), 2, 1),
        ("Examen", D("0.5"), 1, 0),
    ]


@given(
    weights=st.lists(st.decimals(min_value=0, max_value=5, places=2), min_size=1, max_size=4),
    data=st.data(),
)
def test_the_course_grade_is_a_percentage_and_monotonic(
    weights: list[Decimal], data: st.DataObject
) -> None:
    rules = [AssessmentTypeRule(f"T{i}", weight) for i, weight in enumerate(weights)]
    given_scores = {rule.name: data.draw(st.lists(scores, max_size=5)) for rule in rules}
    grade = course_grade(rules=rules, scores_by_type=given_scores, threshold_percent=D(50))
    assert D(0) <= grade.percent <= D(100)
    assert grade.passed == (grade.percent >= 50)
    better = {
        name: [min(D(1), s + D("0.1")) for s in items] for name, items in given_scores.items()
    }
    assert (
        course_grade(rules=rules, scores_by_type=better, threshold_percent=D(50)).percent
        >= grade.percent
    )
