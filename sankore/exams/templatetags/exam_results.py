"""``{{ result.score|score }}``: « 14,5 », « 20 » — a score as people write it, without the
trailing zeros ``floatformat`` keeps (« 14,50 »)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from sankore.exams.results import score_label

register = template.Library()


@register.filter(name="score")
def score_filter(value: Decimal | None) -> str:
    return "" if value is None else score_label(value)
