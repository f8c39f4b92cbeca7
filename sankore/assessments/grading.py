"""The arithmetic of grades, free of the database: answers checked against what authors
accept, and a course grade from a grading policy. Every rule here is a pure function, tested
with hypothesis; the services only feed it and store what it says.

Scores are ``Decimal`` fractions in [0, 1]; a course percentage is rounded half-up to two
decimals only at the end, and a learner passes when that rounded percentage reaches the
threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Re-exported: the answers' checks and the rubrics read numbers through this module.
from sankore.core.numbers import number_parse as number_parse

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def number_matches(
    answer: Decimal, expected: Decimal, *, tolerance: Decimal = ZERO, relative: bool = False
) -> bool:
    """``answer`` is within ``tolerance`` of ``expected``: absolute, or a fraction of
    ``expected`` when ``relative`` (so 5 % is ``Decimal("0.05")``)."""
    allowed = abs(expected) * tolerance if relative else tolerance
    return abs(answer - expected) <= allowed


def text_normalise(text: str) -> str:
    """Case, accents and spacing do not count: « Écologie  urbaine » is « ecologie urbaine »."""
    decomposed = unicodedata.normalize("NFKD", text)
    unaccented = "".join(c for c in decomposed if not unicodedata.combining(c))
    apostrophes = unaccented.replace("\u2019", "'").replace("\u02bc", "'")
    return " ".join(apostrophes.casefold().split())


def text_matches(answer: str, *, accepted: Iterable[str], pattern: str = "") -> bool:
    """The normalised answer is one of the accepted ones, or fully matches ``pattern``
    (applied to the normalised answer too)."""
    normal = text_normalise(answer)
    if any(normal == text_normalise(candidate) for candidate in accepted):
        return True
    return bool(pattern) and re.fullmatch(pattern, normal) is not None


def choices_score(
    selected: set[str], *, correct: set[str], all_choices: set[str], partial_credit: bool
) -> Decimal:
    """Multiple choice: everything right scores 1. With partial credit, each choice counts
    for one share (chosen when right, left out when wrong), and the score never goes
    below 0; without, anything short of exactly right scores 0."""
    if selected == correct:
        return ONE
    if not partial_credit or not all_choices:
        return ZERO
    right = len(selected & correct) + len((all_choices - correct) - selected)
    wrong_picks = len(selected - correct)
    share = Decimal(right - wrong_picks) / Decimal(len(all_choices))
    return max(ZERO, min(ONE, share))


def ordering_score(answer: Sequence[str], *, expected: Sequence[str]) -> Decimal:
    """Items in the expected order score 1; otherwise the share of items at their place."""
    if list(answer) == list(expected):
        return ONE
    if len(answer) != len(expected) or set(answer) != set(expected):
        return ZERO
    placed = sum(1 for given, wanted in zip(answer, expected, strict=True) if given == wanted)
    return Decimal(placed) / Decimal(len(expected))


def matching_score(answer: Mapping[str, str], *, expected: Mapping[str, str]) -> Decimal:
    """The share of left-hand items matched to their right-hand partner."""
    if not expected:
        return ZERO
    good = sum(1 for left, right in expected.items() if answer.get(left) == right)
    return Decimal(good) / Decimal(len(expected))


# --- Course grade ------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentTypeRule:
    """One line of a grading policy: « Quiz, 30 %, drop the lowest 2 »."""

    name: str
    weight: Decimal  # any non-negative number; weights are normalised by their sum
    drop_lowest: int = 0


@dataclass(frozen=True)
class TypeGrade:
    name: str
    weight: Decimal
    score: Decimal  # fraction in [0, 1], after dropping
    counted: int  # items that counted
    dropped: int


@dataclass(frozen=True)
class CourseGrade:
    percent: Decimal  # 0.00 to 100.00
    passed: bool
    by_type: tuple[TypeGrade, ...]


def type_score(scores: Sequence[Decimal], *, drop_lowest: int) -> tuple[Decimal, int, int]:
    """Mean of the item scores after dropping the ``drop_lowest`` lowest ones (at least one
    item always counts); an assessment type with no item scores 0."""
    if not scores:
        return ZERO, 0, 0
    dropped = max(0, min(drop_lowest, len(scores) - 1))
    kept = sorted(scores)[dropped:]
    return sum(kept, ZERO) / Decimal(len(kept)), len(kept), dropped


def course_grade(
    *,
    rules: Sequence[AssessmentTypeRule],
    scores_by_type: Mapping[str, Sequence[Decimal]],
    threshold_percent: Decimal,
) -> CourseGrade:
    """The weighted course grade; a type without weight counts for nothing, a policy whose
    weights are all zero gives 0."""
    total_weight = sum((rule.weight for rule in rules), ZERO)
    by_type = []
    weighted = ZERO
    for rule in rules:
        score, counted, dropped = type_score(
            list(scores_by_type.get(rule.name, ())), drop_lowest=rule.drop_lowest
        )
        by_type.append(TypeGrade(rule.name, rule.weight, score, counted, dropped))
        weighted += rule.weight * score
    fraction = weighted / total_weight if total_weight > 0 else ZERO
    percent = (fraction * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return CourseGrade(percent=percent, passed=percent >= threshold_percent, by_type=tuple(by_type))
