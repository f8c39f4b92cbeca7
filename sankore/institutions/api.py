"""Public JSON API of the institutions of the network.

Institutions sit below the catalog and never read it: how many published courses each one
carries is asked of a function the API root passes in (``build_router(course_counts=…)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from ninja import Query, Router, Schema
from pydantic import BaseModel

from sankore.core.api import AbsoluteUrls, ApiParamsError, ErrorOut, PageOut, absolute, page_of
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution, InstitutionKind
from sankore.institutions.selectors import institution_get, institution_list

# Institution id → (published courses it owns, published courses it partners).
CourseCounts = Callable[[Sequence[int]], Mapping[int, tuple[int, int]]]


class InstitutionOut(BaseModel):
    slug: str
    name: str
    acronym: str
    kind: str
    kind_label: str
    country: str
    country_name: str
    region: str | None
    region_label: str | None
    hemisphere: str
    hemisphere_label: str
    city: str
    website: str
    is_member: bool
    course_count: int
    partner_course_count: int
    url: str
    api_url: str


class InstitutionDetailOut(InstitutionOut):
    description: str
    logo: str | None
    time_zone: str


class InstitutionListOut(PageOut[InstitutionOut]):
    pass


class InstitutionQuery(Schema):
    country: str = Query("", description="Code ISO 3166 du pays (SN, FR…).")
    region: str = Query("", description="Région AUF : " + ", ".join(Region.values) + ".")
    kind: str = Query("", description="Type : " + ", ".join(InstitutionKind.values) + ".")
    q: str = Query("", description="Partie du nom ou du sigle, sans tenir compte des accents.")
    page: str = Query("1", description="Numéro de page, de 1 à 10000.")
    page_size: str = Query("20", description="Établissements par page, de 1 à 100.")


def _refused(what: Any, value: str, code: str) -> ApiParamsError:
    return ApiParamsError(
        _("Valeur inconnue pour le filtre « %(filter)s » : %(value)s.")
        % {"filter": what, "value": value[:40]},
        code=code,
    )


def _valid_filters(filters: InstitutionQuery) -> dict[str, str]:
    country = filters.country.strip().upper()
    if country and country not in countries:
        raise _refused(_("pays"), country, "unknown_country")
    if filters.region and filters.region not in Region.values:
        raise _refused(_("région"), filters.region, "unknown_region")
    if filters.kind and filters.kind not in InstitutionKind.values:
        raise _refused(_("type"), filters.kind, "unknown_kind")
    if len(filters.q) > settings.SEARCH_QUERY_MAX_LENGTH:
        raise ApiParamsError(
            _("La recherche est trop longue : %(max)s caractères au plus.")
            % {"max": settings.SEARCH_QUERY_MAX_LENGTH},
            code="query_too_long",
        )
    return {"country": country, "region": filters.region, "kind": filters.kind, "q": filters.q}


def _institution(
    urls: AbsoluteUrls, institution: Institution, counts: tuple[int, int]
) -> dict[str, Any]:
    region = Region(institution.region) if institution.region in Region.values else None
    hemisphere = institution.hemisphere
    return {
        "slug": institution.slug,
        "name": institution.name,
        "acronym": institution.acronym,
        "kind": institution.kind,
        "kind_label": str(institution.get_kind_display()),
        "country": str(institution.country),
        "country_name": str(countries.name(str(institution.country))),
        "region": region.value if region else None,
        "region_label": str(region.label) if region else None,
        "hemisphere": hemisphere.value,
        "hemisphere_label": str(hemisphere.label),
        "city": institution.city,
        "website": institution.website,
        "is_member": institution.is_member,
        "course_count": counts[0],
        "partner_course_count": counts[1],
        "url": urls("institutions:detail", institution.slug),
        "api_url": urls("api:institution_detail", institution.slug),
    }


def build_router(*, course_counts: CourseCounts) -> Router:
    router = Router(tags=["Établissements"])

    @router.get(
        "/institutions",
        response={200: InstitutionListOut, 400: ErrorOut},
        summary="Les établissements",
        description="Établissements du réseau par nom, avec leurs nombres de cours publiés.",
        openapi_extra={"x-example": "/institutions?country=SN"},
    )
    def institution_list_view(
        request: HttpRequest, filters: Query[InstitutionQuery]
    ) -> dict[str, Any]:
        institutions = institution_list(**_valid_filters(filters))

        def serialize(page: list[Institution]) -> list[dict[str, Any]]:
            counts, urls = course_counts([i.pk for i in page]), AbsoluteUrls(request)
            return [_institution(urls, i, counts.get(i.pk, (0, 0))) for i in page]

        return page_of(request, institutions, serialize=serialize)

    @router.get(
        "/institutions/{slug:slug}",
        response={200: InstitutionDetailOut, 404: ErrorOut},
        url_name="institution_detail",
        summary="Un établissement",
        description="Avec son hémisphère (Nord ou Sud), sa région AUF et ses nombres de cours "
        "publiés, portés et en partenariat.",
    )
    def institution_detail_view(request: HttpRequest, slug: str) -> dict[str, Any]:
        institution = institution_get(slug=slug)
        counts = course_counts([institution.pk]).get(institution.pk, (0, 0))
        return {
            **_institution(AbsoluteUrls(request), institution, counts),
            "description": institution.description,
            "logo": absolute(request, institution.logo.url if institution.logo else None),
            "time_zone": institution.time_zone,
        }

    return router
