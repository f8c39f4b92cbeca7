"""The Open Badges 3.0 side of a credential: its content from the stored credential, signed
with the issuer's current key; the issuer's public documents (DID, status lists)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sankore.accounts.models import User
from sankore.credentials import keys, openbadges
from sankore.credentials.content import BadgeContent, Kind
from sankore.credentials.models import Credential, CredentialStatus, IssueBasis, StatusList

STATUS_LIST_SIZE = openbadges.STATUS_LIST_SIZE
STATUS_LIST_CACHE_SECONDS = 24 * 3600


def issuer_did() -> str:
    return openbadges.issuer_did(settings.SITE_URL)


def status_list_url(number: int) -> str:
    return settings.SITE_URL + reverse("credentials:status_list", kwargs={"number": number})


def _criteria(credential: Credential) -> str:
    if credential.basis == IssueBasis.GRADE:
        return _(
            "A suivi la session et atteint le seuil de réussite fixé par l'équipe pédagogique ; "
            "identité non vérifiée."
        )
    if credential.basis == IssueBasis.EXAM:
        return _("A réussi l'examen final surveillé, identité vérifiée, dans un centre d'examen.")
    return _("Certifié par l'équipe pédagogique de l'établissement.")


def badge_content(*, credential: Credential, holder: User) -> BadgeContent:
    run = credential.course_run
    course = run.course
    assert credential.status_index is not None
    assert credential.status_list_number is not None
    with translation.override(credential.language):
        criteria = _criteria(credential)
    return BadgeContent(
        identifier=credential.identifier,
        credential_url=settings.SITE_URL + credential.get_absolute_url(),
        kind=Kind(credential.kind),
        holder_name=credential.holder_name,
        holder_email=holder.email,
        salt=secrets.token_hex(16),
        achievement_url=settings.SITE_URL + course.get_absolute_url(),
        achievement_name=credential.course_title,
        achievement_description=course.summary,
        criteria=criteria,
        issued_at=credential.issued_at,
        language=credential.language,
        session_start=credential.session_start,
        session_end=credential.session_end,
        ects_credits=credential.ects_credits,
        status_list_url=status_list_url(credential.status_list_number),
        status_index=credential.status_index,
        issuer_name=settings.SITE_NAME,
        issuer_url=settings.SITE_URL + "/",
    )


def badge_signed(*, credential: Credential, holder: User) -> dict[str, Any]:
    unsigned = openbadges.badge_credential(
        badge_content(credential=credential, holder=holder), issuer_did=issuer_did()
    )
    return openbadges.credential_sign(
        unsigned, key=keys.signing_key(), created=credential.issued_at
    )


def did_document() -> dict[str, Any]:
    return openbadges.did_document(site_url=settings.SITE_URL, keys=keys.issuer_keys())


def status_list_signed(*, number: int) -> dict[str, Any] | None:
    """The signed status list ``number`` (``None`` when there is none), rebuilt only after a
    revocation: cached by the list's version in the shared cache."""
    status_list = StatusList.objects.filter(number=number).first()
    if status_list is None:
        return None
    # The signing key is in the key: after a rotation, lists signed by the old one go.
    key = keys.signing_key()
    cache_key = f"credentials:status-list:{number}:{status_list.version}:{key.kid}"
    signed: dict[str, Any] | None = cache.get(cache_key)
    if signed is not None:
        return signed
    revoked = Credential.objects.filter(
        status_list_number=number, status=CredentialStatus.REVOKED
    ).values_list("status_index", flat=True)
    unsigned = openbadges.status_list_credential(
        site_url=settings.SITE_URL,
        number=number,
        issuer_did=issuer_did(),
        revoked_indexes=[index for index in revoked if index is not None],
        valid_from=status_list.updated_at,
    )
    signed = openbadges.credential_sign(unsigned, key=key, created=timezone.now())
    cache.set(cache_key, signed, STATUS_LIST_CACHE_SECONDS)
    return signed


def badge_verify(document: Any) -> bool:
    """Whether ``document`` carries a valid proof by one of this issuer's published keys
    (the check any OB 3.0 verifier makes, done with our own DID document)."""
    resolve = openbadges.did_document_resolver(did_document())
    return openbadges.credential_verify(document, resolve_key=resolve).ok
