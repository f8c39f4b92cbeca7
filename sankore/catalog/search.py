"""Course full-text search: one selector over the database's own engine.

PLACEHOLDER INTERFACE — being implemented (PostgreSQL ``french`` + ``unaccent``; SQLite FTS5).
"""

from __future__ import annotations

from collections.abc import Iterable


def search_index_update(*, course_ids: Iterable[int]) -> None:
    """Bring the search documents of these courses up to date (deleted ones are removed)."""
    return None
