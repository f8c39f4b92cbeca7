from django.urls import path

from sankore.exams import convocation_views, staff_views, views

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
