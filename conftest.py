"""Shared pytest set-up."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test gets its own media folder and an empty cache (rate limits, throttles)."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()
