from __future__ import annotations

import datetime
import io
import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.management import call_command

from sankore.credentials import keys
from sankore.credentials.keys import (
    KeyFileError,
    issuer_keys,
    key_rotate,
    public_key_from_multibase,
    public_key_multibase,
    signing_key,
)


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw(key: keys.IssuerKey) -> bytes:
    return _raw_public(key.public_key)


def _pem_names(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def test_no_key_is_published_before_the_first_signature(keys_dir: Path) -> None:
    assert issuer_keys() == []
    assert not keys_dir.exists()


def test_the_first_call_creates_a_private_key_file_in_a_private_directory(
    keys_dir: Path,
) -> None:
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

    key = signing_key()

    assert key.kid == "key-1"
    assert key.private_key is not None
    assert before <= key.created_at <= datetime.datetime.now(datetime.UTC)
    assert _pem_names(keys_dir) == ["key-1.pem"]
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((keys_dir / "key-1.pem").stat().st_mode) == 0o600


def test_later_calls_and_other_processes_read_the_same_key(keys_dir: Path) -> None:
    first = signing_key()
    keys._cache.clear()  # as a freshly started process

    again = signing_key()

    assert again.kid == first.kid
    assert _raw(again) == _raw(first)
    assert again.created_at == first.created_at
    assert [key.kid for key in issuer_keys()] == ["key-1"]


def _signing_key_at_barrier(barrier: Any, results: Any) -> None:
    barrier.wait()
    key = signing_key()
    results.put((key.kid, _raw(key)))


def test_processes_creating_the_first_key_at_once_get_one_key(keys_dir: Path) -> None:
    # fork: the children inherit the test's settings; a barrier makes them start together.
    context = multiprocessing.get_context("fork")
    count = 8
    barrier = context.Barrier(count)
    results = context.Queue()
    processes = [
        context.Process(target=_signing_key_at_barrier, args=(barrier, results))
        for _ in range(count)
    ]
    for process in processes:
        process.start()
    outcomes = {results.get(timeout=30) for _ in processes}
    for process in processes:
        process.join(timeout=30)

    assert [process.exitcode for process in processes] == [0] * count
    assert len(outcomes) == 1
    kid, raw = outcomes.pop()
    assert kid == "key-1"
    assert _pem_names(keys_dir) == ["key-1.pem"]  # and no temporary file left behind
    assert _raw(signing_key()) == raw


def test_rotation_signs_with_a_new_key_and_keeps_the_old_one_published(keys_dir: Path) -> None:
    old = signing_key()

    new = key_rotate()

    assert new.kid == "key-2"
    assert _raw(new) != _raw(old)
    assert signing_key().kid == "key-2"
    assert [key.kid for key in issuer_keys()] == ["key-1", "key-2"]
    assert _raw(issuer_keys()[0]) == _raw(old)


def _rotate(results: Any) -> None:
    results.put(key_rotate().kid)


def test_a_rotation_by_another_process_is_noticed(keys_dir: Path) -> None:
    assert signing_key().kid == "key-1"  # loaded and cached here
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    process = context.Process(target=_rotate, args=(results,))
    process.start()
    assert results.get(timeout=30) == "key-2"
    process.join(timeout=30)

    assert signing_key().kid == "key-2"


def test_a_retired_key_verifies_only_and_a_new_key_replaces_it(keys_dir: Path) -> None:
    retired = signing_key()
    public_pem = retired.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # Retiring replaces the file by a rename, as docs/credentials-signing.md says.
    replacement = keys_dir / "key-1.tmp"
    replacement.write_bytes(f"Created: {retired.created_at.isoformat()}\n".encode() + public_pem)
    replacement.rename(keys_dir / "key-1.pem")

    current = signing_key()

    assert current.kid == "key-2"
    published = issuer_keys()
    assert [key.kid for key in published] == ["key-1", "key-2"]
    assert published[0].private_key is None
    assert _raw(published[0]) == _raw(retired)


def test_an_unreadable_key_file_stops_signing_instead_of_creating_another_key(
    keys_dir: Path,
) -> None:
    keys_dir.mkdir(mode=0o700)
    (keys_dir / "key-1.pem").write_text("Created: 2025-01-01T00:00:00+00:00\nnot a key\n")

    with pytest.raises(KeyFileError):
        signing_key()

    assert _pem_names(keys_dir) == ["key-1.pem"]


def test_files_not_named_as_keys_are_ignored(keys_dir: Path) -> None:
    keys_dir.mkdir(mode=0o700)
    (keys_dir / ".tmp-0123456789abcdef").write_text("half written")
    (keys_dir / "README").write_text("backup me")

    assert signing_key().kid == "key-1"


def test_public_key_multibase_is_the_multikey_form_of_the_w3c_vector_key() -> None:
    # vc-di-eddsa, TestVectors/keyPair.json: the seed behind the published public key.
    seed = base58.b58decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")[2:]
    public_key = Ed25519PrivateKey.from_private_bytes(seed).public_key()

    assert public_key_multibase(public_key) == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert _raw_public(public_key_from_multibase(public_key_multibase(public_key))) == _raw_public(
        public_key
    )


@pytest.mark.parametrize(
    "value",
    [
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # no multibase prefix
        "z" + base58.b58encode(b"\x12\x00" + bytes(32)).decode(),  # not the Ed25519 codec
        "z" + base58.b58encode(b"\xed\x01" + bytes(31)).decode(),  # too short
    ],
)
def test_public_key_from_multibase_refuses_other_values(value: str) -> None:
    with pytest.raises(ValueError, match=r"^Not "):
        public_key_from_multibase(value)


def test_the_rotate_command_prints_the_new_key_id(keys_dir: Path) -> None:
    signing_key()
    out = io.StringIO()

    call_command("credentials_key_rotate", stdout=out)

    assert out.getvalue().strip() == "key-2"
    assert signing_key().kid == "key-2"
