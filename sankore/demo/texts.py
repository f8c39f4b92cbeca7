"""Small pure helpers that turn demo data into field values: names, course texts, dates.

Shared by the demo network plan (``demo/plan.py``) and the benchmark bulk path
(``demo/scale.py``). Every random draw comes from the ``random.Random`` passed in.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.text import slugify

from sankore.catalog.models import Level, Licence, RunState
from sankore.demo.data.course_material import (
    AUDIENCE,
    FORMAT_SENTENCES,
    MATERIAL,
    PREREQUISITES,
)
from sankore.demo.data.courses import CourseText
from sankore.demo.data.people import CULTURE_BY_COUNTRY, NAME_POOLS

T = TypeVar("T")

DAY = datetime.timedelta(days=1)
# Sessions start at 08:00 UTC on a whole day, so pages show tidy dates; every boundary is at
# least a day from "now", so a session's state cannot flip while the seed or its tests run.
START_HOUR = datetime.timedelta(hours=8)

LEVEL_WEIGHTS = {Level.INTRODUCTORY: 45, Level.INTERMEDIATE: 40, Level.ADVANCED: 15}
LICENCE_WEIGHTS = {
    Licence.CC_BY_SA: 35,
    Licence.CC_BY_NC_SA: 30,
    Licence.CC_BY: 15,
    Licence.CC_BY_NC: 8,
    Licence.CC_BY_NC_ND: 7,
    Licence.ALL_RIGHTS_RESERVED: 5,
}
EFFORTS = tuple(Decimal(e) for e in ("1.5", "2", "2.5", "3", "3", "4", "4", "5", "6"))
DURATIONS = (4, 5, 6, 6, 7, 8, 8, 10, 12)
SELF_PACED_DAYS = (180, 270, 365)

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def weighted(rng: random.Random, weights: dict[T, int]) -> T:
    """One key of ``weights``, drawn in proportion to its value.

    The cumulative weights are computed once per table (the tables are module constants):
    ``choices`` draws exactly as with ``weights=``, a million times faster in total.
    """
    cached = _CUMULATIVE.get(id(weights))
    if cached is None or cached[0] is not weights:
        cached = (weights, list(weights), list(itertools.accumulate(weights.values())))
        _CUMULATIVE[id(weights)] = cached
    return rng.choices(cached[1], cum_weights=cached[2])[0]


_CUMULATIVE: dict[int, tuple[Any, list[Any], list[int]]] = {}


@dataclass(frozen=True)
class PersonName:
    full_name: str
    is_female: bool

    @property
    def email_local_part(self) -> str:
        """``aissatou.diop``: the name in plain ASCII, as people spell it in addresses."""
        return ".".join(ascii_slug(part) for part in self.full_name.split(" ", 1))


@functools.cache
def ascii_slug(text: str) -> str:
    """``slugify``, remembered: the benchmark path slugifies the same few hundred names and
    titles a million times."""
    return slugify(text)


def person_name(rng: random.Random, country: str) -> PersonName:
    pool = NAME_POOLS[CULTURE_BY_COUNTRY.get(country, "europe-ouest")]
    is_female = rng.random() < 0.5
    given = rng.choice(pool.female if is_female else pool.male)
    family = rng.choice(pool.family)
    full_name = f"{family} {given}" if pool.family_first else f"{given} {family}"
    return PersonName(full_name, is_female)


@dataclass(frozen=True)
class CourseWords:
    """The texts of a course, composed from its catalog entry and its discipline's material."""

    description: str
    learning_outcomes: str
    prerequisites: str


def course_words(rng: random.Random, text: CourseText, top: str, level: str) -> CourseWords:
    advanced = level != Level.INTRODUCTORY
    format_sentence = rng.choice(FORMAT_SENTENCES[text.language])
    if text.language == "fr":
        material = MATERIAL[top]
        paragraphs = [text.summary, material.context, format_sentence, material.audience]
        outcomes = rng.sample(material.outcomes, k=rng.randint(3, 5))
        prerequisites = material.prerequisites[advanced]
    else:
        paragraphs = [text.summary, format_sentence, AUDIENCE[text.language]]
        outcomes = list(text.outcomes)
        prerequisites = PREREQUISITES[text.language][advanced]
    return CourseWords(
        description="\n\n".join(paragraphs),
        learning_outcomes="\n".join(outcomes),
        prerequisites=prerequisites,
    )


@dataclass(frozen=True)
class RunDates:
    start: datetime.datetime
    end: datetime.datetime
    enrolment_start: datetime.datetime
    enrolment_end: datetime.datetime | None


def session_day(now: datetime.datetime) -> datetime.datetime:
    """Midnight UTC of ``now``'s day: the origin every session date is counted from."""
    return now.astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def run_dates(
    rng: random.Random,
    *,
    state: RunState,
    today: datetime.datetime,
    weeks: int,
    self_paced: bool,
    ends_before: datetime.datetime | None = None,
) -> RunDates:
    """Dates that put a session in ``state`` at any time of ``today`` (a ``session_day``).

    ``ends_before`` places an archived session before a later one of the same course.
    """
    days = rng.choice(SELF_PACED_DAYS) if self_paced else weeks * 7
    length = days * DAY
    day0 = today + START_HOUR
    if state == RunState.OPEN:
        enrolment_start = day0 - rng.randint(3, 45) * DAY
        start = enrolment_start if self_paced else day0 + rng.randint(-21, 30) * DAY
        end = start + length
        if self_paced:
            return RunDates(start, end, enrolment_start, end - 14 * DAY)
        # Closes a week or more after the start, never before two days from now, and not after
        # the last day (a late start can leave little room: end is at least a week away).
        closes = max(start + rng.randint(7, 21) * DAY, day0 + rng.randint(2, 10) * DAY)
        return RunDates(start, end, enrolment_start, min(closes, end - DAY))
    if state == RunState.UPCOMING:
        enrolment_start = day0 + rng.randint(3, 40) * DAY
        start = enrolment_start + rng.randint(7, 30) * DAY
        return RunDates(start, start + length, enrolment_start, start + rng.randint(7, 21) * DAY)
    if state == RunState.ONGOING:
        start = day0 - rng.randint(3, days - 3) * DAY
        enrolment_end = day0 - rng.randint(1, 3) * DAY
        return RunDates(start, start + length, start - rng.randint(14, 45) * DAY, enrolment_end)
    latest_end = (ends_before or day0) - rng.randint(7, 120) * DAY
    end = min(latest_end, day0 - 2 * DAY)
    start = end - length
    enrolment_start = start - rng.randint(14, 45) * DAY
    return RunDates(start, end, enrolment_start, start + rng.randint(7, 21) * DAY)


def run_title(language: str, start: datetime.datetime, *, self_paced: bool) -> str:
    if language == "en":
        return (
            f"Self-paced {start.year}"
            if self_paced
            else f"{MONTHS_EN[start.month - 1]} {start.year}"
        )
    if language == "ar":
        return f"دورة {start.year}" + (" — بالوتيرة الذاتية" if self_paced else "")
    if self_paced:
        return f"Édition {start.year} — à votre rythme"
    month = MONTHS_FR[start.month - 1]
    return f"Session {elided('de', month)} {start.year}"


def elided(word: str, following: str) -> str:
    """``de`` + ``octobre`` → ``d'octobre``: French elides before a vowel sound."""
    if following[:1].lower() in "aâeéèêiîoôuh":
        return f"{word[:-1]}'{following}"
    return f"{word} {following}"


def to_topic(topic: str) -> str:
    """``à`` + ``les réseaux`` → ``aux réseaux``; ``à`` + ``le tutorat`` → ``au tutorat``."""
    for article, contracted in (("les ", "aux "), ("le ", "au ")):
        if topic.startswith(article):
            return contracted + topic.removeprefix(article)
    return f"à {topic}"


def at_institution(name: str) -> str:
    """``à l'Université de Lomé``, ``à la Fondation…``; names of the form "X Université" are
    proper nouns and take no article (``à Sorbonne Université``)."""
    if name.endswith("Université"):
        return f"à {name}"
    if name[:1].lower() in "aâeéèêiîoôu":
        return f"à l'{name}"
    return f"à la {name}"
