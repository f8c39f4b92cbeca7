from django.urls import path

from sankore.credentials import institution_views, studio_views

# Mounted by the project under /studio/, in the studio's namespace.
urlpatterns = [
    path(
        "etablissements/<slug:slug>/documents/",
        institution_views.institution_documents,
        name="institution_documents",
    ),
    path(
        "etablissements/<slug:slug>/documents/signataires/",
        institution_views.signatory_add,
        name="signatory_add",
    ),
    path(
        "etablissements/<slug:slug>/documents/signataires/<int:signatory_id>/",
        institution_views.signatory_edit,
        name="signatory",
    ),
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
