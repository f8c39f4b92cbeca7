from django.urls import path

from sankore.credentials import views

app_name = "credentials"

urlpatterns = [
    path("verifier/", views.verify_home, name="verify_home"),
    path("verifier/empreinte/", views.verify_document, name="verify_document"),
    path("verifier/<str:identifier>/", views.verify, name="verify"),
    path("mes-attestations/", views.my_credentials, name="mine"),
    path(
        "mes-attestations/<str:identifier>/document.pdf",
        views.document_download,
        name="document",
    ),
    path(
        "mes-attestations/<str:identifier>/langue/",
        views.document_language,
        name="document_language",
    ),
    path("mes-attestations/<str:identifier>/badge.json", views.badge_download, name="badge"),
    path(".well-known/did.json", views.did_document, name="did"),
    path("credentials/status/<int:number>", views.status_list, name="status_list"),
]
