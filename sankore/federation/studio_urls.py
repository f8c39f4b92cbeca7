from django.urls import path

from sankore.federation import views

urlpatterns = [
    path("importations/", views.imports, name="imports"),
    path("importations/<int:job_id>/", views.import_job, name="import_job"),
    path("importations/<int:job_id>/appliquer", views.import_apply, name="import_apply"),
]
