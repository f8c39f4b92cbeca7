from django.urls import path

from sankore.assessments import peer_studio_urls, views

# Mounted by the project under /studio/, in the studio's namespace.
urlpatterns = [
    path("sessions/<int:run_id>/bareme/", views.grading, name="grading"),
    *peer_studio_urls.urlpatterns,
]
