"""The public JSON API, ``/api/v1/``: routers of the domain apps under one NinjaAPI.

Read-only and open to every origin; errors in JSON; the OpenAPI 3 schema at ``openapi.json``
and a docs page served by the platform at ``docs`` (no third-party script).
"""

from __future__ import annotations

from sankore.catalog import api as catalog_api
from sankore.catalog.models import Course, CourseRun
from sankore.core.api import OperationListDocs, ReadOnlyPublicAPI, register_error_handlers
from sankore.credentials import api as credentials_api
from sankore.institutions import api as institutions_api
from sankore.institutions.models import Institution

PREFIX = "/api/v1"


def _examples() -> dict[str, str]:
    """Example links of the docs page that need a real object."""
    course = Course.objects.filter(is_published=True).order_by("pk").values_list("slug", flat=True)
    run = CourseRun.objects.filter(is_published=True, course__is_published=True).order_by("pk")
    institution = Institution.objects.order_by("pk").values_list("slug", flat=True)
    found = {
        f"{PREFIX}/courses/{{slug}}": (f"{PREFIX}/courses/", course.first()),
        f"{PREFIX}/sessions/{{session_id}}": (
            f"{PREFIX}/sessions/",
            run.values_list("pk", flat=True).first(),
        ),
        f"{PREFIX}/institutions/{{slug}}": (f"{PREFIX}/institutions/", institution.first()),
    }
    return {route: f"{base}{value}" for route, (base, value) in found.items() if value}


api = ReadOnlyPublicAPI(
    title="Sankoré API",
    version="1.0.0",
    description=(
        "Catalogue public des CLOM francophones : cours, sessions, établissements, disciplines ; "
        "vérification des attestations et certificats."
    ),
    urls_namespace="api",
    docs=OperationListDocs(examples=_examples),
)
register_error_handlers(api)
api.add_router("/", catalog_api.router)
api.add_router(
    "/", institutions_api.build_router(course_counts=catalog_api.published_course_counts)
)
api.add_router("/", credentials_api.router)
