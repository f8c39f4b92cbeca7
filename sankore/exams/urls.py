from django.urls import path

from sankore.exams import (
    convocation_views,
    manage_views,
    result_views,
    staff_views,
    views,
    window_views,
)

app_name = "exams"

urlpatterns = [
    path("centres-d-examen/", views.centre_list, name="centre_list"),
    path("centres-d-examen/<slug:slug>/", views.centre_detail, name="centre"),
    path("examens/<int:pk>/", views.sitting_detail, name="sitting"),
    path("examens/<int:pk>/inscription/", views.registration_create, name="register"),
    path("examens/<int:pk>/emargement/", staff_views.attendance, name="attendance"),
    path(
        "examens/<int:pk>/emargement/<int:registration_id>/accueil/",
        staff_views.check_in,
        name="check_in",
    ),
    path(
        "examens/<int:pk>/emargement/<int:registration_id>/paiement/",
        staff_views.payment,
        name="payment",
    ),
    # Staff: what each one runs, dashboards, new sittings, incident reports.
    path("examens/gestion/", manage_views.hub, name="hub"),
    path(
        "centres-d-examen/<slug:slug>/tableau-de-bord/",
        manage_views.centre_dashboard,
        name="centre_dashboard",
    ),
    path(
        "centres-d-examen/<slug:slug>/sessions/nouvelle/",
        manage_views.sitting_create,
        name="sitting_create",
    ),
    path("studio/sessions/<int:run_id>/examens/", manage_views.run_dashboard, name="run_dashboard"),
    path("examens/<int:pk>/incidents/", manage_views.sitting_incidents, name="incidents"),
    # On-platform exams on the day: the window, its code (window_views).
    path("examens/<int:pk>/epreuve/", window_views.window_page, name="window"),
    path("examens/<int:pk>/epreuve/ouverture/", window_views.window_open, name="window_open"),
    path(
        "examens/<int:pk>/epreuve/nouveau-code/",
        window_views.window_code_renew,
        name="window_renew",
    ),
    path("examens/<int:pk>/epreuve/fermeture/", window_views.window_close, name="window_close"),
    # Results: the course team's page, its CSV import, the platform's scores, the jury.
    path("examens/<int:pk>/resultats/", result_views.results_page, name="results"),
    path("examens/<int:pk>/resultats/import/", result_views.results_import, name="results_import"),
    path(
        "examens/<int:pk>/resultats/plateforme/",
        result_views.results_collect,
        name="results_collect",
    ),
    path(
        "examens/<int:pk>/resultats/validation/",
        result_views.results_validate,
        name="results_validate",
    ),
    path(
        "examens/<int:pk>/resultats/certificats/",
        result_views.results_publish_retry,
        name="results_publish_retry",
    ),
    path("mes-examens/", views.my_registrations, name="mine"),
    path("mes-examens/<int:pk>/annulation/", views.registration_cancel, name="cancel"),
    # Convocations: downloaded by the learner, scanned at the door, the printed list.
    path("mes-examens/<int:pk>/convocation.pdf", convocation_views.convocation, name="convocation"),
    path("examens/<int:pk>/emargement/scan/", convocation_views.scan, name="scan"),
    path(
        "examens/<int:pk>/emargement/liste.pdf",
        convocation_views.attendance_pdf,
        name="attendance_pdf",
    ),
    path(
        "examens/<int:pk>/emargement/<int:registration_id>/convocation.pdf",
        convocation_views.staff_convocation,
        name="staff_convocation",
    ),
]
