from django.urls import path

from sankore.credentials import studio_views

# Mounted by the project under /studio/, in the studio's namespace.
urlpatterns = [
    path("sessions/<int:run_id>/attestations/", studio_views.credential_list, name="credentials"),
    path(
        "sessions/<int:run_id>/attestations/groupees/",
        studio_views.bulk_issue,
        name="credentials_bulk",
    ),
    path(
        "sessions/<int:run_id>/attestations/groupees/<int:job_id>/",
        studio_views.bulk_progress,
        name="credential_job",
    ),
    path(
        "sessions/<int:run_id>/attestations/reglages/",
        studio_views.credential_settings,
        name="credential_settings",
    ),
    path(
        "sessions/<int:run_id>/attestations/certificat/",
        studio_views.certificate_issue,
        name="certificate_issue",
    ),
    path(
        "sessions/<int:run_id>/attestations/<str:identifier>/",
        studio_views.credential_detail,
        name="credential",
    ),
    path(
        "sessions/<int:run_id>/attestations/<str:identifier>/nouveau-document/",
        studio_views.credential_regenerate,
        name="credential_regenerate",
    ),
]
