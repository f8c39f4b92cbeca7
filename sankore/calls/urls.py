from django.urls import path

from sankore.calls import editing_views, pool_views, review_views, staff_views, views

app_name = "calls"

# The literal first segments (« programme », « candidatures »…) come before « <slug:slug>/ »,
# and a call may not be named like one of them (``services.RESERVED_SLUGS``).
urlpatterns = [
    path("", views.call_list, name="list"),
    path("programme/", editing_views.programme_list, name="programme_list"),
    path("programme/nouveau/", editing_views.call_new, name="call_new"),
    path("programme/experts/", pool_views.expert_list, name="expert_list"),
    path("programme/experts/nouveau/", pool_views.expert_edit, name="expert_new"),
    path("programme/experts/<int:pk>/", pool_views.expert_edit, name="expert_edit"),
    path("mes-candidatures/", views.my_applications, name="mine"),
    path("candidatures/<int:pk>/", views.application_detail, name="application"),
    path("candidatures/<int:pk>/enregistrer/", views.application_save, name="application_save"),
    path("candidatures/<int:pk>/accuse.pdf", views.receipt_download, name="application_receipt"),
    path("candidatures/<int:pk>/decision/", staff_views.decide, name="decide"),
    path("pieces/<int:pk>/", views.attachment_download, name="attachment"),
    path("candidatures/<int:pk>/dossier.pdf", staff_views.application_pdf, name="application_pdf"),
    path("candidatures/<int:pk>/<slug:action>/", views.application_act, name="application_act"),
    path("expertise/", review_views.reviewer_home, name="reviewer_home"),
    path("expertise/liens/", pool_views.my_links, name="my_links"),
    path("evaluations/<int:pk>/", review_views.review_form, name="review"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/candidater/", views.application_start, name="start"),
    path("<slug:slug>/modifier/", editing_views.call_edit, name="call_edit"),
    path("<slug:slug>/modifier/publier/", editing_views.call_publish, name="call_publish"),
    path("<slug:slug>/modifier/archiver/", editing_views.call_archive, name="call_archive"),
    path("<slug:slug>/modifier/<slug:kind>/ajouter/", editing_views.part_new, name="part_new"),
    path("<slug:slug>/modifier/<slug:kind>/<int:pk>/", editing_views.part_edit, name="part_edit"),
    path(
        "<slug:slug>/modifier/<slug:kind>/<int:pk>/supprimer/",
        editing_views.part_delete,
        name="part_delete",
    ),
    path("<slug:slug>/resultats/", staff_views.results, name="results"),
    path("<slug:slug>/expertise/", review_views.call_expertise, name="expertise"),
    path("<slug:slug>/expertise/souhaits/", review_views.bids_save, name="bids_save"),
    path(
        "<slug:slug>/expertise/conflit/<int:pk>/",
        review_views.conflict_declare,
        name="conflict_declare",
    ),
    # Programme staff: one call's panel, assignment, ranking, decisions and exports.
    path("<slug:slug>/gestion/", staff_views.manage, name="manage"),
    path("<slug:slug>/gestion/comite/ajouter/", staff_views.panel_add, name="panel_add"),
    path(
        "<slug:slug>/gestion/affectation/proposer/",
        staff_views.assignment_propose,
        name="assignment_propose",
    ),
    path(
        "<slug:slug>/gestion/affectation/ajouter/",
        staff_views.assignment_add,
        name="assignment_add",
    ),
    path(
        "<slug:slug>/gestion/affectation/<int:pk>/retirer/",
        staff_views.assignment_remove,
        name="assignment_remove",
    ),
    path(
        "<slug:slug>/gestion/affectation/valider/",
        staff_views.assignment_confirm,
        name="assignment_confirm",
    ),
    path("<slug:slug>/gestion/classement/", staff_views.ranking, name="ranking"),
    path("<slug:slug>/gestion/classement.pdf", staff_views.ranking_pdf, name="ranking_pdf"),
    path(
        "<slug:slug>/gestion/resultats/publier/",
        staff_views.results_publish,
        name="results_publish",
    ),
    path(
        "<slug:slug>/gestion/candidatures.csv",
        staff_views.export_applications,
        name="export_applications",
    ),
    path("<slug:slug>/gestion/evaluations.csv", staff_views.export_reviews, name="export_reviews"),
]
