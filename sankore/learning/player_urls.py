from django.urls import path

from sankore.learning import player_problems
from sankore.learning import player_views as views

app_name = "player"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("<int:run_id>/", views.course_home, name="course_home"),
    path(
        "<int:run_id>/fichiers/<slug:asset_key>/<slug:variant>/",
        views.asset_file,
        name="asset",
    ),
    path(
        "<int:run_id>/activites/<slug:block_key>/<slug:action>/",
        views.block_action,
        name="block_action",
    ),
    path("<int:run_id>/apercu/<slug:unit_key>/", views.unit_preview, name="unit_preview"),
    path("<int:run_id>/<slug:unit_key>/examen/", player_problems.exam_unlock, name="exam_unlock"),
    path("<int:run_id>/<slug:unit_key>/", views.unit_page, name="unit"),
]
