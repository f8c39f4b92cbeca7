from __future__ import annotations

import factory

from sankore.institutions.models import Institution, InstitutionKind


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Université numéro {n}")
    acronym = factory.Sequence(lambda n: f"U{n}")
    slug = factory.Sequence(lambda n: f"universite-{n}")
    kind = InstitutionKind.UNIVERSITY
    country = "SN"
    region = "afrique-ouest"
    city = "Dakar"
    time_zone = "Africa/Dakar"
