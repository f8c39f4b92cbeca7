from django.urls import path

from sankore.exams import result_views, staff_views, views

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
]
