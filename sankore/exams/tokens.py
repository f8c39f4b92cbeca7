"""The token a convocation's QR code carries: which registration, at which sitting, signed.

It is signed, not encrypted: it holds two numbers a candidate may read, and what matters is
that nobody can make one for a registration of their choosing. It has no expiry (a
convocation is sent weeks before the exam and must still open on the day); a cancelled
registration is refused by the scan page, not by the token. The seat is not in it: a
convocation printed before a change of seat still finds the candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core import signing

from sankore.exams.models import ExamRegistration

SALT = "sankore.exams.convocation"
# The query parameter of the scan page that holds the token.
QUERY_PARAMETER = "c"
# A scanner types the whole URL (about 100 characters); anything much longer is not ours.
MAX_SCANNED_LENGTH = 500


@dataclass(frozen=True)
class ConvocationToken:
    registration_id: int
    sitting_id: int


def _signer() -> signing.Signer:
    # Not timestamped (``signing.dumps`` is): the same registration always gets the same
    # token, so a convocation printed twice has the same code, and the token stays short —
    # the QR code stays coarse and easy to read from a crumpled print-out or a cracked screen.
    return signing.Signer(salt=SALT)


def convocation_token_make(*, registration: ExamRegistration) -> str:
    return _signer().sign_object([registration.pk, registration.sitting_id])


def convocation_token_read(*, token: str) -> ConvocationToken | None:
    """The token's registration and sitting, or ``None`` for anything not signed by us."""
    try:
        payload = _signer().unsign_object(token.strip())
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    # Signed by us, so well-formed today; checked anyway, as a key shared with a future
    # format must not make this page fail.
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not all(type(value) is int and value > 0 for value in payload)
    ):
        return None
    return ConvocationToken(registration_id=payload[0], sitting_id=payload[1])


def convocation_token_from_scan(text: str) -> str:
    """The token out of what a barcode scanner typed: the QR code's whole URL, or the token.

    Scanners act as keyboards and type what the code holds, so the field gets the URL; a
    person may also paste the token alone.
    """
    text = text.strip()[:MAX_SCANNED_LENGTH]
    if "?" not in text:
        return text
    values = parse_qs(urlsplit(text).query).get(QUERY_PARAMETER)
    return values[0] if values else ""
