"""Question pools: a unit whose problems are drawn k of n per learner.

The draw is stable without being stored: problems are ranked by a keyed hash of the learner,
the session, the unit and the problem, so a reload shows the same ones; problems the learner
already answered stay in their draw first, so adding a problem to a published pool never
takes away one they worked on. What counts in the grade follows the same rule (see
``recompute``): a pool is ``k`` items, filled by the learner's scores on their drawn problems
and 0 for the ones not answered yet.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.utils.crypto import salted_hmac

_SALT = "sankore.assessments.pool"


def _rank(*, user_id: int, course_run_id: int, unit_key: str, block_key: str) -> str:
    return salted_hmac(_SALT, f"{user_id}:{course_run_id}:{unit_key}:{block_key}").hexdigest()


def pool_draw(
    *,
    user_id: int,
    course_run_id: int,
    unit_key: str,
    problem_keys: Sequence[str],
    size: int | None,
    answered: Collection[str] = (),
) -> list[str]:
    """The problems of the unit this learner gets, in the unit's order: all of them when
    ``size`` is empty or not smaller than the pool."""
    if size is None or size >= len(problem_keys):
        return list(problem_keys)
    kept = sorted(key for key in problem_keys if key in answered)[:size]
    others = sorted(
        (key for key in problem_keys if key not in kept),
        key=lambda key: _rank(
            user_id=user_id, course_run_id=course_run_id, unit_key=unit_key, block_key=key
        ),
    )
    chosen = set(kept) | set(others[: size - len(kept)])
    return [key for key in problem_keys if key in chosen]
