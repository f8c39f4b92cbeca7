from django.urls import path

from sankore.courseware import views

# Mounted by the project under /studio/ in the "studio" namespace, beside the pages other
# apps add to the studio (assessments: the barème).
urlpatterns = [
    path("", views.studio_home, name="home"),
    path("importer/", views.package_import, name="import"),
    path("sessions/<int:run_id>/paquet/", views.package_download, name="export"),
    path("sessions/<int:run_id>/", views.session, name="session"),
    path("sessions/<int:run_id>/publier/", views.publish, name="publish"),
    path("sessions/<int:run_id>/nouvelle-session/", views.rerun, name="rerun"),
    path("sessions/<int:run_id>/fichiers/", views.assets, name="assets"),
    path("sessions/<int:run_id>/chapitres/", views.chapter_create, name="chapter_create"),
    path(
        "sessions/<int:run_id>/chapitres/<int:chapter_id>/",
        views.chapter_update,
        name="chapter_update",
    ),
    path(
        "sessions/<int:run_id>/chapitres/<int:chapter_id>/deplacer/",
        views.chapter_move,
        name="chapter_move",
    ),
    path(
        "sessions/<int:run_id>/chapitres/<int:chapter_id>/supprimer/",
        views.chapter_delete,
        name="chapter_delete",
    ),
    path(
        "sessions/<int:run_id>/chapitres/<int:chapter_id>/sequences/",
        views.unit_create,
        name="unit_create",
    ),
    path("sessions/<int:run_id>/sequences/<int:unit_id>/", views.unit, name="unit"),
    path(
        "sessions/<int:run_id>/sequences/<int:unit_id>/deplacer/",
        views.unit_move,
        name="unit_move",
    ),
    path(
        "sessions/<int:run_id>/sequences/<int:unit_id>/supprimer/",
        views.unit_delete,
        name="unit_delete",
    ),
    path(
        "sessions/<int:run_id>/sequences/<int:unit_id>/activites/",
        views.block_create,
        name="block_create",
    ),
    path("sessions/<int:run_id>/activites/<int:block_id>/", views.block_update, name="block"),
    path(
        "sessions/<int:run_id>/activites/<int:block_id>/deplacer/",
        views.block_move,
        name="block_move",
    ),
    path(
        "sessions/<int:run_id>/activites/<int:block_id>/supprimer/",
        views.block_delete,
        name="block_delete",
    ),
]
