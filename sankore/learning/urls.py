from django.urls import path

from sankore.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sessions/<int:run_id>/inscription/", views.enrol, name="enrol"),
    path("sessions/<int:run_id>/desinscription/", views.unenrol, name="unenrol"),
]
