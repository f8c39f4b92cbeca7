"""The programme's pool of experts (programme staff: the list, a person added or changed with
their institution, disciplines, regions, languages and load) and an expert's own declaration
of the institutions they have links with, once for every call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from sankore.accounts.models import User
from sankore.calls import reviewing
from sankore.calls.editing_views import programme_only
from sankore.calls.models import Expert
from sankore.calls.views import _user
from sankore.catalog.models import Discipline
from sankore.core.errors import ServiceError
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution


class ExpertForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de son compte"),
        help_text=_("La personne a déjà un compte sur la plateforme."),
    )
    institution = forms.ModelChoiceField(
        label=_("Établissement"), queryset=Institution.objects.order_by("name"), required=False,
        empty_label=_("aucun (experte ou expert indépendant)"),
    )  # fmt: skip
    disciplines = forms.ModelMultipleChoiceField(
        label=_("Disciplines"), queryset=Discipline.objects.order_by("position", "name_fr"),
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    regions = forms.MultipleChoiceField(
        label=_("Régions connues"), choices=Region.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    languages = forms.CharField(
        label=_("Langues de travail"), max_length=100, required=False,
        help_text=_("Leurs codes, séparés par des virgules : fr, en, ar, pt…"),
    )  # fmt: skip
    linked_institutions = forms.ModelMultipleChoiceField(
        label=_("Liens déclarés"), queryset=Institution.objects.order_by("name"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Les établissements avec lesquels la personne a un lien : aucune de leurs "
                    "candidatures ne lui sera confiée."),
    )  # fmt: skip
    max_load = forms.IntegerField(
        label=_("Candidatures au plus par appel"), min_value=1, max_value=60, initial=8
    )
    active = forms.BooleanField(label=_("Actif dans le vivier"), required=False, initial=True)


def _initial(expert: Expert) -> dict[str, Any]:
    return {
        "email": expert.user.email, "institution": expert.institution_id,
        "disciplines": list(expert.disciplines.all()), "regions": expert.regions,
        "languages": ", ".join(expert.languages),
        "linked_institutions": list(expert.linked_institutions.all()),
        "max_load": expert.max_load, "active": expert.active,
    }  # fmt: skip


@require_safe
@programme_only
def expert_list(request: HttpRequest) -> HttpResponse:
    """The pool, in a fixed number of queries whatever its size."""
    experts = (
        Expert.objects.select_related("user", "institution")
        .prefetch_related(Prefetch("disciplines", queryset=Discipline.objects.order_by("name_fr")))
        .annotate(panel_count=Count("panels", distinct=True))
        .order_by("user__full_name", "pk")
    )
    return render(request, "calls/pool/expert_list.html", {"experts": experts})


@require_http_methods(["GET", "HEAD", "POST"])
@programme_only
def expert_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    expert = get_object_or_404(Expert.objects.select_related("user"), pk=pk) if pk else None
    form = ExpertForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(expert) if expert else None,
    )
    if expert is not None:
        form.fields["email"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = expert.user if expert else User.objects.filter(email__iexact=data["email"]).first()
        if person is None:
            form.add_error("email", gettext("Aucun compte n'a cette adresse."))
        elif expert is None and Expert.objects.filter(user=person).exists():
            form.add_error("email", gettext("Cette personne fait déjà partie du vivier."))
        else:
            try:
                saved = reviewing.expert_save(
                    user=person, by=_user(request), institution=data["institution"],
                    disciplines=data["disciplines"], regions=data["regions"],
                    languages=[code for code in data["languages"].split(",") if code.strip()],
                    linked_institutions=data["linked_institutions"],
                    max_load=data["max_load"], active=data["active"],
                )  # fmt: skip
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request, gettext("%(name)s : fiche d'expert enregistrée.") % {"name": saved}
                )
                return redirect("calls:expert_list")
    return render(
        request, "calls/pool/expert_form.html", {"form": form, "expert": expert},
        status=400 if form.errors else 200,
    )  # fmt: skip


class LinksForm(forms.Form):
    institutions = forms.ModelMultipleChoiceField(
        label=_("Établissements avec lesquels vous avez un lien"),
        queryset=Institution.objects.order_by("name"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Ancien employeur, projet commun en cours, lien familial ou financier… "
                    "Aucune candidature de ces établissements ne vous sera confiée, dans aucun "
                    "appel."),
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def my_links(request: HttpRequest) -> HttpResponse:
    expert = Expert.objects.filter(user=_user(request)).first()
    if expert is None:
        raise Http404
    form = LinksForm(
        request.POST if request.method == "POST" else None,
        initial={"institutions": list(expert.linked_institutions.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviewing.expert_links_declare(
                expert=expert, by=_user(request), institutions=form.cleaned_data["institutions"]
            )
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("Vos liens sont enregistrés."))
            return redirect("calls:reviewer_home")
    return render(
        request, "calls/pool/my_links.html", {"form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip
