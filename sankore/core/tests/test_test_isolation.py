"""Each test starts in the default language, whatever the test before it left active: the
order of tests differs between one process and several (``pytest -n``), and a leaked English
made two credentials tests fail only in parallel runs."""

from __future__ import annotations

from django.utils import translation


def test_a_test_that_switches_to_english() -> None:
    translation.activate("en")
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_french() -> None:
    assert translation.get_language() == "fr"
