"""Resumption tokens: stateless, signed, and holding the query and the last key seen.

A token is ``django.core.signing`` over the original query (verb, format, set, dates as the
harvester wrote them), the phase (live courses, then withdrawn ones), the last
``(datestamp, pk)`` sent, the cursor and the list size counted on the first page. Any web node
can answer the next page in constant time (a range scan from that key), and a course added
or changed meanwhile comes later in the list rather than shifting pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing

from sankore.syndication.oai.protocol import ErrorCode, ListQuery, OaiError

TOKEN_MAX_AGE = datetime.timedelta(hours=24)
_SALT = "sankore.syndication.oai.resumption"


@dataclass(frozen=True)
class Position:
    query: ListQuery
    phase: str  # "courses", then "withdrawals"
    key: tuple[datetime.datetime, int] | None
    cursor: int
    size: int


PHASES = ("courses", "withdrawals")


def token_issue(position: Position) -> str:
    key = [position.key[0].isoformat(), position.key[1]] if position.key else None
    payload = {
        "q": position.query.as_list(),
        "p": PHASES.index(position.phase),
        "k": key,
        "c": position.cursor,
        "n": position.size,
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def token_read(*, token: str, verb: str) -> Position:
    """The position a token names, or ``badResumptionToken`` (forged, expired, other verb)."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
        query = ListQuery.from_list(payload["q"])
        key = payload["k"]
        position = Position(
            query=query,
            phase=PHASES[int(payload["p"])],
            key=(datetime.datetime.fromisoformat(key[0]), int(key[1])) if key else None,
            cursor=int(payload["c"]),
            size=int(payload["n"]),
        )
    except signing.SignatureExpired:
        raise OaiError(ErrorCode.BAD_RESUMPTION_TOKEN, "Jeton de reprise expiré.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise OaiError(ErrorCode.BAD_RESUMPTION_TOKEN, "Jeton de reprise invalide.") from None
    if query.verb != verb:
        raise OaiError(
            ErrorCode.BAD_RESUMPTION_TOKEN, "Ce jeton de reprise appartient à un autre verbe."
        )
    return position
