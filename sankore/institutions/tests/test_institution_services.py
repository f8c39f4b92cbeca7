from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sankore.institutions.geography import Hemisphere, Region, hemisphere_for_country
from sankore.institutions.models import Institution, InstitutionKind
from sankore.institutions.services import institution_create, institution_update
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_an_institution_takes_the_region_of_its_country_and_a_slug_from_its_acronym() -> None:
    institution = institution_create(
        name="Université d'Antananarivo",
        acronym="UA",
        kind=InstitutionKind.UNIVERSITY,
        country="MG",
        city="Antananarivo",
        time_zone="Indian/Antananarivo",
    )

    assert institution.region == Region.INDIAN_OCEAN
    assert institution.slug == "ua"
    assert institution.hemisphere == Hemisphere.SOUTH


def test_slugs_stay_unique() -> None:
    first = institution_create(name="Campus A", acronym="CNF", kind="campus", country="SN")
    second = institution_create(name="Campus B", acronym="CNF", kind="campus", country="BF")

    assert (first.slug, second.slug) == ("cnf", "cnf-2")


def test_an_invalid_institution_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ValidationError) as refused:
        institution_create(name="Sans pays", kind="universite", country="ZZ")

    assert "country" in refused.value.message_dict
    assert Institution.objects.count() == 0


def test_moving_an_institution_moves_its_region() -> None:
    institution = InstitutionFactory(country="SN", region=Region.WEST_AFRICA)

    institution_update(institution=institution, country="HT")

    institution.refresh_from_db()
    assert str(institution.country) == "HT"
    assert institution.region == Region.CARIBBEAN


def test_an_invalid_update_is_refused_and_the_row_is_unchanged() -> None:
    institution = InstitutionFactory(name="Université de Liège", country="BE")

    with pytest.raises(ValidationError):
        institution_update(institution=institution, name="", website="pas une adresse")

    institution.refresh_from_db()
    assert institution.name == "Université de Liège"
    assert institution.website == ""


@pytest.mark.parametrize(
    ("country", "hemisphere"),
    [
        ("FR", Hemisphere.NORTH),
        ("CA", Hemisphere.NORTH),
        ("BE", Hemisphere.NORTH),
        ("SN", Hemisphere.SOUTH),
        ("HT", Hemisphere.SOUTH),
        ("MA", Hemisphere.SOUTH),
        ("VN", Hemisphere.SOUTH),
        ("cd", Hemisphere.SOUTH),
    ],
)
def test_hemisphere_is_derived_from_the_country(country: str, hemisphere: Hemisphere) -> None:
    assert hemisphere_for_country(country) == hemisphere
