from django.urls import path

from sankore.relays import views

app_name = "relays"

urlpatterns = [
    path("campus/<slug:slug>/", views.relay_page, name="page"),
    path("campus/<slug:slug>/affiche.pdf", views.poster, name="poster"),
    path("campus/<slug:slug>/integration/", views.selection_embed, name="embed"),
    path("campus/<slug:slug>/gestion/", views.relay_manage, name="manage"),
    path("campus/<slug:slug>/gestion/ajout/", views.course_add, name="course_add"),
    path(
        "campus/<slug:slug>/gestion/cours/<int:course_id>/<slug:action>/",
        views.course_change,
        name="course_change",
    ),
]
