"""Where a country sits in the programme's map: its AUF region and whether it is of the North.

The mapping is data of the programme (the regions of the Agence universitaire de la
Francophonie's network). A country absent from the table has no region until staff set one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    CENTRAL_AFRICA = "afrique-centrale-grands-lacs", _("Afrique centrale et des Grands Lacs")
    WEST_AFRICA = "afrique-ouest", _("Afrique de l'Ouest")
    AMERICAS = "ameriques", _("Amériques")
    ASIA_PACIFIC = "asie-pacifique", _("Asie-Pacifique")
    CARIBBEAN = "caraibe", _("Caraïbe")
    CENTRAL_EASTERN_EUROPE = "europe-centrale-orientale", _("Europe centrale et orientale")
    WESTERN_EUROPE = "europe-ouest", _("Europe de l'Ouest")
    MAGHREB = "maghreb", _("Maghreb")
    MIDDLE_EAST = "moyen-orient", _("Moyen-Orient")
    INDIAN_OCEAN = "ocean-indien", _("Océan Indien")


_COUNTRIES_BY_REGION: dict[Region, tuple[str, ...]] = {
    Region.CENTRAL_AFRICA: ("BI", "CD", "CF", "CG", "CM", "GA", "GQ", "RW", "ST", "TD"),
    Region.WEST_AFRICA: (
        "BF",
        "BJ",
        "CI",
        "CV",
        "GH",
        "GN",
        "GW",
        "ML",
        "MR",
        "NE",
        "NG",
        "SN",
        "TG",
    ),
    Region.AMERICAS: ("AR", "BO", "BR", "CA", "CL", "CO", "MX", "PE", "US", "UY"),
    Region.ASIA_PACIFIC: ("CN", "IN", "JP", "KH", "KR", "LA", "TH", "VN", "VU"),
    Region.CARIBBEAN: ("CU", "DM", "DO", "HT", "LC"),
    Region.CENTRAL_EASTERN_EUROPE: (
        "AL",
        "AM",
        "BG",
        "CZ",
        "GE",
        "HU",
        "LT",
        "MD",
        "MK",
        "PL",
        "RO",
        "RS",
        "SK",
        "UA",
    ),
    Region.WESTERN_EUROPE: (
        "AD",
        "AT",
        "BE",
        "CH",
        "DE",
        "ES",
        "FR",
        "GB",
        "IT",
        "LU",
        "MC",
        "NL",
        "PT",
    ),
    Region.MAGHREB: ("DZ", "MA", "TN"),
    Region.MIDDLE_EAST: ("AE", "EG", "IQ", "JO", "LB", "PS", "QA", "SA", "SY"),
    Region.INDIAN_OCEAN: ("DJ", "KM", "MG", "MU", "SC"),
}

REGION_BY_COUNTRY: dict[str, Region] = {
    code: region for region, codes in _COUNTRIES_BY_REGION.items() for code in codes
}

# Countries of the "North" in the programme's North–South pairing; every other one is "South".
NORTH_COUNTRIES: frozenset[str] = frozenset(
    {
        "AD",
        "AT",
        "AU",
        "BE",
        "BG",
        "CA",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "JP",
        "KR",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "NZ",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "US",
    }
)


class Hemisphere(models.TextChoices):
    NORTH = "nord", _("Nord")
    SOUTH = "sud", _("Sud")


def region_for_country(country_code: str) -> Region | None:
    return REGION_BY_COUNTRY.get(country_code.upper())


def hemisphere_for_country(country_code: str) -> Hemisphere:
    return Hemisphere.NORTH if country_code.upper() in NORTH_COUNTRIES else Hemisphere.SOUTH
