"""Reading a catalog search from a query string: the HTML catalog and the JSON API share it.

``?q=économie&language=fr&language=en&level=introductif,avance&page=2`` — facet parameters repeat
or take comma-separated values; unknown parameter names are ignored; unknown values, a bad page
or page size and an over-long query are refused with a ``SearchParamsError`` whose message is
for the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sankore.catalog.models import Discipline, Language, Level, Recognition, RunState
from sankore.core.errors import ServiceError
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution

# Deeper pages are refused: nobody reads them, and deep offsets cost the database.
MAX_PAGE = 10_000
# More than any real selection; it bounds the size of the SQL a search builds.
MAX_VALUES_PER_FACET = 50

FACET_NAMES: tuple[str, ...] = (
    "availability",
    "discipline",
    "language",
    "level",
    "recognition",
    "institution",
    "country",
    "region",
)

# How messages name each facet.
FACET_TITLES = {
    "availability": _("disponibilité"),
    "discipline": _("discipline"),
    "language": _("langue"),
    "level": _("niveau"),
    "recognition": _("reconnaissance"),
    "institution": _("établissement"),
    "country": _("pays"),
    "region": _("région"),
}

_INTEGER = re.compile(r"[0-9]{1,9}")
# Slugs and language codes: anything else is unknown without asking the database (which may
# refuse some characters outright, as PostgreSQL does NUL).
_IDENTIFIER = re.compile(r"[-a-zA-Z0-9_]{1,120}")
# Unknown values are echoed in the message, shortened: they are user input.
_ECHOED_LENGTH = 40

# Country codes are written in capitals (ISO 3166), the fixed lists' values in lower case.
_NORMALISE: dict[str, Callable[[str], str]] = {
    "country": str.upper,
    "availability": str.lower,
    "level": str.lower,
    "recognition": str.lower,
    "region": str.lower,
}


def _identifiers(values: list[str]) -> list[str]:
    return [value for value in values if _IDENTIFIER.fullmatch(value)]


# For each facet, which of the given values exist (one query for those kept in the database).
_KNOWN: dict[str, Callable[[list[str]], set[str]]] = {
    "availability": lambda values: set(values) & set(RunState.values),
    "level": lambda values: set(values) & set(Level.values),
    "recognition": lambda values: set(values) & set(Recognition.values),
    "region": lambda values: set(values) & set(Region.values),
    "country": lambda values: {value for value in values if value in countries},
    "discipline": lambda values: set(
        Discipline.objects.filter(slug__in=_identifiers(values)).values_list("slug", flat=True)
    ),
    "language": lambda values: set(
        Language.objects.filter(code__in=_identifiers(values)).values_list("code", flat=True)
    ),
    "institution": lambda values: set(
        Institution.objects.filter(slug__in=_identifiers(values)).values_list("slug", flat=True)
    ),
}


class SearchParamsError(ServiceError):
    """A search parameter was refused; ``message`` says which and why, in the user's language."""


@dataclass(frozen=True)
class CourseSearchParams:
    """What the learner asked for: free text and, per facet, the values ticked."""

    q: str = ""
    availability: tuple[str, ...] = ()
    discipline: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    recognition: tuple[str, ...] = ()
    institution: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()

    def selected(self, facet: str) -> tuple[str, ...]:
        values: tuple[str, ...] = getattr(self, facet)
        return values

    @property
    def has_filters(self) -> bool:
        return any(self.selected(facet) for facet in FACET_NAMES)


class QueryParams(Protocol):
    """What the parser reads: a Django ``QueryDict`` (``request.GET``) or the like."""

    def getlist(self, key: str, default: Any = ..., /) -> list[Any]: ...


def _raw_values(query: QueryParams | Mapping[str, Any], name: str) -> list[str]:
    if hasattr(query, "getlist"):
        return [str(value) for value in query.getlist(name)]
    found = query.get(name)
    if found is None:
        return []
    return [found] if isinstance(found, str) else [str(value) for value in found]


def _facet_values(query: QueryParams | Mapping[str, Any], name: str) -> list[str]:
    """Repeated and comma-separated values, trimmed, without empties or repeats."""
    normalise = _NORMALISE.get(name, str)
    values = (
        normalise(part.strip()) for raw in _raw_values(query, name) for part in raw.split(",")
    )
    return list(dict.fromkeys(value for value in values if value))


def _last(query: QueryParams | Mapping[str, Any], name: str) -> str | None:
    values = _raw_values(query, name)
    return values[-1] if values else None


def _integer(raw: str | None, *, default: int, low: int, high: int) -> int | None:
    """The integer in ``raw`` if it is one from ``low`` to ``high``, ``default`` if there is
    none, else None."""
    if raw is None or not raw.strip():
        return default
    if not _INTEGER.fullmatch(raw.strip()):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _unknown_values(name: str, values: list[str]) -> list[str]:
    known = _KNOWN[name](values)
    return [value for value in values if value not in known]


def _echo(values: Iterable[str]) -> str:
    return ", ".join(value[:_ECHOED_LENGTH] for value in values)


def parse_course_search_params(
    query_dict: QueryParams | Mapping[str, Any],
) -> tuple[CourseSearchParams, int, int]:
    """The search, page number and page size a query string asks for, or a SearchParamsError."""
    page = _integer(_last(query_dict, "page"), default=1, low=1, high=MAX_PAGE)
    if page is None:
        raise SearchParamsError(
            _("Le numéro de page doit être un nombre entier de 1 à %(max)s.") % {"max": MAX_PAGE},
            code="invalid_page",
        )
    page_size = _integer(
        _last(query_dict, "page_size"),
        default=settings.API_PAGE_SIZE_DEFAULT,
        low=1,
        high=settings.API_PAGE_SIZE_MAX,
    )
    if page_size is None:
        raise SearchParamsError(
            _("La taille de page doit être un nombre entier de 1 à %(max)s.")
            % {"max": settings.API_PAGE_SIZE_MAX},
            code="invalid_page_size",
        )
    q = (_last(query_dict, "q") or "").strip()
    if len(q) > settings.SEARCH_QUERY_MAX_LENGTH:
        raise SearchParamsError(
            _("La recherche est trop longue : %(max)s caractères au plus.")
            % {"max": settings.SEARCH_QUERY_MAX_LENGTH},
            code="query_too_long",
        )
    selections: dict[str, tuple[str, ...]] = {}
    for name in FACET_NAMES:
        values = _facet_values(query_dict, name)
        if len(values) > MAX_VALUES_PER_FACET:
            raise SearchParamsError(
                _("Trop de valeurs pour le filtre « %(facet)s » : %(max)s au plus.")
                % {"facet": FACET_TITLES[name], "max": MAX_VALUES_PER_FACET},
                code="too_many_values",
            )
        unknown = _unknown_values(name, values) if values else []
        if unknown:
            raise SearchParamsError(
                _("Valeur inconnue pour le filtre « %(facet)s » : %(values)s.")
                % {"facet": FACET_TITLES[name], "values": _echo(unknown[:3])},
                code="unknown_facet_value",
            )
        selections[name] = tuple(values)
    return CourseSearchParams(q=q, **selections), page, page_size


# The catalog's search parameters: its words and facets, not its page (what a feed of the
# search or a widget showing it carries over).
SEARCH_PARAMETERS: tuple[str, ...] = ("q", *FACET_NAMES)


def search_query_string(query: QueryParams) -> str:
    """``query`` reduced to the search's own parameters, non-empty, in a fixed order:
    ``?discipline=droit&page=3&utm=x`` gives ``discipline=droit``."""
    kept = QueryDict(mutable=True)
    for name in SEARCH_PARAMETERS:
        values = [str(value) for value in query.getlist(name) if str(value).strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()
