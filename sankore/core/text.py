"""Text helpers shared by every app."""

from __future__ import annotations

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "ł": "l"})


def fold(text: str) -> str:
    """Lower case without accents: « Économie » and « economie » fold to the same text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def spreadsheet_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text typed by someone (a title, a name, a
    comment) that starts like a formula gets a leading apostrophe, as Excel itself writes it."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
