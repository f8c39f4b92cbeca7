from __future__ import annotations

from collections.abc import Iterable

from django import template

from sankore.partnerships.models import Capability

register = template.Library()


@register.filter
def capability_labels(values: Iterable[str] | None) -> str:
    """« studio vidéo, tuteurs » for ``["studio-video", "tutorat"]``, in the reader's language."""
    chosen = set(values or ())
    return ", ".join(str(label) for value, label in Capability.choices if value in chosen)
