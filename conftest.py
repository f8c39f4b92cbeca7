"""Shared pytest set-up."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test gets its own media folder, an empty cache (rate limits, throttles) and
    starts in the default language (a test that activates English must not leave it on for
    the next one: the order differs between one process and several)."""
    from django.core.cache import cache
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
    cache.clear()
