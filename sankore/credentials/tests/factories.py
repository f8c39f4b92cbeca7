"""Plain values for the credentials tests (BadgeContent is a dataclass: no factory_boy)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from sankore.credentials.content import BadgeContent, Kind

SITE_URL = "http://127.0.0.1:8000"


def badge_content(**changes: Any) -> BadgeContent:
    content = BadgeContent(
        identifier="K7QM2X9D4HRT8WNB",
        credential_url=f"{SITE_URL}/verifier/K7QM2X9D4HRT8WNB",
        kind=Kind.CERTIFICATE,
        holder_name="Aminata Diallo",
        holder_email="Aminata.Diallo@example.org",
        salt="6f1c2a9e0b7d4e35",
        achievement_url=f"{SITE_URL}/cours/introduction-python",
        achievement_name="Introduction à Python",
        achievement_description="Les bases de la programmation en Python.",
        criteria="Réussite à l'examen surveillé du 12 juin 2025.",
        issued_at=datetime.datetime(2025, 6, 20, 9, 30, 15, 123456, tzinfo=datetime.UTC),
        language="fr",
        session_start=datetime.date(2025, 3, 3),
        session_end=datetime.date(2025, 6, 1),
        ects_credits=5,
        status_list_url=f"{SITE_URL}/credentials/status/1",
        status_index=4242,
        issuer_name="Sankoré",
        issuer_url=SITE_URL,
    )
    return dataclasses.replace(content, **changes)
