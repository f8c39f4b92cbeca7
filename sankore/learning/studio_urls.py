from django.urls import path

from sankore.learning import gradebook

# Mounted by the project under /studio/, in the studio's namespace.
urlpatterns = [
    path("sessions/<int:run_id>/notes/", gradebook.gradebook, name="gradebook"),
    path("sessions/<int:run_id>/notes.csv", gradebook.gradebook_csv, name="gradebook_csv"),
    path(
        "sessions/<int:run_id>/notes/<int:user_id>/",
        gradebook.learner_detail,
        name="gradebook_learner",
    ),
]
