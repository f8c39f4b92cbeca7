"""The ranking of a call: exact figures on a call computed by hand with the issue's default
grid, then properties over any call — scores within 0–100, a better mark never lowering an
application, a sorted ranking, a running total that adds up, a budget line that is a prefix,
a normalisation that never reverses a reviewer's own order."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sankore.calls.ranking import Criterion, Ranking, Review, display, rank, weighted_score

# The default grid, each criterion marked out of 5: relevance to Southern needs,
# pedagogical quality, North–South co-construction, feasibility, economic model, reach
# through the campuses.
RELEVANCE, PEDAGOGY, CO_CONSTRUCTION, FEASIBILITY, ECONOMY, REACH = 1, 2, 3, 4, 5, 6
GRID = [
    Criterion(RELEVANCE, 20, 5),
    Criterion(PEDAGOGY, 25, 5),
    Criterion(CO_CONSTRUCTION, 15, 5),
    Criterion(FEASIBILITY, 15, 5),
    Criterion(ECONOMY, 15, 5),
    Criterion(REACH, 10, 5),
]


def _review(reviewer: int, application: int, *marks: int | Decimal) -> Review:
    return Review(reviewer, application, dict(zip(range(1, 7), marks, strict=True)))


REVIEWS = [
    _review(10, 1, 4, 5, 3, 4, 2, 5),  # 16 + 25 + 9 + 12 + 6 + 10 = 78
    _review(11, 1, 3, 4, 3, 3, 3, 4),  # 12 + 20 + 9 + 9 + 9 + 8 = 67
    _review(10, 2, 5, 4, 4, 5, 4, 3),  # 20 + 20 + 12 + 15 + 12 + 6 = 85
    _review(12, 2, 3, 3, 2, 3, 3, 2),  # 12 + 15 + 6 + 9 + 9 + 4 = 55
    _review(11, 3, 4, 4, 4, 4, 4, 4),  # 80
    _review(12, 3, 3, 4, 5, 2, 4, 1),  # 12 + 20 + 15 + 6 + 12 + 2 = 67
    _review(10, 3, 4, 4, 4, 4, 4, 5),  # 16 + 20 + 12 + 12 + 12 + 10 = 82
]
REQUESTED = {1: Decimal(30000), 2: Decimal(25000), 3: Decimal("40000.50"), 4: Decimal(10000)}


def test_the_ranking_of_a_call_computed_by_hand() -> None:
    ranking = rank(criteria=GRID, reviews=REVIEWS, requested=REQUESTED, budget=Decimal(75000))
    table = [
        (r.rank, r.application_id, r.score, r.reviews, r.spread, r.disagreement, r.cumulative,
         r.within_budget)
        for r in ranking.rows
    ]  # fmt: skip
    assert table == [
        # (80 + 67 + 82) / 3 = 76.333…; a spread of exactly 15 is not a disagreement.
        (1, 3, Decimal("76.33"), 3, Decimal("15.00"), False, Decimal("40000.50"), True),
        (2, 1, Decimal("72.50"), 2, Decimal("11.00"), False, Decimal("70000.50"), True),
        (3, 2, Decimal("70.00"), 2, Decimal("30.00"), True, Decimal("95000.50"), False),
        (None, 4, None, 0, None, False, None, False),  # no review: last, outside the line
    ]
    assert ranking.rows[0].review_scores == (
        (10, Decimal("82.00")), (11, Decimal("80.00")), (12, Decimal("67.00")),
    )  # fmt: skip
    assert (ranking.funded, ranking.remaining) == (Decimal("70000.50"), Decimal("4999.50"))


def test_scales_other_than_five_and_half_marks_count_exactly() -> None:
    grid = [*GRID[:1], Criterion(PEDAGOGY, 25, 20), *GRID[2:]]
    # 16 + 25 × 13/20 + 9 + 12 + 15 × 2.5/5 + 10 = 70.75
    review = _review(10, 1, 4, 13, 3, 4, Decimal("2.5"), 5)
    assert weighted_score(grid, review) == Fraction(7075, 100)


def test_the_displayed_score_is_rounded_half_up() -> None:
    grid = [Criterion(1, 3, 20), Criterion(2, 5, 4)]  # 3 × 7/20 / 8 × 100 = 13.125
    reviews = [Review(10, 1, {1: 7, 2: 0})]
    ranking = rank(criteria=grid, reviews=reviews, requested={1: Decimal(0)}, budget=Decimal(0))
    assert ranking.rows[0].score == Decimal("13.13")
    assert display(Fraction(6962, 100) + Fraction(5, 1000)) == Decimal("69.63")


def test_ties_go_to_the_application_without_disagreement_then_to_the_smaller_id() -> None:
    reviews = [
        _review(10, 7, 5, 5, 5, 5, 5, 5),  # 100 and 40: mean 70, disagreement
        _review(11, 7, 2, 2, 2, 2, 2, 2),
        _review(10, 9, 4, 3, 3, 4, 4, 3),  # 16 + 15 + 9 + 12 + 12 + 6 = 70
        _review(10, 8, 3, 4, 4, 3, 3, 4),  # 12 + 20 + 12 + 9 + 9 + 8 = 70
    ]
    requested = dict.fromkeys((7, 8, 9), Decimal(1))
    ranking = rank(criteria=GRID, reviews=reviews, requested=requested, budget=Decimal(2))
    assert [(r.application_id, r.score, r.disagreement) for r in ranking.rows] == [
        (8, Decimal("70.00"), False),
        (9, Decimal("70.00"), False),
        (7, Decimal("70.00"), True),
    ]
    assert [r.within_budget for r in ranking.rows] == [True, True, False]


# One criterion out of 100 weighing 1: a review's score is its mark.
PLAIN = [Criterion(1, 1, 100)]


def _plain(reviewer: int, application: int, mark: int) -> Review:
    return Review(reviewer, application, {1: mark})


def test_normalisation_corrects_a_reviewers_severity() -> None:
    # Reviewer 10 gives 57 and 51 (mean 54, deviation 3), reviewer 11 gives 49 and 43 (mean
    # 46, deviation 3); all four have mean 50 and deviation 5. Each reviewer's better one
    # becomes 50 + 5 = 55, the other 45: they agree, once their severity is set aside.
    reviews = [_plain(10, 1, 57), _plain(10, 2, 51), _plain(11, 1, 49), _plain(11, 2, 43)]
    requested = {1: Decimal(10), 2: Decimal(10)}

    def table(normalise: bool) -> list[tuple[int, Decimal | None, Decimal | None]]:
        ranking = rank(
            criteria=PLAIN, reviews=reviews, requested=requested, budget=Decimal(10),
            threshold=Decimal(5), normalise=normalise,
        )  # fmt: skip
        return [(r.application_id, r.score, r.spread) for r in ranking.rows]

    assert table(normalise=False) == [(1, Decimal("53.00"), Decimal("8.00")),
                                      (2, Decimal("47.00"), Decimal("8.00"))]  # fmt: skip
    assert table(normalise=True) == [(1, Decimal("55.00"), Decimal("0.00")),
                                     (2, Decimal("45.00"), Decimal("0.00"))]  # fmt: skip


def test_a_reviewer_with_one_review_or_no_spread_is_left_as_they_are() -> None:
    reviews = [
        _plain(10, 1, 90), _plain(10, 2, 30),
        _plain(11, 3, 64),  # a single review
        _plain(12, 1, 70), _plain(12, 2, 70),  # the same score twice
    ]  # fmt: skip
    ranking = rank(
        criteria=PLAIN, reviews=reviews, requested=dict.fromkeys((1, 2, 3), Decimal(1)),
        budget=Decimal(0), normalise=True,
    )  # fmt: skip
    scores = {r.application_id: dict(r.review_scores) for r in ranking.rows}
    assert scores[3] == {11: Decimal("64.00")}
    assert scores[1][12] == scores[2][12] == Decimal("70.00")
    assert scores[1][10] != Decimal("90.00")


@pytest.mark.parametrize(
    ("reviews", "message"),
    [
        ([Review(10, 1, {1: 4})], "every criterion"),
        ([_review(10, 1, 6, 5, 5, 5, 5, 5)], "outside"),
        ([_review(10, 1, 5, 5, 5, 5, 5, 5), _review(10, 1, 1, 1, 1, 1, 1, 1)], "two reviews"),
        ([_review(10, 99, 5, 5, 5, 5, 5, 5)], "not in the call"),
    ],
)
def test_reviews_that_break_the_grid_are_refused(reviews: list[Review], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rank(criteria=GRID, reviews=reviews, requested=REQUESTED, budget=Decimal(1))


# --- Properties over random calls --------------------------------------------------------


@st.composite
def calls(draw: st.DrawFn, max_reviewers: int = 4) -> dict[str, Any]:
    criteria = [
        Criterion(n, draw(st.integers(0, 30)), draw(st.sampled_from([5, 10, 20])))
        for n in range(1, draw(st.integers(1, 4)) + 1)
    ]
    if sum(c.weight for c in criteria) == 0:
        criteria[0] = Criterion(1, 1, criteria[0].scale_max)
    applications = list(range(1, draw(st.integers(1, 7)) + 1))

    def mark(criterion: Criterion) -> int | Decimal:
        halves = draw(st.integers(0, 2 * criterion.scale_max))
        return halves // 2 if halves % 2 == 0 else Decimal(halves) / 2

    reviews = [
        Review(reviewer, application, {c.id: mark(c) for c in criteria})
        for reviewer in range(1, max_reviewers + 1)
        for application in applications
        if draw(st.integers(0, 2)) > 0
    ]
    amounts = st.decimals(min_value=0, max_value=100_000, places=2)
    return {
        "criteria": criteria,
        "reviews": reviews,
        "requested": {a: draw(amounts) for a in applications},
        "budget": draw(st.decimals(min_value=0, max_value=300_000, places=2)),
        "threshold": draw(st.decimals(min_value=0, max_value=60, places=1)),
        "normalise": draw(st.booleans()),
    }


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls())
def test_scores_stay_between_0_and_100(call: dict[str, Any]) -> None:
    for row in rank(**call).rows:
        assert all(0 <= score <= 100 for _reviewer, score in row.review_scores)
        assert row.score is None or 0 <= row.score <= 100


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls(), data=st.data())
def test_a_better_mark_never_lowers_the_application(call: dict[str, Any], data: Any) -> None:
    call = {**call, "normalise": False}
    if not call["reviews"]:
        return
    reviews = call["reviews"]
    which = data.draw(st.integers(0, len(reviews) - 1))
    criterion = data.draw(st.sampled_from(call["criteria"]))
    before = reviews[which]
    higher = data.draw(st.integers(math.ceil(before.scores[criterion.id]), criterion.scale_max))
    raised = Review(
        before.reviewer_id, before.application_id, {**before.scores, criterion.id: higher}
    )

    def score(pool: list[Review]) -> Decimal | None:
        rows = rank(**{**call, "reviews": pool}).rows
        return next(r.score for r in rows if r.application_id == before.application_id)

    old, new = score(reviews), score([*reviews[:which], raised, *reviews[which + 1 :]])
    assert old is not None
    assert new is not None
    assert new >= old


def _check_table(ranking: Ranking, call: dict[str, Any]) -> None:
    ranked = [r for r in ranking.rows if r.rank is not None]
    unranked = ranking.rows[len(ranked) :]
    assert all(r.rank is None and r.score is None and not r.within_budget for r in unranked)
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    keys = [(-r.score, r.disagreement, r.application_id) for r in ranked if r.score is not None]
    assert keys == sorted(keys)
    running = Decimal(0)
    for row in ranked:
        running += call["requested"][row.application_id]
        assert row.cumulative == running
        assert row.within_budget == (running <= call["budget"])
    within = [r.within_budget for r in ranked]
    assert within == sorted(within, reverse=True)  # a prefix
    assert ranking.funded == sum((r.requested for r in ranked if r.within_budget), Decimal(0))
    assert {r.application_id for r in ranking.rows} == set(call["requested"])


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls())
def test_the_table_is_sorted_adds_up_and_funds_a_prefix(call: dict[str, Any]) -> None:
    _check_table(rank(**call), call)


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls(), seed=st.integers(0, 2**32))
def test_the_order_of_the_reviews_does_not_matter(call: dict[str, Any], seed: int) -> None:
    shuffled = random.Random(seed).sample(call["reviews"], len(call["reviews"]))
    assert rank(**{**call, "reviews": shuffled}) == rank(**call)


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls())
def test_normalisation_never_reverses_a_reviewers_own_order(call: dict[str, Any]) -> None:
    def by_reviewer(normalise: bool) -> dict[tuple[int, int], Decimal]:
        rows = rank(**{**call, "normalise": normalise}).rows
        return {(rev, r.application_id): s for r in rows for rev, s in r.review_scores}

    raw, normalised = by_reviewer(False), by_reviewer(True)
    for (reviewer, a), first in raw.items():
        for (other, b), second in raw.items():
            if reviewer == other and first < second:
                assert normalised[(reviewer, a)] <= normalised[(reviewer, b)]


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls(max_reviewers=1))
def test_with_a_single_reviewer_normalisation_changes_nothing(call: dict[str, Any]) -> None:
    assert rank(**{**call, "normalise": True}) == rank(**{**call, "normalise": False})
