from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[int, int], key: int) -> int | None:
    return mapping.get(key)
