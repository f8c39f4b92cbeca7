"""Reading a catalog search from a query string: the HTML catalog and the JSON API share it.

``?q=économie&language=fr&language=en&level=introductif,avance&page=2`` — facet parameters repeat
or take comma-separated values; unknown parameter names are ignored; unknown values, a bad page
or page size and an over-long query are refused with a ``SearchParamsError`` whose message is
for the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sankore.catalog.models import Discipline, Language, Level, Recognition, RunState
from sankore.core.errors import ServiceError
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution

# Deeper pages are refused: nobody reads them and deep OFFSETs cost the database.
MAX_PAGE = 10_000
# Enough for any real selection; bounds the size of the SQL a search builds.
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

_INTEGER = re.compile(r"^[0-9]{1,9}$")


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
        return any(self.selected(name) for name in FACET_NAMES)


class QueryParams(Protocol):
    def getlist(self, key: str, default: Any = ..., /) -> list[str]: ...

    def get(self, key: str, default: Any = ..., /) -> Any: ...


def _values(query: QueryParams | Mapping[str, Any], name: str) -> list[str]:
    raw: Iterable[Any]
    if hasattr(query, "getlist"):
        raw = query.getlist(name)
    else:
        found = query.get(name)
        raw = [] if found is None else ([found] if isinstance(found, str) else found)
    values: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in values:
                values.append(part)
    return values


def _last(query: QueryParams | Mapping[str, Any], name: str) -> str | None:
    if hasattr(query, "getlist"):
        found = query.getlist(name)
        return str(found[-1]) if found else None
    value = query.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return str(value[-1]) if isinstance(value, Sequence) and value else None


def _existing(
    model_values: Callable[[list[str]], Iterable[str]],
) -> Callable[[list[str]], set[str]]:
    return lambda values: set(model_values(values))


# For each facet: how to normalise a value, and which of the given values exist.
_NORMALISE: dict[str, Callable[[str], str]] = {
    "country": str.upper,
    "language": str.lower,
    "level": str.lower,
    "availability": str.lower,
    "recognition": str.lower,
    "region": str.lower,
}

_KNOWN: dict[str, Callable[[list[str]], set[str]]] = {
    "availability": lambda values: set(values) & set(RunState.values),
    "level": lambda values: set(values) & set(Level.values),
    "recognition": lambda values: set(values) & set(Recognition.values),
    "region": lambda values: set(values) & set(Region.values),
    "country": lambda values: {value for value in values if value in countries},
    "discipline": _existing(
        lambda values: Discipline.objects.filter(slug__in=values).values_list("slug", flat=True)
    ),
    "language": _existing(
        lambda values: Language.objects.filter(code__in=values).values_list("code", flat=True)
    ),
    "institution": _existing(
        lambda values: Institution.objects.filter(slug__in=values).values_list("slug", flat=True)
    ),
}


def _positive_int(raw: str | None, *, default: int, low: int, high: int) -> int | None:
    """The integer in ``raw`` if it is one within bounds, ``default`` if absent, else None."""
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip()
    if not _INTEGER.match(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def parse_course_search_params(
    query_dict: QueryParams | Mapping[str, Any],
) -> tuple[CourseSearchParams, int, int]:
    """The search, page number and page size a query string asks for, or a SearchParamsError."""
    page = _positive_int(_last(query_dict, "page"), default=1, low=1, high=MAX_PAGE)
    if page is None:
        raise SearchParamsError(
            _("Le numéro de page doit être un nombre entier entre 1 et %(max)s.")
            % {"max": MAX_PAGE},
            code="invalid_page",
        )
    page_size = _positive_int(
        _last(query_dict, "page_size"),
        default=settings.API_PAGE_SIZE_DEFAULT,
        low=1,
        high=settings.API_PAGE_SIZE_MAX,
    )
    if page_size is None:
        raise SearchParamsError(
            _("La taille de page doit être un nombre entier entre 1 et %(max)s.")
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
        normalise = _NORMALISE.get(name)
        values = _values(query_dict, name)
        if normalise:
            values = list(dict.fromkeys(normalise(value) for value in values))
        if len(values) > MAX_VALUES_PER_FACET:
            raise SearchParamsError(
                _("Trop de valeurs pour le filtre « %(facet)s » : %(max)s au plus.")
                % {"facet": FACET_TITLES[name], "max": MAX_VALUES_PER_FACET},
                code="too_many_values",
            )
        if values:
            known = _KNOWN[name](values)
            unknown = [value for value in values if value not in known]
            if unknown:
                raise SearchParamsError(
                    _("Valeur inconnue pour le filtre « %(facet)s » : %(values)s.")
                    % {"facet": FACET_TITLES[name], "values": ", ".join(unknown[:5])},
                    code="unknown_facet_value",
                )
        selections[name] = tuple(values)
    return CourseSearchParams(q=q, **selections), page, page_size


def course_search_params_fields() -> tuple[str, ...]:
    """Every field of CourseSearchParams, ``q`` first (for building links)."""
    return tuple(field.name for field in fields(CourseSearchParams))
