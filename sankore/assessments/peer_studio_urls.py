from django.urls import path

from sankore.assessments import peer_views

# Mounted with the assessments' studio pages, under /studio/, in the studio's namespace.
urlpatterns = [
    path(
        "sessions/<int:run_id>/reponses-ouvertes/",
        peer_views.open_responses,
        name="open_responses",
    ),
    path(
        "sessions/<int:run_id>/reponses-ouvertes/<uuid:public_id>/",
        peer_views.open_response_detail,
        name="open_response",
    ),
    path(
        "sessions/<int:run_id>/reponses-ouvertes/<uuid:public_id>/fichier/",
        peer_views.open_response_file,
        name="open_response_file",
    ),
]
