"""Public institution pages. They list courses, so they live with the catalog (the institutions
app sits below the catalog and never reads it)."""

from django.urls import path

from sankore.catalog import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="list"),
    path("<slug:slug>/", views.institution_detail, name="detail"),
]
