"""Open Badges 3.0 credentials as W3C verifiable credentials with a Data Integrity proof.

- Issuer: ``did:web:<host>``; its DID document lists the issuer keys as Multikey
  verification methods.
- Proof: ``DataIntegrityProof`` with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa):
  the document and the proof options are canonicalised with RDFC-1.0, hashed with SHA-256,
  and the two hashes signed with Ed25519.
- Revocation: a W3C Bitstring Status List credential, signed the same way.

Everything here is a pure function of its arguments: no database, no settings.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import gzip
import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sankore.credentials.content import BadgeContent, Kind
from sankore.credentials.jsonld import (
    CanonicalisationError,
    OfflineDocumentLoader,
    document_canonicalise,
)
from sankore.credentials.keys import IssuerKey, public_key_from_multibase, public_key_multibase

logger = logging.getLogger(__name__)

CONTEXT_CREDENTIALS = "https://www.w3.org/ns/credentials/v2"
CONTEXT_OPEN_BADGES = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_DID = "https://www.w3.org/ns/did/v1"
CONTEXT_MULTIKEY = "https://w3id.org/security/multikey/v1"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"

# OB 3.0 achievementType vocabulary: an attestation de suivi says the course was followed
# to its passing grade; a certificat is awarded after a verified (supervised) assessment.
ACHIEVEMENT_TYPES: Mapping[Kind, str] = {
    Kind.ATTESTATION: "CertificateOfCompletion",
    Kind.CERTIFICATE: "Certificate",
}

# Bitstring Status List v1.0 §6.1: at least 16 KB (131,072 entries), so that one revocation
# does not tell which credential it was.
STATUS_LIST_SIZE = 131072
# A stranger's list is decompressed with a cap: a gzip bomb must not exhaust memory.
STATUS_LIST_MAX_BYTES = 16 * 1024 * 1024
# Canonicalising a large document costs a lot of pure-Python time: a stranger's is capped.
DOCUMENT_MAX_NODES = 2000


def _timestamp(moment: datetime.datetime) -> str:
    """An XML Schema dateTimeStamp in UTC, to the second (what VC 2.0 asks for)."""
    if moment.tzinfo is None:
        raise ValueError("A naive datetime cannot be signed: its meaning depends on a server")
    utc = moment.astimezone(datetime.UTC).replace(microsecond=0)
    return utc.isoformat().replace("+00:00", "Z")


# --- issuer ------------------------------------------------------------------------------


def issuer_did(site_url: str) -> str:
    """``did:web`` of the site: the host, a port percent-encoded, a path as ``:`` segments.

    ``https://a.example/sankore`` is resolved at ``https://a.example/sankore/did.json``,
    ``https://a.example`` at ``https://a.example/.well-known/did.json``.
    """
    parts = urlsplit(site_url)
    if not parts.hostname:
        raise ValueError(f"No host in site URL {site_url!r}")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    segments = [quote(host, safe="")]
    segments += [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return "did:web:" + ":".join(segments)


def verification_method_id(*, issuer: str, kid: str) -> str:
    return f"{issuer}#{kid}"


def did_document(*, site_url: str, keys: Sequence[IssuerKey]) -> dict[str, Any]:
    """The DID document served at ``/.well-known/did.json``: every key, old ones included,
    may verify an assertion (what it signed before a rotation stays verifiable)."""
    did = issuer_did(site_url)
    methods = [
        {
            "id": verification_method_id(issuer=did, kid=key.kid),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key),
        }
        for key in keys
    ]
    return {
        "@context": [CONTEXT_DID, CONTEXT_MULTIKEY],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def did_document_resolver(
    document: Mapping[str, Any],
) -> Callable[[str], Ed25519PublicKey | None]:
    """A ``resolve_key`` for ``credential_verify`` from a DID document: the Multikey methods
    listed in its ``assertionMethod``, and nothing else."""
    allowed = set(document.get("assertionMethod", []))
    keys: dict[str, Ed25519PublicKey] = {}
    for method in document.get("verificationMethod", []):
        if method.get("id") in allowed and method.get("type") == "Multikey":
            keys[method["id"]] = public_key_from_multibase(method["publicKeyMultibase"])
    return keys.get


# --- Open Badges credential --------------------------------------------------------------


def identity_hash(*, identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex SHA-256 of the identity then the salt."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def badge_credential(content: BadgeContent, *, issuer_did: str) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` saying what ``content`` says."""
    achievement: dict[str, Any] = {
        "id": content.achievement_url,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[content.kind],
        "name": content.achievement_name,
        "description": content.achievement_description,
        "criteria": {"narrative": content.criteria},
        "inLanguage": content.language,
    }
    if content.ects_credits is not None:
        # An int, not a float: JSON-LD writes 5 and 5.0 differently in RDF, and other
        # implementations read 5.0 back as 5.
        achievement["creditsAvailable"] = int(content.ects_credits)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                # Verifiers compare what the holder types: lower case, no spaces around.
                "identityHash": identity_hash(
                    identity=content.holder_email.strip().lower(), salt=content.salt
                ),
                "salt": content.salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": content.holder_name,
            },
        ],
        "achievement": achievement,
    }
    # OB 3.0 types these as DateTime (the JSON schema and the implementations say so).
    if content.session_start is not None:
        subject["activityStartDate"] = f"{content.session_start.isoformat()}T00:00:00Z"
    if content.session_end is not None:
        subject["activityEndDate"] = f"{content.session_end.isoformat()}T23:59:59Z"
    issued = _timestamp(content.issued_at)
    return {
        "@context": [CONTEXT_CREDENTIALS, CONTEXT_OPEN_BADGES],
        "id": content.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": content.issuer_name,
            "url": content.issuer_url,
        },
        "validFrom": issued,
        "awardedDate": issued,
        "name": content.achievement_name,
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{content.status_list_url}#{content.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(content.status_index),
            "statusListCredential": content.status_list_url,
        },
    }


# --- Data Integrity proof (eddsa-rdfc-2022) ----------------------------------------------


def _issuer_id(document: Mapping[str, Any]) -> str:
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        raise ValueError("The document has no issuer id")
    return issuer_id


def _hash_data(
    unsecured: Mapping[str, Any],
    proof_options: Mapping[str, Any],
    loader: OfflineDocumentLoader | None,
) -> bytes:
    """vc-di-eddsa §3.3.4-3.3.6: canonical proof configuration (with the document's
    contexts) and canonical document, each hashed with SHA-256, proof configuration first."""
    proof_config = {**proof_options, "@context": unsecured["@context"]}
    config_hash = hashlib.sha256(
        document_canonicalise(proof_config, loader=loader).encode("utf-8")
    ).digest()
    document_hash = hashlib.sha256(
        document_canonicalise(unsecured, loader=loader).encode("utf-8")
    ).digest()
    return config_hash + document_hash


def credential_sign(
    document: Mapping[str, Any],
    *,
    key: IssuerKey,
    created: datetime.datetime,
    loader: OfflineDocumentLoader | None = None,
) -> dict[str, Any]:
    """The document with a ``DataIntegrityProof`` (eddsa-rdfc-2022) by ``key``.

    Raises CanonicalisationError when a term is not defined by the contexts: it would be
    shown but not signed. ``loader`` serves the vendored contexts unless given.
    """
    if key.private_key is None:
        raise ValueError(f"Key {key.kid} is retired: it has no private part")
    if "proof" in document:
        raise ValueError("The document is already signed")
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created),
        "verificationMethod": verification_method_id(issuer=_issuer_id(document), kid=key.kid),
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = key.private_key.sign(_hash_data(document, proof, loader))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**document, "proof": proof}


class Failure(StrEnum):
    NO_PROOF = "no proof"
    WRONG_CRYPTOSUITE = "wrong cryptosuite"
    WRONG_ISSUER = "key not controlled by the issuer"
    UNKNOWN_KEY = "unknown key"
    BAD_SIGNATURE = "bad signature"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Verification:
    failure: Failure | None = None
    detail: str = ""  # for logs and staff pages; never shown as the reason to a stranger
    verification_method: str = ""

    @property
    def ok(self) -> bool:
        return self.failure is None


def _nodes_count(value: Any) -> int:
    if isinstance(value, Mapping):
        return 1 + sum(_nodes_count(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(_nodes_count(item) for item in value)
    return 1


def _verify(
    document: Any,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    loader: OfflineDocumentLoader | None,
) -> Verification:
    if not isinstance(document, Mapping):
        return Verification(Failure.MALFORMED, "not a JSON object")
    proof = document.get("proof")
    if proof is None:
        return Verification(Failure.NO_PROOF)
    if not isinstance(proof, Mapping):
        return Verification(Failure.MALFORMED, "proof is not one object (proof sets unsupported)")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return Verification(Failure.WRONG_CRYPTOSUITE, f"{proof.get('cryptosuite')!r}")
    method = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(value, str) or not value.startswith("z"):
        return Verification(Failure.MALFORMED, "verificationMethod or proofValue")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return Verification(Failure.MALFORMED, "proofPurpose", method)
    if _nodes_count(document) > DOCUMENT_MAX_NODES:
        return Verification(Failure.MALFORMED, "document too large", method)
    unsecured = {name: item for name, item in document.items() if name != "proof"}
    contexts = unsecured.get("@context")
    if not isinstance(contexts, list) or contexts[:1] != [CONTEXT_CREDENTIALS]:
        return Verification(Failure.MALFORMED, "@context", method)
    if "@context" in proof:
        # vc-data-integrity §4.4: the proof's contexts must open the document's.
        proof_contexts = proof["@context"]
        proof_contexts = proof_contexts if isinstance(proof_contexts, list) else [proof_contexts]
        if contexts[: len(proof_contexts)] != proof_contexts:
            return Verification(Failure.MALFORMED, "proof @context", method)
    if method.partition("#")[0] != _issuer_id(unsecured):
        return Verification(Failure.WRONG_ISSUER, method, method)
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        return Verification(Failure.MALFORMED, "proofValue is not base58btc", method)
    if len(signature) != 64:
        return Verification(Failure.MALFORMED, "proofValue is not an Ed25519 signature", method)
    public_key = resolve_key(method)
    if public_key is None:
        return Verification(Failure.UNKNOWN_KEY, method, method)
    options = {name: item for name, item in proof.items() if name not in ("proofValue", "@context")}
    try:
        hash_data = _hash_data(unsecured, options, loader)
    except CanonicalisationError as error:
        return Verification(Failure.MALFORMED, str(error), method)
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return Verification(Failure.BAD_SIGNATURE, "", method)
    return Verification(None, "", method)


def credential_verify(
    document: Any,
    *,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    loader: OfflineDocumentLoader | None = None,
) -> Verification:
    """Check the Data Integrity proof of a credential that may come from anyone.

    Never raises on bad input: every way it can be wrong is a ``Failure``. It checks the
    signature only; validity dates and the status list are the caller's to read.
    ``resolve_key`` maps a verification method id to a public key, None when unknown.
    """
    try:
        return _verify(document, resolve_key, loader)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
        # pyld and the JSON shape can fail in many ways on hostile input: all are malformed.
        logger.info("Credential refused as malformed: %r", error)
        return Verification(Failure.MALFORMED, type(error).__name__)


# --- Bitstring Status List ---------------------------------------------------------------


def status_list_encode(revoked_indexes: Iterable[int]) -> str:
    """The ``encodedList`` with the bits of ``revoked_indexes`` set: GZIP, then multibase
    base64url without padding ('u' prefix). Index 0 is the left-most bit of the first byte."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        if not 0 <= index < STATUS_LIST_SIZE:
            raise ValueError(f"Status index {index} outside 0..{STATUS_LIST_SIZE - 1}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations give the same bytes, so a republished list is stable.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def status_list_decode(encoded: str) -> bytes:
    """The uncompressed bitstring of an ``encodedList``; ValueError when it is not one."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    payload = encoded[1:]
    try:
        compressed = base64.b64decode(
            payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True
        )
    except binascii.Error as error:
        raise ValueError("encodedList is not base64url") from error
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    try:
        bits = decompressor.decompress(compressed, STATUS_LIST_MAX_BYTES)
    except zlib.error as error:
        raise ValueError("encodedList is not GZIP") from error
    if decompressor.unconsumed_tail:
        raise ValueError("encodedList is too large")
    if not decompressor.eof:
        raise ValueError("encodedList is a truncated GZIP stream")
    return bits


def status_list_bit(encoded: str, index: int) -> bool:
    """Whether the bit at ``index`` is set (for revocation: the credential is revoked)."""
    bits = status_list_decode(encoded)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"Status index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_url(*, site_url: str, number: int) -> str:
    return f"{site_url.rstrip('/')}/credentials/status/{number}"


def status_list_credential(
    *,
    site_url: str,
    number: int,
    issuer_did: str,
    revoked_indexes: Iterable[int],
    valid_from: datetime.datetime,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` number ``number`` (revocation)."""
    url = status_list_url(site_url=site_url, number=number)
    return {
        "@context": [CONTEXT_CREDENTIALS],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": _timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_list_encode(revoked_indexes),
        },
    }
