"""The platform issuer's Ed25519 keys: PEM files in ``settings.CREDENTIALS_KEYS_DIR``.

Never in the database: a database dump must not be able to sign credentials. The directory
is shared by every web and worker node (or copied to each), and is backed up with the database.

Key ids are ``key-1``, ``key-2``… The number is what makes creation race-safe without locks:
each creator writes a complete file under a private temporary name, then hard-links it to
``key-<n>.pem``; the link fails if the name exists, so for each number exactly one process
wins and the others adopt its key. Hard links are atomic on local file systems and NFS alike.
The highest number is the current (signing) key; older ones stay published so that what
they signed still verifies. A file may hold only a public key: a retired key whose private
part was destroyed (see docs/credentials-signing.md).
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

logger = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^key-([1-9][0-9]{0,8})\.pem$")
_CREATED_LINE = re.compile(r"^Created: (\S+)$", re.MULTILINE)
MULTICODEC_ED25519_PUB = b"\xed\x01"


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    private_key: Ed25519PrivateKey | None  # None: retired, kept only to verify
    public_key: Ed25519PublicKey
    created_at: datetime.datetime


class KeyFileError(RuntimeError):
    """A key file cannot be read: the deployment must be fixed, never papered over."""


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The key of a Multikey ``publicKeyMultibase``; ValueError when it is not Ed25519."""
    if not value.startswith("z"):
        raise ValueError("Not multibase base58btc")
    raw = base58.b58decode(value[1:])
    if raw[:2] != MULTICODEC_ED25519_PUB or len(raw) != 34:
        raise ValueError("Not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_multibase(key: IssuerKey | Ed25519PublicKey) -> str:
    """The Multikey form: 'z' + base58btc(0xed 0x01 + the 32 raw bytes)."""
    public_key = key.public_key if isinstance(key, IssuerKey) else key
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(MULTICODEC_ED25519_PUB + raw).decode("ascii")


# Loaded keys by directory, then by (file name, inode). A key file is never written in place:
# created by a link, replaced (retired) by a rename, so a known inode is a known content, and
# the directory listing alone shows what another process created, rotated or retired.
_cache: dict[Path, dict[tuple[str, int], IssuerKey]] = {}
_cache_lock = threading.Lock()


def _number(key: IssuerKey) -> int:
    return int(key.kid.removeprefix("key-"))


def _directory() -> Path:
    return Path(settings.CREDENTIALS_KEYS_DIR).resolve()


def _directory_ensure(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode & 0o077:
            logger.warning("Key directory %s is readable by others (mode %o)", directory, mode)


def _key_parse(kid: str, data: bytes) -> IssuerKey:
    match = _CREATED_LINE.search(data.decode("ascii", errors="replace"))
    if match is None:
        raise KeyFileError(f"{kid}: no 'Created:' line")
    created_at = datetime.datetime.fromisoformat(match.group(1))
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(data, password=None)
            if not isinstance(private, Ed25519PrivateKey):
                raise KeyFileError(f"{kid}: not an Ed25519 key")
            return IssuerKey(kid, private, private.public_key(), created_at)
        public = serialization.load_pem_public_key(data)
    except ValueError as error:
        raise KeyFileError(f"{kid}: {error}") from error
    if not isinstance(public, Ed25519PublicKey):
        raise KeyFileError(f"{kid}: not an Ed25519 key")
    return IssuerKey(kid, None, public, created_at)


def _keys_load(directory: Path) -> list[IssuerKey]:
    """Every key in the directory, oldest first, reading only files not seen before."""
    try:
        with os.scandir(directory) as entries:
            found = [
                (entry.name, entry.inode()) for entry in entries if _FILE_NAME.match(entry.name)
            ]
    except FileNotFoundError:
        found = []
    with _cache_lock:
        known = _cache.get(directory, {})
        loaded = {
            (name, inode): known.get((name, inode))
            or _key_parse(name.removesuffix(".pem"), (directory / name).read_bytes())
            for name, inode in found
        }
        _cache[directory] = loaded
        return sorted(loaded.values(), key=_number)


def _key_create(directory: Path, number: int) -> bool:
    """Try to create key number ``number``; False when another process created it first."""
    _directory_ensure(directory)
    private = Ed25519PrivateKey.generate()
    created_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    # RFC 7468 allows text before the PEM block; it keeps the creation date with the key.
    data = f"Created: {created_at.isoformat()}\n".encode("ascii") + private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = directory / f".tmp-{secrets.token_hex(8)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, directory / f"key-{number}.pem")
        except FileExistsError:
            return False
    finally:
        temporary.unlink()
    directory_descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(directory_descriptor)  # the new name survives a crash
    finally:
        os.close(directory_descriptor)
    logger.info("Issuer key key-%d created in %s", number, directory)
    return True


def issuer_keys() -> list[IssuerKey]:
    """All keys to publish, oldest first (empty before the first signature)."""
    return _keys_load(_directory())


def signing_key() -> IssuerKey:
    """The current key, creating the first one on first call.

    A current key without its private part was retired by hand: a new one replaces it.
    """
    directory = _directory()
    while True:
        keys = _keys_load(directory)
        if keys and keys[-1].private_key is not None:
            return keys[-1]
        _key_create(directory, _number(keys[-1]) + 1 if keys else 1)
        # Won or lost the race, the winner's file is there now: read it on the next turn.


def key_rotate() -> IssuerKey:
    """A new current key; the old ones stay published and verify what they signed."""
    directory = _directory()
    while True:
        keys = _keys_load(directory)
        number = _number(keys[-1]) + 1 if keys else 1
        if _key_create(directory, number):
            return next(key for key in _keys_load(directory) if _number(key) == number)
        # Someone else took this number (another rotation): take the next one.
