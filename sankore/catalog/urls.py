from django.urls import path

from sankore.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("cours/", views.course_list, name="course_list"),
    path("cours/<slug:slug>/", views.course_detail, name="course_detail"),
]
