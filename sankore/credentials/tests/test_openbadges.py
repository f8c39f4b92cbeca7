from __future__ import annotations

import base64
import copy
import datetime
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from sankore.credentials import openbadges as ob
from sankore.credentials.content import Kind
from sankore.credentials.jsonld import (
    CanonicalisationError,
    OfflineDocumentLoader,
    contexts_vendored,
    document_canonicalise,
)
from sankore.credentials.keys import IssuerKey, issuer_keys, key_rotate, signing_key
from sankore.credentials.openbadges import Failure
from sankore.credentials.tests.factories import SITE_URL, badge_content

DID = "did:web:127.0.0.1%3A8000"
CREATED = datetime.datetime(2025, 6, 20, 9, 31, tzinfo=datetime.UTC)


def _resolver() -> Any:
    """What a stranger's verifier does: read our DID document, trust what it lists."""
    document = json.loads(json.dumps(ob.did_document(site_url=SITE_URL, keys=issuer_keys())))
    return ob.did_document_resolver(document)


def _signed_badge(**changes: Any) -> dict[str, Any]:
    credential = ob.badge_credential(badge_content(**changes), issuer_did=DID)
    return ob.credential_sign(credential, key=signing_key(), created=CREATED)


def _verify(document: Any) -> ob.Verification:
    return ob.credential_verify(document, resolve_key=_resolver())


# --- the W3C test vector -----------------------------------------------------------------

EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
VECTOR_LOADER = OfflineDocumentLoader(
    {
        **contexts_vendored(),
        EXAMPLES_CONTEXT: json.loads(
            (Path(__file__).parent / "contexts" / "credentials-examples-v2.jsonld").read_text()
        ),
    }
)
# vc-di-eddsa, Appendix B.1 (eddsa-rdfc-2022), TestVectors/keyPair.json and
# TestVectors/eddsa-rdfc-2022/: the unsigned Alumni Credential and the expected results.
VECTOR_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_CONTEXT],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_DOCUMENT_HASH = "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
VECTOR_PROOF_CONFIG_HASH = "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
VECTOR_PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": f"https://vc.example/issuers/5678#{VECTOR_PUBLIC_KEY}",
    "proofPurpose": "assertionMethod",
    "proofValue": (
        "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
    ),
}


def _vector_key() -> IssuerKey:
    # The multibase private key is the ed25519-priv multicodec (0x80 0x26) and the seed.
    seed = base58.b58decode(VECTOR_PRIVATE_KEY[1:])[2:]
    private = Ed25519PrivateKey.from_private_bytes(seed)
    return IssuerKey(VECTOR_PUBLIC_KEY, private, private.public_key(), CREATED)


def test_the_w3c_eddsa_rdfc_2022_vector_is_reproduced_exactly() -> None:
    canonical = document_canonicalise(VECTOR_DOCUMENT, loader=VECTOR_LOADER)
    assert hashlib.sha256(canonical.encode()).hexdigest() == VECTOR_DOCUMENT_HASH
    config = {
        **{name: value for name, value in VECTOR_PROOF.items() if name != "proofValue"},
        "@context": VECTOR_DOCUMENT["@context"],
    }
    canonical_config = document_canonicalise(config, loader=VECTOR_LOADER)
    assert hashlib.sha256(canonical_config.encode()).hexdigest() == VECTOR_PROOF_CONFIG_HASH

    signed = ob.credential_sign(
        VECTOR_DOCUMENT,
        key=_vector_key(),
        created=datetime.datetime(2023, 2, 24, 23, 36, 38, tzinfo=datetime.UTC),
        loader=VECTOR_LOADER,
    )

    assert signed == {**VECTOR_DOCUMENT, "proof": VECTOR_PROOF}


def test_the_w3c_vector_verifies_with_its_published_key() -> None:
    key = _vector_key()

    result = ob.credential_verify(
        {**VECTOR_DOCUMENT, "proof": VECTOR_PROOF},
        resolve_key={VECTOR_PROOF["verificationMethod"]: key.public_key}.get,
        loader=VECTOR_LOADER,
    )

    assert result.ok


# --- did:web -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_url", "did"),
    [
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("https://clom.example.org", "did:web:clom.example.org"),
        ("https://Campus.Example.org/", "did:web:campus.example.org"),
        ("https://example.org/sankore/fr", "did:web:example.org:sankore:fr"),
    ],
)
def test_issuer_did_encodes_the_site_url_as_did_web(site_url: str, did: str) -> None:
    assert ob.issuer_did(site_url) == did


def test_the_did_document_lists_every_key_as_a_multikey_assertion_method(keys_dir: Path) -> None:
    signing_key()
    key_rotate()
    first, second = issuer_keys()

    document = ob.did_document(site_url=SITE_URL, keys=[first, second])

    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [
            {
                "id": f"{DID}#key-1",
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": ob.public_key_multibase(first),
            },
            {
                "id": f"{DID}#key-2",
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": ob.public_key_multibase(second),
            },
        ],
        "assertionMethod": [f"{DID}#key-1", f"{DID}#key-2"],
    }


def test_the_resolver_trusts_only_assertion_methods(keys_dir: Path) -> None:
    signing_key()
    document = ob.did_document(site_url=SITE_URL, keys=issuer_keys())
    document["assertionMethod"] = []

    assert ob.did_document_resolver(document)(f"{DID}#key-1") is None


# --- the Open Badges credential ----------------------------------------------------------


def test_the_badge_says_what_the_content_says() -> None:
    content = badge_content()

    credential = ob.badge_credential(content, issuer_did=DID)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == content.credential_url
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": "Sankoré",
        "url": SITE_URL,
    }
    assert credential["validFrom"] == "2025-06-20T09:30:15Z"
    assert credential["awardedDate"] == "2025-06-20T09:30:15Z"
    assert credential["name"] == "Introduction à Python"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    expected_hash = hashlib.sha256(b"aminata.diallo@example.org6f1c2a9e0b7d4e35").hexdigest()
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": f"sha256${expected_hash}",
            "salt": "6f1c2a9e0b7d4e35",
        },
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Aminata Diallo",
        },
    ]
    assert "Aminata.Diallo@example.org".lower() not in json.dumps(credential).lower()
    assert subject["achievement"] == {
        "id": content.achievement_url,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": "Introduction à Python",
        "description": "Les bases de la programmation en Python.",
        "criteria": {"narrative": "Réussite à l'examen surveillé du 12 juin 2025."},
        "inLanguage": "fr",
        "creditsAvailable": 5,
    }
    assert subject["activityStartDate"] == "2025-03-03T00:00:00Z"
    assert subject["activityEndDate"] == "2025-06-01T23:59:59Z"
    assert credential["credentialStatus"] == {
        "id": f"{SITE_URL}/credentials/status/1#4242",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4242",
        "statusListCredential": f"{SITE_URL}/credentials/status/1",
    }


def test_an_attestation_without_credits_nor_dates_says_so() -> None:
    content = badge_content(
        kind=Kind.ATTESTATION, ects_credits=None, session_start=None, session_end=None
    )

    credential = ob.badge_credential(content, issuer_did=DID)

    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert "creditsAvailable" not in achievement
    assert "activityStartDate" not in credential["credentialSubject"]
    assert "activityEndDate" not in credential["credentialSubject"]


def test_every_term_of_the_badge_is_defined_by_its_contexts() -> None:
    # The canonicaliser refuses a dropped term; the N-Quads show each value was kept.
    credential = ob.badge_credential(badge_content(), issuer_did=DID)

    nquads = document_canonicalise(credential)

    for value in ["Aminata Diallo", "emailAddress", '"5"^^', '"4242"', "Réussite à l'examen"]:
        assert value in nquads
    assert nquads.count("\n") == 38


def test_a_naive_issue_date_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        ob.badge_credential(
            badge_content(issued_at=datetime.datetime(2025, 6, 20, 9, 30)), issuer_did=DID
        )


# --- signature round trip and tampering --------------------------------------------------


def test_a_signed_badge_verifies(keys_dir: Path) -> None:
    signed = _signed_badge()

    result = _verify(signed)

    assert result.ok
    assert result.verification_method == f"{DID}#key-1"
    assert signed["proof"] == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-06-20T09:31:00Z",
        "verificationMethod": f"{DID}#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": signed["proof"]["proofValue"],
    }
    assert signed["proof"]["proofValue"].startswith("z")
    assert len(base58.b58decode(signed["proof"]["proofValue"][1:])) == 64


def test_signing_is_deterministic_and_does_not_change_its_input(keys_dir: Path) -> None:
    credential = ob.badge_credential(badge_content(), issuer_did=DID)
    before = copy.deepcopy(credential)

    first = ob.credential_sign(credential, key=signing_key(), created=CREATED)
    second = ob.credential_sign(credential, key=signing_key(), created=CREATED)

    assert credential == before
    assert first == second


def test_a_badge_survives_json_serialisation(keys_dir: Path) -> None:
    signed = _signed_badge()

    assert _verify(json.loads(json.dumps(signed, ensure_ascii=True))).ok


def _one_character_changed(text: str, position: int) -> str:
    replacement = "2" if text[position] != "2" else "3"
    return text[:position] + replacement + text[position + 1 :]


def test_one_character_of_the_holder_name_changed_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    identity = signed["credentialSubject"]["identifier"][1]
    identity["identityHash"] = identity["identityHash"].replace("Aminata", "Aminata"[:-1] + "e")

    assert _verify(signed).failure == Failure.BAD_SIGNATURE


def test_one_character_of_the_proof_value_changed_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    signed["proof"]["proofValue"] = _one_character_changed(signed["proof"]["proofValue"], 30)

    assert _verify(signed).failure in (Failure.BAD_SIGNATURE, Failure.MALFORMED)


def test_one_character_of_valid_from_changed_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    assert signed["validFrom"] == "2025-06-20T09:30:15Z"
    signed["validFrom"] = "2025-06-21T09:30:15Z"

    assert _verify(signed).failure == Failure.BAD_SIGNATURE


def test_one_character_of_the_proof_creation_date_changed_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    signed["proof"]["created"] = "2025-06-20T09:32:00Z"

    assert _verify(signed).failure == Failure.BAD_SIGNATURE


def test_a_signature_by_another_key_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    other = Ed25519PrivateKey.generate().public_key()

    result = ob.credential_verify(signed, resolve_key=lambda method: other)

    assert result.failure == Failure.BAD_SIGNATURE


def test_an_unknown_key_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    signed["proof"]["verificationMethod"] = f"{DID}#key-9"

    assert _verify(signed).failure == Failure.UNKNOWN_KEY


def test_a_key_of_another_issuer_fails(keys_dir: Path) -> None:
    signed = _signed_badge()
    signed["proof"]["verificationMethod"] = "did:web:attacker.example#key-1"

    assert _verify(signed).failure == Failure.WRONG_ISSUER


def test_an_old_badge_still_verifies_after_a_rotation_and_new_ones_use_the_new_key(
    keys_dir: Path,
) -> None:
    old = _signed_badge()

    key_rotate()
    new = _signed_badge()

    assert _verify(old).ok
    assert _verify(new).ok
    assert old["proof"]["verificationMethod"] == f"{DID}#key-1"
    assert new["proof"]["verificationMethod"] == f"{DID}#key-2"


def test_a_retired_key_cannot_sign() -> None:
    key = IssuerKey("key-1", None, Ed25519PrivateKey.generate().public_key(), CREATED)

    with pytest.raises(ValueError, match="retired"):
        ob.credential_sign(
            ob.badge_credential(badge_content(), issuer_did=DID), key=key, created=CREATED
        )


# --- refusals: undefined terms and strangers' input --------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda credential: credential.update(grade="18/20"),
        lambda credential: credential["credentialSubject"]["achievement"].update(ects=5),
        lambda credential: credential["type"].append("SankoreBadge"),
        lambda credential: credential.update(id="relative/identifier"),
        lambda credential: credential["@context"].append("https://example.org/remote.jsonld"),
    ],
    ids=["top-level term", "nested term", "type", "relative id", "remote context"],
)
def test_what_would_escape_the_signature_is_refused_at_signing(keys_dir: Path, change: Any) -> None:
    credential = ob.badge_credential(badge_content(), issuer_did=DID)
    change(credential)

    with pytest.raises(CanonicalisationError):
        ob.credential_sign(credential, key=signing_key(), created=CREATED)


def test_an_undefined_term_added_after_signing_is_refused(keys_dir: Path) -> None:
    signed = _signed_badge()
    signed["credentialSubject"]["grade"] = "20/20"

    result = _verify(signed)

    assert result.failure == Failure.MALFORMED
    assert "grade" in result.detail


@pytest.mark.parametrize(
    "document",
    [
        None,
        "a string",
        [],
        {},
        {"proof": "signed, honestly"},
        {"proof": [{}, {}]},
        {"@context": 5, "issuer": DID, "proof": {}},
    ],
)
def test_garbage_is_refused_without_raising(document: Any) -> None:
    result = _verify(document)

    assert not result.ok
    assert result.failure in (Failure.MALFORMED, Failure.NO_PROOF, Failure.WRONG_CRYPTOSUITE)


@pytest.mark.parametrize(
    ("change", "failure"),
    [
        (lambda signed: signed.pop("proof"), Failure.NO_PROOF),
        (
            lambda signed: signed["proof"].update(cryptosuite="eddsa-jcs-2022"),
            Failure.WRONG_CRYPTOSUITE,
        ),
        (
            lambda signed: signed["proof"].update(type="Ed25519Signature2020"),
            Failure.WRONG_CRYPTOSUITE,
        ),
        (lambda signed: signed["proof"].update(proofValue="z0OIl"), Failure.MALFORMED),
        (lambda signed: signed["proof"].update(proofValue="zabc"), Failure.MALFORMED),
        (lambda signed: signed["proof"].update(proofValue=42), Failure.MALFORMED),
        (lambda signed: signed["proof"].update(proofPurpose="authentication"), Failure.MALFORMED),
        (lambda signed: signed.pop("@context"), Failure.MALFORMED),
        (lambda signed: signed.pop("issuer"), Failure.MALFORMED),
        (lambda signed: signed.update(issuer=["a", "b"]), Failure.MALFORMED),
        (
            lambda signed: signed["proof"].update({"@context": ["https://x.example"]}),
            Failure.MALFORMED,
        ),
        (lambda signed: signed.update(validFrom={"@value": 1, "@type": 2}), Failure.MALFORMED),
        (lambda signed: signed.update(extra=[[[]]] * 3000), Failure.MALFORMED),
    ],
)
def test_each_way_a_proof_can_be_wrong_has_its_reason(
    keys_dir: Path, change: Any, failure: Failure
) -> None:
    signed = _signed_badge()
    change(signed)

    assert _verify(signed).failure == failure


# --- Bitstring Status List ---------------------------------------------------------------


def _bits(encoded: str) -> bytes:
    assert encoded.startswith("u")
    assert "=" not in encoded
    payload = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    return gzip.decompress(base64.urlsafe_b64decode(payload))


def test_the_status_list_sets_exactly_the_revoked_bits() -> None:
    revoked = {0, 7, 8, 4242, 131071}

    encoded = ob.status_list_encode(revoked)

    bits = _bits(encoded)
    assert len(bits) * 8 == ob.STATUS_LIST_SIZE == 131072
    set_bits = {index for index in range(len(bits) * 8) if bits[index // 8] & (0x80 >> (index % 8))}
    assert set_bits == revoked
    assert bits[0] == 0b1000_0001  # index 0 is the left-most bit
    assert bits[1] == 0b1000_0000
    assert all(ob.status_list_bit(encoded, index) for index in revoked)
    assert not ob.status_list_bit(encoded, 1)
    assert not ob.status_list_bit(encoded, 131070)


def test_an_empty_status_list_is_small_and_stable() -> None:
    encoded = ob.status_list_encode([])

    assert encoded == ob.status_list_encode([])
    assert len(encoded) < 200
    assert _bits(encoded) == bytes(131072 // 8)


@pytest.mark.parametrize("index", [-1, 131072])
def test_an_index_outside_the_list_is_refused(index: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        ob.status_list_encode([index])
    with pytest.raises(ValueError, match="outside"):
        ob.status_list_bit(ob.status_list_encode([]), index)


@pytest.mark.parametrize(
    "encoded",
    [
        "zabc",  # not base64url
        "u!!!!",
        "u" + "aGVsbG8",  # base64url of "hello": not gzip
        "u",  # nothing
        "u"
        + base64.urlsafe_b64encode(gzip.compress(bytes(16384), mtime=0)[:20]).decode(),  # truncated
    ],
)
def test_a_malformed_encoded_list_is_refused(encoded: str) -> None:
    with pytest.raises(ValueError, match="encodedList"):
        ob.status_list_bit(encoded, 0)


def test_a_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")

    with pytest.raises(ValueError, match="too large"):
        ob.status_list_bit(encoded, 0)


@given(
    revoked=st.sets(st.integers(min_value=0, max_value=ob.STATUS_LIST_SIZE - 1), max_size=50),
    probes=st.lists(st.integers(min_value=0, max_value=ob.STATUS_LIST_SIZE - 1), max_size=20),
)
def test_the_status_list_decodes_to_what_was_encoded(revoked: set[int], probes: list[int]) -> None:
    encoded = ob.status_list_encode(revoked)

    for index in [*revoked, *probes]:
        assert ob.status_list_bit(encoded, index) == (index in revoked)


def test_the_status_list_credential_is_signed_like_a_badge(keys_dir: Path) -> None:
    credential = ob.status_list_credential(
        site_url=SITE_URL,
        number=1,
        issuer_did=DID,
        revoked_indexes=[4242],
        valid_from=CREATED,
    )

    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"{SITE_URL}/credentials/status/1",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": DID,
        "validFrom": "2025-06-20T09:31:00Z",
        "credentialSubject": {
            "id": f"{SITE_URL}/credentials/status/1#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": ob.status_list_encode([4242]),
        },
    }
    signed = ob.credential_sign(credential, key=signing_key(), created=CREATED)
    assert _verify(signed).ok
    badge = _signed_badge()
    index = int(badge["credentialStatus"]["statusListIndex"])
    assert badge["credentialStatus"]["statusListCredential"] == signed["id"]
    assert ob.status_list_bit(signed["credentialSubject"]["encodedList"], index)

    signed["credentialSubject"]["encodedList"] = ob.status_list_encode([])
    assert _verify(signed).failure == Failure.BAD_SIGNATURE
