from django.urls import path

from sankore.calls import review_views, views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("mes-candidatures/", views.my_applications, name="mine"),
    path("candidatures/<int:pk>/", views.application_detail, name="application"),
    path("candidatures/<int:pk>/enregistrer/", views.application_save, name="application_save"),
    path("candidatures/<int:pk>/accuse.pdf", views.receipt_download, name="application_receipt"),
    path("candidatures/<int:pk>/<slug:action>/", views.application_act, name="application_act"),
    path("expertise/", review_views.reviewer_home, name="reviewer_home"),
    path("evaluations/<int:pk>/", review_views.review_form, name="review"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/candidater/", views.application_start, name="start"),
    path("<slug:slug>/expertise/", review_views.call_expertise, name="expertise"),
    path("<slug:slug>/expertise/souhaits/", review_views.bids_save, name="bids_save"),
    path(
        "<slug:slug>/expertise/conflit/<int:pk>/",
        review_views.conflict_declare,
        name="conflict_declare",
    ),
]
