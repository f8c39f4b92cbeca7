"""Passwords are hashed with argon2 in production (the tests use MD5 only for speed)."""

from __future__ import annotations

import runpy

import pytest
from django.contrib.auth.hashers import check_password, make_password

from sankore.config import settings as settings_module


def test_production_settings_hash_with_argon2_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANKORE_TESTING", raising=False)

    # Run the settings file afresh (the imported module was built with the testing switch).
    production = runpy.run_path(settings_module.__file__)

    assert production["TESTING"] is False
    assert production["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert all("MD5" not in hasher for hasher in production["PASSWORD_HASHERS"])


def test_argon2_is_installed_and_works() -> None:
    encoded = make_password("motdepasse-solide-42", hasher="argon2")

    assert encoded.startswith("argon2$argon2id$")
    assert check_password("motdepasse-solide-42", encoded)
