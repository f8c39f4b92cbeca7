from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from sankore.assessments import studio_urls as assessments_studio
from sankore.config.api import api
from sankore.core import views as core_views
from sankore.courseware import studio_urls as courseware_studio
from sankore.credentials import studio_urls as credentials_studio
from sankore.federation import studio_urls as federation_studio
from sankore.federation import webhook as federation_webhook
from sankore.learning import studio_urls as learning_studio

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Signed writes from partner platforms, beside the read-only public API.
    path(
        "api/v1/sync/course-runs",
        federation_webhook.course_runs_sync,
        name="federation_course_runs_sync",
    ),
    path("api/v1/", api.urls),
    path("oai", include("sankore.syndication.oai.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("comptes/", include("sankore.accounts.urls")),
    path("etablissements/", include("sankore.catalog.institution_urls")),
    path("mes-cours/", include("sankore.learning.urls")),
    path("partenariats/", include("sankore.partnerships.urls")),
    path("appels/", include("sankore.calls.urls")),
    path("apprendre/", include("sankore.learning.player_urls")),
    path(
        "studio/",
        include(
            (
                [
                    *courseware_studio.urlpatterns,
                    *assessments_studio.urlpatterns,
                    *learning_studio.urlpatterns,
                    *credentials_studio.urlpatterns,
                    *federation_studio.urlpatterns,
                ],
                "studio",
            )
        ),
    ),
    path("", include("sankore.syndication.urls")),
    path("", include("sankore.credentials.urls")),
    path("", include("sankore.exams.urls")),
    path("", include("sankore.relays.urls")),
    path("", include("sankore.catalog.urls")),
]

handler400 = "sankore.core.views.bad_request"
handler403 = "sankore.core.views.permission_denied"
handler404 = "sankore.core.views.page_not_found"
handler500 = "sankore.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
