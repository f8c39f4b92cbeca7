"""The rubric of an open response and its arithmetic, free of the database.

A rubric is a list of criteria, each with levels (a label and points). Authors write it one
criterion per line: « Clarté : Confus=0 | Correct=1 | Excellent=2 ». A review picks one level
per criterion; its total is the sum of the points picked. A response's score is the median of
its peer totals, as a fraction of the rubric's maximum, rounded half-up to four decimals.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from sankore.assessments.grading import number_parse
from sankore.core.errors import ServiceError

MAX_CRITERIA = 20
MAX_LEVELS = 10
SCORE_PLACES = Decimal("0.0001")
POINTS_PLACES = Decimal("0.01")  # as PeerReview.total keeps them


class RubricError(ServiceError):
    pass


def rubric_parse(text: str) -> list[dict[str, Any]]:
    """Criteria from the studio's compact syntax; ``RubricError`` names the unreadable line."""
    criteria: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, rest = line.partition(":")
        if not colon or not name.strip() or not rest.strip():
            raise RubricError(
                _("Ligne de grille illisible : « %(line)s » (attendu : Critère : Niveau=0 | "
                  "Niveau=1).") % {"line": line.strip()[:80]},
                code="rubric_line",
            )  # fmt: skip
        levels = []
        for part in rest.split("|"):
            label, equal, points = part.strip().rpartition("=")
            if not equal or not label.strip():
                raise RubricError(
                    _("Niveau illisible : « %(level)s » (attendu : Libellé=points).")
                    % {"level": part.strip()[:80]},
                    code="rubric_level",
                )
            levels.append({"label": label.strip(), "points": points.strip()})
        criteria.append({"name": name.strip(), "levels": levels})
    return criteria


def rubric_clean(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Normalised criteria (ids, points as strings of decimals); refuses an empty rubric, a
    criterion with fewer than two levels, negative points, a rubric worth nothing."""
    if not raw:
        raise RubricError(_("La grille d'évaluation a au moins un critère."), code="rubric_empty")
    if len(raw) > MAX_CRITERIA:
        raise RubricError(
            _("La grille a au plus %(count)s critères.") % {"count": MAX_CRITERIA},
            code="rubric_size",
        )
    criteria = []
    for number, criterion in enumerate(raw, start=1):
        name = str(criterion.get("name") or "").strip()[:200]
        levels_raw = criterion.get("levels") or []
        if not name or not isinstance(levels_raw, list) or not 2 <= len(levels_raw) <= MAX_LEVELS:
            raise RubricError(
                _("Chaque critère a un nom et de 2 à %(count)s niveaux.") % {"count": MAX_LEVELS},
                code="rubric_levels",
            )
        levels = []
        for position, level in enumerate(levels_raw, start=1):
            points = number_parse(str(level.get("points", "")))
            label = str(level.get("label") or "").strip()[:200]
            if points is None or points < 0 or points > 1000 or not label:
                raise RubricError(
                    _("Le niveau « %(label)s » du critère « %(name)s » a un libellé et des "
                      "points positifs.") % {"label": label or position, "name": name},
                    code="rubric_points",
                )  # fmt: skip
            if points != points.quantize(POINTS_PLACES):
                # A review's total is kept with two decimals: more would be rounded away.
                raise RubricError(
                    _("Les points du niveau « %(label)s » du critère « %(name)s » ont au plus "
                      "deux décimales.") % {"label": label, "name": name},
                    code="rubric_points_places",
                )  # fmt: skip
            levels.append(
                {
                    "id": str(level.get("id") or f"n{position}")[:16],
                    "label": label,
                    "points": f"{points.normalize():f}",
                }
            )
        if len({level["id"] for level in levels}) != len(levels):
            raise RubricError(_("Deux niveaux portent le même identifiant."), code="rubric_ids")
        criteria.append(
            {"id": str(criterion.get("id") or f"c{number}")[:16], "name": name, "levels": levels}
        )
    if len({criterion["id"] for criterion in criteria}) != len(criteria):
        raise RubricError(_("Deux critères portent le même identifiant."), code="rubric_ids")
    if rubric_max(criteria) <= 0:
        raise RubricError(_("La grille doit valoir au moins un point."), code="rubric_zero")
    return criteria


def rubric_as_text(criteria: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(
        f"{criterion['name']} : "
        + " | ".join(f"{level['label']}={level['points']}" for level in criterion["levels"])
        for criterion in criteria
    )


def rubric_max(criteria: Sequence[Mapping[str, Any]]) -> Decimal:
    """The most a review can give: the best level of every criterion."""
    return sum(
        (max(Decimal(level["points"]) for level in criterion["levels"]) for criterion in criteria),
        Decimal(0),
    )


def review_total(
    criteria: Sequence[Mapping[str, Any]], chosen: Mapping[str, str]
) -> Decimal | None:
    """The total of a review choosing ``chosen[criterion id] = level id``; ``None`` unless
    exactly one known level is chosen for every criterion."""
    if set(chosen) != {criterion["id"] for criterion in criteria}:
        return None
    total = Decimal(0)
    for criterion in criteria:
        level = next(
            (lv for lv in criterion["levels"] if lv["id"] == chosen[criterion["id"]]), None
        )
        if level is None:
            return None
        total += Decimal(level["points"])
    return total


def peer_score(totals: Sequence[Decimal], *, max_points: Decimal) -> Decimal:
    """The median of review totals as a fraction of ``max_points``, in [0, 1], four decimals
    rounded half-up (an even count takes the mean of the two middle totals)."""
    if not totals:
        raise ValueError("a score needs at least one review")
    if max_points <= 0:
        raise ValueError("a rubric is worth more than nothing")
    middle = Decimal(statistics.median(sorted(totals)))
    fraction = min(max(middle / max_points, Decimal(0)), Decimal(1))
    return fraction.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def score_percent(score: Decimal | None) -> Decimal | None:
    """A score in [0, 1] as the percent learners and the course team read: one decimal,
    rounded half-up (0.625 is 62.5 %, 0.0625 is 6.3 %)."""
    if score is None:
        return None
    return (score * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
