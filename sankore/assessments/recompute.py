"""Grades computed by the database: one SQL statement per batch of learners, whatever their
number, for the whole session (after its barème or its content changed) as for one learner
(after each of their answers) — so both always agree.

The statement reads the learners' problem scores, fills what they have not answered with 0
(the k slots of a question pool too), drops each type's lowest scores, weighs the types and
writes every learner's ``LearnerGrade`` with one upsert. It is the same arithmetic as
``grading.course_grade`` — a test compares them on random data — written as SQL so that
100,000 learners are not 100,000 round trips.

PostgreSQL computes with exact ``numeric`` values and rounds half up (``round``). SQLite,
the zero-set-up database of the local run, computes in binary floating point: its rounding
to the cent adds 1e-9 before truncating, so that a grade of exactly 12.345 % becomes
12.35 % as with decimals (no exact grade lies that close to a half cent without being one).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from sankore.assessments.models import AssessmentType, GradingPolicy, LearnerGrade, ProblemScore
from sankore.courseware.registry import Completion
from sankore.courseware.selectors import Outline

BATCH_SIZE = 5_000


@dataclass(frozen=True)
class GradedItems:
    """What counts in a session's grades, read from its published outline."""

    fixed: list[tuple[str, str]] = field(default_factory=list)  # (block key, type)
    pool_blocks: list[tuple[str, str]] = field(default_factory=list)  # (block key, unit key)
    pool_slots: list[tuple[str, int, str]] = field(default_factory=list)  # (unit, slot, type)


def graded_items(outline: Outline) -> GradedItems:
    items = GradedItems()
    for unit in outline.units():
        graded = [
            (block["key"], block["graded"]["type"])
            for block in unit.blocks
            if block.get("graded") and block.get("completion") == Completion.SUBMIT
        ]
        if unit.pool_size is None:
            items.fixed.extend(graded)
            continue
        items.pool_blocks.extend((key, unit.key) for key, _type in graded)
        if graded:  # publication checked that a pool's problems share one type
            type_name = graded[0][1]
            items.pool_slots.extend(
                (unit.key, slot, type_name) for slot in range(1, 1 + unit.pool_size)
            )
    return items


def _rows(
    columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]], params: list[Any]
) -> str:
    """A constant table as ``SELECT … UNION ALL SELECT …`` (portable, unlike ``VALUES``
    with column names), typed so that an empty one still joins. Decimals are cast, since
    SQLite would compare a bound decimal as text."""
    if not rows:
        cells = ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in columns)
        return f"SELECT {cells} WHERE 1 = 0"
    selects = []
    for row in rows:
        params.extend(row)
        selects.append(
            "SELECT " + ", ".join(f"CAST(%s AS {kind}) AS {name}" for name, kind in columns)
        )
    return " UNION ALL ".join(selects)


def _dialect() -> dict[str, str]:
    if connection.vendor == "postgresql":
        return {
            "object": "jsonb_build_object",
            "aggregate": "jsonb_agg({} ORDER BY t.type_position)",
            "typed": "typed t",
            "score_text": "CAST(ROUND(t.score, 4) AS TEXT)",
            "percent": "ROUND(SUM(t.weight * t.score) * 100 / CAST(%s AS NUMERIC), 2)",
        }
    return {
        "object": "json_object",
        "aggregate": "json_group_array(json({}))",
        # SQLite keeps the order rows are fed to an aggregate.
        "typed": "(SELECT * FROM typed ORDER BY user_id, type_position) t",
        "score_text": "printf('%%.4f', t.score)",
        "percent": (
            "CAST(SUM(t.weight * t.score) * 10000 / CAST(%s AS NUMERIC) + 0.5 + 1e-9 AS INTEGER)"
            " / 100.0"
        ),
    }


def _statement(
    *,
    course_run_id: int,
    policy: GradingPolicy,
    rules: list[AssessmentType],
    items: GradedItems,
    user_ids: Sequence[int] | None,
    user_range: tuple[int, int] | None,
    now: datetime.datetime,
    content_version: int,
) -> tuple[str, list[Any]]:
    sql = _dialect()
    grade = LearnerGrade._meta.db_table
    score = ProblemScore._meta.db_table
    params: list[Any] = []
    total_weight = sum((rule.weight for rule in rules), Decimal(0))

    def who(alias: str) -> str:
        if user_ids is not None:
            params.extend(user_ids)
            return f" AND {alias}.user_id IN ({', '.join(['%s'] * len(user_ids))})"
        if user_range is not None:
            params.extend(user_range)
            return f" AND {alias}.user_id BETWEEN %s AND %s"
        return ""

    rules_sql = _rows(
        [("type_position", "INTEGER"), ("name", "VARCHAR(60)"), ("weight", "NUMERIC"),
         ("weight_text", "VARCHAR(12)"), ("drop_lowest", "INTEGER")],
        [(i, r.name, r.weight, f"{r.weight:.2f}", r.drop_lowest) for i, r in enumerate(rules)],
        params,
    )  # fmt: skip
    fixed_sql = _rows(
        [("block_key", "VARCHAR(64)"), ("type_name", "VARCHAR(60)")], items.fixed, params
    )
    pool_blocks_sql = _rows(
        [("block_key", "VARCHAR(64)"), ("unit_key", "VARCHAR(64)")], items.pool_blocks, params
    )
    pool_slots_sql = _rows(
        [("unit_key", "VARCHAR(64)"), ("slot", "INTEGER"), ("type_name", "VARCHAR(60)")],
        items.pool_slots,
        params,
    )
    # Placeholders are filled in the order they appear in the statement below.
    params.append(course_run_id)
    learners_scores = who("s")
    params.append(course_run_id)
    learners_grades = who("g")
    params.append(course_run_id)
    scores_filter = who("s")
    params.append(course_run_id)
    pool_filter = who("s")
    if total_weight > 0:
        percent_sql = sql["percent"]
        params.append(total_weight)
    else:
        percent_sql = "0"
    by_type = sql["aggregate"].format(
        f"{sql['object']}('name', t.name, 'weight', t.weight_text, 'score', {sql['score_text']},"
        " 'counted', t.counted, 'dropped', t.dropped)"
    )
    threshold = policy.passing_percent
    moment = connection.ops.adapt_datetimefield_value(now)
    params.extend(
        [course_run_id, threshold, threshold, moment, policy.version, content_version, moment,
         threshold, threshold, moment]
    )  # fmt: skip
    # Only placeholders and our own table names go into the text: values are parameters.
    statement = f"""
INSERT INTO {grade} (user_id, course_run_id, percent, passed, passed_at, by_type,
    policy_version, content_version, scores_at, override_percent, updated_at)
WITH rules AS ({rules_sql}),
fixed AS ({fixed_sql}),
pool_blocks AS ({pool_blocks_sql}),
pool_slots AS ({pool_slots_sql}),
learners AS (
    SELECT s.user_id FROM {score} s WHERE s.course_run_id = %s{learners_scores}
    UNION SELECT g.user_id FROM {grade} g WHERE g.course_run_id = %s{learners_grades}
),
learner_scores AS (
    SELECT s.user_id, s.block_key, s.score, s.updated_at FROM {score} s
    WHERE s.course_run_id = %s{scores_filter}
),
pool_answers AS (
    SELECT s.user_id, p.unit_key, s.score,
        ROW_NUMBER() OVER (PARTITION BY s.user_id, p.unit_key ORDER BY s.block_key) AS slot
    FROM {score} s JOIN pool_blocks p ON p.block_key = s.block_key
    WHERE s.course_run_id = %s{pool_filter}
),
items AS (
    SELECT l.user_id, f.type_name, COALESCE(s.score, 0) AS score
    FROM learners l CROSS JOIN fixed f
    LEFT JOIN learner_scores s ON s.user_id = l.user_id AND s.block_key = f.block_key
    UNION ALL
    SELECT l.user_id, p.type_name, COALESCE(a.score, 0) AS score
    FROM learners l CROSS JOIN pool_slots p
    LEFT JOIN pool_answers a
        ON a.user_id = l.user_id AND a.unit_key = p.unit_key AND a.slot = p.slot
),
ranked AS (
    SELECT i.user_id, i.type_name, i.score,
        ROW_NUMBER() OVER (PARTITION BY i.user_id, i.type_name ORDER BY i.score) AS item_rank,
        COUNT(*) OVER (PARTITION BY i.user_id, i.type_name) AS n
    FROM items i
),
per_type AS (
    SELECT r.user_id, r.type_name, SUM(r.score) * 1.0 / COUNT(*) AS score, COUNT(*) AS counted,
        MAX(r.n) - COUNT(*) AS dropped
    FROM ranked r JOIN rules u ON u.name = r.type_name
    WHERE r.item_rank > CASE WHEN u.drop_lowest < r.n - 1 THEN u.drop_lowest ELSE r.n - 1 END
    GROUP BY r.user_id, r.type_name
),
typed AS (
    SELECT l.user_id, u.type_position, u.name, u.weight, u.weight_text,
        COALESCE(p.score, 0) AS score, COALESCE(p.counted, 0) AS counted,
        COALESCE(p.dropped, 0) AS dropped
    FROM learners l CROSS JOIN rules u
    LEFT JOIN per_type p ON p.user_id = l.user_id AND p.type_name = u.name
),
stamps AS (
    SELECT s.user_id, MAX(s.updated_at) AS scores_at FROM learner_scores s GROUP BY s.user_id
),
totals AS (
    SELECT t.user_id, {percent_sql} AS percent, {by_type} AS by_type
    FROM {sql["typed"]} GROUP BY t.user_id
)
SELECT t.user_id, %s, t.percent, t.percent >= CAST(%s AS NUMERIC),
    CASE WHEN t.percent >= CAST(%s AS NUMERIC) THEN %s END, t.by_type, %s, %s,
    st.scores_at, NULL, %s
FROM totals t LEFT JOIN stamps st ON st.user_id = t.user_id
WHERE 1 = 1
ON CONFLICT (user_id, course_run_id) DO UPDATE SET
    percent = excluded.percent,
    passed = COALESCE({grade}.override_percent, excluded.percent) >= CAST(%s AS NUMERIC),
    passed_at = CASE
        WHEN {grade}.passed_at IS NULL
            AND COALESCE({grade}.override_percent, excluded.percent) >= CAST(%s AS NUMERIC)
            THEN %s
        ELSE {grade}.passed_at END,
    by_type = excluded.by_type,
    policy_version = excluded.policy_version,
    content_version = excluded.content_version,
    scores_at = excluded.scores_at,
    updated_at = excluded.updated_at
WHERE {grade}.scores_at IS NULL OR excluded.scores_at IS NULL
    OR excluded.scores_at >= {grade}.scores_at
"""  # noqa: S608
    return statement, params


def grades_compute(
    *,
    course_run_id: int,
    outline: Outline,
    content_version: int,
    now: datetime.datetime,
    user_ids: Sequence[int] | None = None,
) -> int:
    """Write the grades of the given learners (all of the session's when ``None``) from
    their stored scores; returns how many grades were written. Nothing without a barème."""
    policy = GradingPolicy.objects.filter(course_run_id=course_run_id).first()
    if policy is None:
        return 0
    rules = list(AssessmentType.objects.filter(policy=policy).order_by("position", "pk"))
    items = graded_items(outline)
    common: dict[str, Any] = {
        "course_run_id": course_run_id, "policy": policy, "rules": rules, "items": items,
        "now": now, "content_version": content_version,
    }  # fmt: skip
    written = 0
    with connection.cursor() as cursor:
        if user_ids is not None:
            if not user_ids:
                return 0
            statement, params = _statement(**common, user_ids=user_ids, user_range=None)
            cursor.execute(statement, params)
            return max(cursor.rowcount, 0)
        for first, last in _user_ranges(course_run_id=course_run_id):
            statement, params = _statement(**common, user_ids=None, user_range=(first, last))
            cursor.execute(statement, params)
            written += max(cursor.rowcount, 0)
    return written


def _user_ranges(*, course_run_id: int) -> list[tuple[int, int]]:
    """Ranges of user ids of about ``BATCH_SIZE`` learners each, so each statement sorts a
    bounded number of rows and holds its row locks briefly."""
    ids = sorted(
        ProblemScore.objects.filter(course_run_id=course_run_id)
        .values_list("user_id", flat=True)
        .union(
            LearnerGrade.objects.filter(course_run_id=course_run_id).values_list(
                "user_id", flat=True
            )
        )
    )
    return [
        (ids[start], ids[min(start + BATCH_SIZE, len(ids)) - 1])
        for start in range(0, len(ids), BATCH_SIZE)
    ]
