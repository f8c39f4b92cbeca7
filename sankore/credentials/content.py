"""What a credential says, as plain values: the document renderer and the Open Badges
builder take these, so neither reads the database nor depends on the other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    ATTESTATION = "attestation"  # attestation de suivi: free, identity not verified
    CERTIFICATE = "certificat"  # certificat: verified (supervised exam, or the course team)


@dataclass(frozen=True)
class InstitutionMark:
    """An institution that owns the course, as printed on the document."""

    name: str
    acronym: str = ""
    logo: bytes | None = None  # the image file's bytes; None when missing or unreadable
    logo_name: str = ""  # the file's name, for its type (".png", ".svg"…) and for warnings


@dataclass(frozen=True)
class SignatoryMark:
    name: str
    title: str  # « Président de l'université », « Responsable pédagogique »…
    institution: str = ""
    signature: bytes | None = None  # the signature image's bytes; None when missing
    signature_name: str = ""


@dataclass(frozen=True)
class DocumentStyle:
    """An institution's template settings."""

    accent_colour: str = "#1f4e79"  # a "#rrggbb" colour, validated when saved
    heading: str = ""  # replaces the kind's heading when set (« Attestation de réussite »)
    footer: str = ""  # a line printed at the bottom (legal mention, address)


@dataclass(frozen=True)
class CredentialContent:
    identifier: str  # public, 16 base32 characters, printed and in the QR code
    kind: Kind
    holder_name: str  # as the holder asked it to be printed
    course_title: str
    course_code: str
    session_start: datetime.date | None
    session_end: datetime.date | None
    effort_hours: Decimal
    grade_percent: Decimal | None  # None when the course does not show grades
    ects_credits: int | None
    issued_at: datetime.datetime  # aware
    language: str  # "fr" or "en": the document's language
    verification_url: str  # absolute, what the QR code encodes
    institutions: tuple[InstitutionMark, ...] = ()
    signatories: tuple[SignatoryMark, ...] = ()
    style: DocumentStyle = DocumentStyle()


@dataclass(frozen=True)
class BadgeContent:
    """What the Open Badges 3.0 credential says (public fields and the holder's hashed email)."""

    identifier: str
    credential_url: str  # absolute: the credential's id (its verification page)
    kind: Kind
    holder_name: str
    holder_email: str  # hashed with ``salt`` in the credential, never in clear
    salt: str
    achievement_url: str  # absolute: the course page (the achievement's id)
    achievement_name: str  # the course title
    achievement_description: str  # the course summary
    criteria: str  # how it was earned, in the credential's language
    issued_at: datetime.datetime  # aware; validFrom and awardedDate
    language: str
    session_start: datetime.date | None
    session_end: datetime.date | None
    ects_credits: int | None
    status_list_url: str  # absolute: the Bitstring Status List credential
    status_index: int
    issuer_name: str
    issuer_url: str
