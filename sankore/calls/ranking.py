"""The ranking of a call's applications from their reviews, and the budget line: pure
arithmetic, no database.

A review's score is out of 100: each criterion's score over its scale (5, 20…), weighted,
over the sum of the weights. An application's score is the mean of its reviews' scores.

Reviewers are not equally severe. With ``normalise``, each reviewer's scores are turned into
z-scores against their own mean and (population) standard deviation, then mapped back onto
the mean and standard deviation of all the call's review scores, and kept within 0–100: a
severe reviewer's best application then counts as much as a generous one's best. A reviewer
with a single review, or who gave every application the same score, is left as they are
(there is no spread to correct). The mapping is increasing: it never reverses the order of a
reviewer's own applications.

Reviewers disagree on an application when its review scores (normalised, if asked) spread by
more than ``threshold`` points; staff then read the reviews before deciding. The ranking is by
score as displayed (two decimals), then applications without disagreement first, then id, so
that the tie rules are ones a reader of the table can check. Each row carries the running
total of the amounts requested: an application is within the budget while that total is, so
the funded applications are a prefix of the ranking. Applications without any review come
last, unranked and outside the budget line.

Arithmetic is exact (fractions) and rounded half up only for display, so the figures a
committee reads add up; the one approximation is the square root of normalisation, to 50
significant digits when the variances are not perfect squares.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction

DEFAULT_THRESHOLD = Decimal(15)
_TWO_PLACES = Decimal("0.01")
_SQRT_DIGITS = 50


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: int
    scale_max: int


@dataclass(frozen=True)
class Review:
    reviewer_id: int
    application_id: int
    scores: Mapping[int, int | Decimal]  # criterion id → score between 0 and its scale max


@dataclass(frozen=True)
class Row:
    application_id: int
    rank: int | None  # None for an application without reviews
    score: Decimal | None
    reviews: int
    review_scores: tuple[tuple[int, Decimal], ...]  # (reviewer id, score), by reviewer
    spread: Decimal | None
    disagreement: bool
    requested: Decimal
    cumulative: Decimal | None
    within_budget: bool


@dataclass(frozen=True)
class Ranking:
    rows: tuple[Row, ...]
    budget: Decimal
    funded: Decimal  # what the applications within the budget request together
    remaining: Decimal


def display(value: Fraction) -> Decimal:
    """Two decimals, rounded half up, exactly (scores are never negative)."""
    return (Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100).quantize(_TWO_PLACES)


def _check_criteria(criteria: Sequence[Criterion]) -> None:
    if len({c.id for c in criteria}) != len(criteria):
        raise ValueError("criterion ids must be unique")
    if any(c.weight < 0 or c.scale_max <= 0 for c in criteria):
        raise ValueError("weights are never negative and scales are above 0")
    if sum(c.weight for c in criteria) <= 0:
        raise ValueError("the criteria weigh nothing")


def weighted_score(criteria: Sequence[Criterion], review: Review) -> Fraction:
    """The review's score out of 100, exact; every criterion scored, within its scale."""
    if set(review.scores) != {c.id for c in criteria}:
        raise ValueError(
            f"review of {review.application_id} by {review.reviewer_id} must score every "
            "criterion and nothing else"
        )
    total = Fraction(0)
    for criterion in criteria:
        score = Fraction(review.scores[criterion.id])
        if not 0 <= score <= criterion.scale_max:
            raise ValueError(f"score {score} outside 0–{criterion.scale_max}")
        total += criterion.weight * score / criterion.scale_max
    return total * 100 / sum(c.weight for c in criteria)


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _variance(values: Sequence[Fraction]) -> Fraction:
    mean = _mean(values)
    return _mean([(v - mean) ** 2 for v in values])


def _sqrt(value: Fraction) -> Fraction:
    """Exact when numerator and denominator are squares, else to 50 significant digits."""
    top, bottom = math.isqrt(value.numerator), math.isqrt(value.denominator)
    if top * top == value.numerator and bottom * bottom == value.denominator:
        return Fraction(top, bottom)
    with localcontext() as context:
        context.prec = _SQRT_DIGITS
        return Fraction((Decimal(value.numerator) / Decimal(value.denominator)).sqrt())


def _normalised(scores: Mapping[tuple[int, int], Fraction]) -> dict[tuple[int, int], Fraction]:
    """Each reviewer's scores mapped from their own mean and spread onto the call's."""
    everything = list(scores.values())
    mean, variance = _mean(everything), _variance(everything)
    by_reviewer: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key in scores:
        by_reviewer[key[0]].append(key)
    result = dict(scores)
    for keys in by_reviewer.values():
        own = [scores[key] for key in keys]
        own_variance = _variance(own)
        if len(own) < 2 or own_variance == 0:
            continue
        own_mean, stretch = _mean(own), _sqrt(variance / own_variance)
        for key in keys:
            mapped = mean + (scores[key] - own_mean) * stretch
            result[key] = min(max(mapped, Fraction(0)), Fraction(100))
    return result


def rank(
    *,
    criteria: Sequence[Criterion],
    reviews: Iterable[Review],
    requested: Mapping[int, Decimal],
    budget: Decimal,
    threshold: Decimal = DEFAULT_THRESHOLD,
    normalise: bool = False,
) -> Ranking:
    """The call's applications (the keys of ``requested``) ranked, with the budget line.

    ``ValueError`` for a review that does not score every criterion within its scale, two
    reviews of one application by one reviewer, a review of an application not in the call,
    a negative amount, budget or threshold.
    """
    _check_criteria(criteria)
    if budget < 0 or threshold < 0 or any(amount < 0 for amount in requested.values()):
        raise ValueError("amounts, budget and threshold are never negative")
    scores: dict[tuple[int, int], Fraction] = {}
    for review in reviews:
        key = (review.reviewer_id, review.application_id)
        if review.application_id not in requested:
            raise ValueError(f"review of {review.application_id}, which is not in the call")
        if key in scores:
            raise ValueError(f"two reviews of {review.application_id} by {review.reviewer_id}")
        scores[key] = weighted_score(criteria, review)
    if normalise and scores:
        scores = _normalised(scores)

    by_application: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    for (reviewer_id, application_id), value in sorted(scores.items()):
        by_application[application_id].append((reviewer_id, value))
    limit = Fraction(threshold)
    scored: list[tuple[Decimal, bool, int, Row]] = []
    unscored: list[Row] = []
    for application_id in sorted(requested):
        own = by_application.get(application_id, [])
        if not own:
            unscored.append(
                Row(
                    application_id=application_id,
                    rank=None,
                    score=None,
                    reviews=0,
                    review_scores=(),
                    spread=None,
                    disagreement=False,
                    requested=requested[application_id],
                    cumulative=None,
                    within_budget=False,
                )
            )
            continue
        values = [value for _reviewer, value in own]
        spread = max(values) - min(values)
        score = display(_mean(values))
        row = Row(
            application_id=application_id,
            rank=None,
            score=score,
            reviews=len(own),
            review_scores=tuple((reviewer, display(value)) for reviewer, value in own),
            spread=display(spread),
            disagreement=spread > limit,
            requested=requested[application_id],
            cumulative=None,
            within_budget=False,
        )
        scored.append((score, row.disagreement, application_id, row))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))

    rows: list[Row] = []
    cumulative, funded = Decimal(0), Decimal(0)
    for position, (_score, _flag, _id, row) in enumerate(scored, start=1):
        cumulative += row.requested
        within = cumulative <= budget
        if within:
            funded = cumulative
        rows.append(replace(row, rank=position, cumulative=cumulative, within_budget=within))
    return Ranking(rows=(*rows, *unscored), budget=budget, funded=funded, remaining=budget - funded)
