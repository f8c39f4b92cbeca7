"""Numbers as people type them, shared by every app that reads one from a form or a file."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Spaces people type inside numbers: the ordinary one, the non-breaking ones French uses.
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def number_parse(text: str) -> Decimal | None:
    """A number as a learner types it, French or English: « 3,14 », « 1 000,5 », « -2.5e3 »;
    ``None`` when it is not one. A comma is the decimal separator (French first); a text with
    both a comma and a point is refused rather than guessed."""
    compact = _NUMBER_SPACES.sub("", text.strip())
    if not compact or len(compact) > 64 or not _NUMBER.match(compact):
        return None
    if "," in compact and "." in compact:
        return None
    try:
        value = Decimal(compact.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def id_parse(text: str | None) -> int | None:
    """A positive whole number typed in a form or a URL's query (an id, a revision), or None:
    ASCII digits only (``"²".isdigit()`` is true yet ``int("²")`` fails) and at most nine of
    them, so that no database column overflows."""
    if text is None:
        return None
    text = text.strip()
    if not text or len(text) > 9 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
