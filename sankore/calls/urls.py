from django.urls import path

from sankore.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("mes-candidatures/", views.my_applications, name="mine"),
    path("candidatures/<int:pk>/", views.application_detail, name="application"),
    path("candidatures/<int:pk>/enregistrer/", views.application_save, name="application_save"),
    path("candidatures/<int:pk>/accuse.pdf", views.receipt_download, name="application_receipt"),
    path("candidatures/<int:pk>/<slug:action>/", views.application_act, name="application_act"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/candidater/", views.application_start, name="start"),
]
