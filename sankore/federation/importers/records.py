"""What an importer reads from a file, before any look-up in the catalog, and the parsers of
the values both formats share (dates, levels, pacing, licences)."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from sankore.catalog.models import Level, Licence, Pacing


@dataclass(frozen=True)
class RowError:
    """A refused piece of the file: ``where`` is « ligne 12 » or a JSON path."""

    where: str
    message: str


@dataclass
class RunRecord:
    where: str
    resource_link: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    enrolment_start: datetime.datetime | None
    enrolment_end: datetime.datetime | None
    pacing: str
    is_published: bool
    languages: tuple[str, ...] = ()
    title: str = ""


@dataclass
class CourseRecord:
    """A course as the file describes it. ``None`` for an optional value means « not given »:
    a new course takes the default, an existing one keeps its value."""

    where: str
    code: str
    title: str
    summary: str
    description: str
    external_url: str
    external_platform: str
    owners: tuple[str, ...]
    languages: tuple[str, ...]
    disciplines: tuple[str, ...]
    level: str | None = None
    effort_hours_per_week: Decimal | None = None
    duration_weeks: int | None = None
    licence: str | None = None
    runs: list[RunRecord] = field(default_factory=list)


class ValueRefused(ValueError):
    """A value of the file that cannot be read; the message says why, in French."""


def normalise(text: str) -> str:
    """Lower case, no accents, single underscores: how headers and keywords are compared."""
    stripped = "".join(
        char
        for char in unicodedata.normalize("NFKD", text.strip().lower())
        if not unicodedata.combining(char)
    )
    return "_".join(stripped.replace("-", " ").replace("_", " ").split())


def parse_moment(raw: object, *, label: str) -> datetime.datetime | None:
    """ISO 8601 (date, or date and time), or a French date « 31/12/2025 [09:00] ». A moment
    without offset is read in the platform's time zone."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ValueRefused(_("%(label)s : date illisible.") % {"label": label})
    text = raw.strip()
    if not text:
        return None
    moment: datetime.datetime | None = None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time())
        if moment is None:
            for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
                try:
                    moment = datetime.datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
    except ValueError:
        moment = None
    if moment is None:
        raise ValueRefused(
            _("%(label)s : date illisible « %(value)s » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA).")
            % {"label": label, "value": text[:40]}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


_LEVELS = {
    "introductif": Level.INTRODUCTORY,
    "introductory": Level.INTRODUCTORY,
    "debutant": Level.INTRODUCTORY,
    "intermediaire": Level.INTERMEDIATE,
    "intermediate": Level.INTERMEDIATE,
    "avance": Level.ADVANCED,
    "advanced": Level.ADVANCED,
}


def parse_level(raw: str) -> str | None:
    if not raw.strip():
        return None
    level = _LEVELS.get(normalise(raw))
    if level is None:
        raise ValueRefused(_("niveau inconnu « %(value)s ».") % {"value": raw[:40]})
    return level.value


_PACINGS = {
    "self_paced": Pacing.SELF_PACED,
    "a_votre_rythme": Pacing.SELF_PACED,
    "autonome": Pacing.SELF_PACED,
    "instructor_paced": Pacing.INSTRUCTOR_LED,
    "instructor_led": Pacing.INSTRUCTOR_LED,
    "rythme": Pacing.INSTRUCTOR_LED,
    "encadre": Pacing.INSTRUCTOR_LED,
}


def parse_pacing(raw: str) -> str:
    if not raw.strip():
        return Pacing.INSTRUCTOR_LED.value
    pacing = _PACINGS.get(normalise(raw))
    if pacing is None:
        raise ValueRefused(_("rythme inconnu « %(value)s ».") % {"value": raw[:40]})
    return pacing.value


def parse_licence(raw: str) -> str | None:
    """A value or a label of the catalog's licences; Open edX writes « all-rights-reserved »
    or « creative-commons: ver=4.0 BY NC SA »."""
    text = normalise(raw)
    if not text:
        return None
    if text in {"all_rights_reserved", "tous_droits_reserves"}:
        return Licence.ALL_RIGHTS_RESERVED.value
    if text.startswith("creative_commons"):
        tokens = [token.upper() for token in text.split("_") if token in {"by", "nc", "sa", "nd"}]
        text = normalise("cc " + " ".join(tokens) + " 4.0")
    for licence in Licence:
        if text in {normalise(licence.value), normalise(str(licence.label))}:
            return licence.value
    raise ValueRefused(_("licence inconnue « %(value)s ».") % {"value": raw[:60]})


def parse_decimal(raw: str, *, label: str) -> Decimal | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueRefused(_("%(label)s : nombre illisible.") % {"label": label}) from None
    if not value.is_finite() or value < Decimal("0.5") or value > Decimal("99"):
        raise ValueRefused(_("%(label)s : entre 0,5 et 99 heures.") % {"label": label})
    return value.quantize(Decimal("0.1"))


def parse_weeks(raw: str, *, label: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 520:
        raise ValueRefused(_("%(label)s : un nombre entier de semaines.") % {"label": label})
    return int(text)


def split_list(raw: str) -> tuple[str, ...]:
    """Several values in one cell, separated by « | »: « fr|en »."""
    return tuple(item.strip() for item in raw.split("|") if item.strip())
