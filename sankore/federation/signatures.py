"""The signature of a synchronisation request (ADR 0007).

``Authorization: SIG-HMAC-SHA256 <hex>`` where ``<hex>`` is the HMAC-SHA256, under one of the
secrets of ``SYNC_WEBHOOK_SECRETS`` (several during a rotation), of the bytes

    <X-Sankore-Timestamp> "\\n" <X-Sankore-Nonce> "\\n" <raw request body>

The timestamp is in Unix seconds and must be within ``SYNC_WEBHOOK_MAX_SKEW_SECONDS`` of our
clock; the nonce (16 to 128 of ``A-Z a-z 0-9 - _``) is never accepted twice (the caller
stores it). Richie's own signature (the body alone, without timestamp nor nonce) is accepted
only for the secrets listed in ``SYNC_WEBHOOK_LEGACY_SECRETS``: it can be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sankore.core.errors import ServiceError

SCHEME = "SIG-HMAC-SHA256"
TIMESTAMP_HEADER = "X-Sankore-Timestamp"
NONCE_HEADER = "X-Sankore-Nonce"
NONCE = re.compile(r"[A-Za-z0-9_-]{16,128}")
TIMESTAMP = re.compile(r"[0-9]{1,12}")


class SignatureError(ServiceError):
    status_code = 401


@dataclass(frozen=True)
class Signed:
    """A request whose signature holds: its nonce (``""`` for a legacy request)."""

    nonce: str


def signature_of(*, secret: str, body: bytes, timestamp: str = "", nonce: str = "") -> str:
    """The hex signature of a body (with its timestamp and nonce, or alone: legacy)."""
    message = f"{timestamp}\n{nonce}\n".encode("ascii") + body if timestamp else body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _matches(secrets: list[str], given: str, **material: object) -> bool:
    # Every secret is compared, in constant time: the answer does not tell which one failed.
    results = [
        hmac.compare_digest(signature_of(secret=secret, **material), given)  # type: ignore[arg-type]
        for secret in secrets
    ]
    return any(results)


def request_verify(*, request: HttpRequest, now: float | None = None) -> Signed:
    """The request's signature holds, or SignatureError (401)."""
    header = request.headers.get("Authorization", "")
    scheme, _space, given = header.partition(" ")
    if scheme != SCHEME or not given.strip():
        raise SignatureError(_("Signature manquante ou mal formée."), code="no_signature")
    given = given.strip().lower()
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    nonce = request.headers.get(NONCE_HEADER, "")
    body = request.body
    if not timestamp and not nonce:
        legacy = list(settings.SYNC_WEBHOOK_LEGACY_SECRETS)
        if legacy and _matches(legacy, given, body=body):
            return Signed(nonce="")
        raise SignatureError(
            _("Horodatage et nonce requis (en-têtes X-Sankore-Timestamp et X-Sankore-Nonce)."),
            code="no_timestamp",
        )
    if not TIMESTAMP.fullmatch(timestamp) or not NONCE.fullmatch(nonce):
        raise SignatureError(_("Horodatage ou nonce mal formé."), code="bad_timestamp")
    secrets = list(settings.SYNC_WEBHOOK_SECRETS)
    if not secrets or not _matches(secrets, given, body=body, timestamp=timestamp, nonce=nonce):
        raise SignatureError(_("Signature invalide."), code="bad_signature")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > settings.SYNC_WEBHOOK_MAX_SKEW_SECONDS:
        raise SignatureError(
            _("Horodatage trop ancien ou dans le futur : vérifiez l'horloge."), code="stale"
        )
    return Signed(nonce=nonce)
