"""Rotate the issuer key: a new key signs from now on; the old ones stay published in the
DID document, so that what they signed still verifies (docs/credentials-signing.md).
Every node shares the key directory, so one run on one node rotates for all."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sankore.credentials.keys import key_rotate


class Command(BaseCommand):
    help = "Create a new issuer signing key; old keys stay published."

    def handle(self, *args: Any, **options: Any) -> None:
        key = key_rotate()
        self.stdout.write(key.kid)
