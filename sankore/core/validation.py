"""Argument checks shared by services."""

from __future__ import annotations

from collections.abc import Iterable


def refuse_unknown_fields(*, fields: Iterable[str], allowed: frozenset[str], kind: str) -> None:
    """A programming error, not a user one: a service was asked to set a field it does not own."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown {kind} fields: {sorted(unknown)}")
