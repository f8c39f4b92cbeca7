from django.urls import path

from sankore.partnerships import programme_views, sponsor_views, views

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("idees/", views.idea_list, name="ideas"),
    path("idees/nouvelle/", views.idea_create, name="idea_create"),
    path("idees/<int:pk>/", views.idea_detail, name="idea"),
    path("etablissements/<slug:slug>/", views.profile_detail, name="profile"),
    path("etablissements/<slug:slug>/modifier/", views.profile_edit, name="profile_edit"),
    path("etablissements/<slug:slug>/proposer/", views.propose, name="propose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/convention/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/signer/", views.sign, name="sign"),
    path("programme/", programme_views.dashboard, name="programme"),
    path("programme/partenariats.csv", programme_views.partnerships_csv, name="programme_csv"),
    path("programme/ponderations/", programme_views.weights, name="programme_weights"),
    path("<int:pk>/convention.pdf", programme_views.agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    # Private partners: contributions and vouchers (programme staff), a learner's voucher.
    path("soutiens/", sponsor_views.contribution_list, name="sponsors"),
    path("soutiens/nouveau/", sponsor_views.contribution_create, name="sponsor_create"),
    path("soutiens/<int:pk>/", sponsor_views.contribution_detail, name="sponsor"),
    path("soutiens/<int:pk>/bons.csv", sponsor_views.vouchers_csv, name="sponsor_vouchers_csv"),
    path("bons/", sponsor_views.voucher_redeem, name="voucher_redeem"),
]
