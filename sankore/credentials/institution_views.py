"""An institution's documents, for its staff: the template (colour, headings, footers) and
who signs, with their signature image. Studio pages, outside any course."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sankore.accounts.permissions import user_can_manage_institution
from sankore.core.errors import ServiceError
from sankore.credentials import document_templates
from sankore.credentials.models import DocumentTemplate, Signatory, colour_validator
from sankore.institutions.models import Institution


class TemplateForm(forms.Form):
    accent_colour = forms.CharField(
        label=_("Couleur (#rrvvbb)"), max_length=7, validators=[colour_validator],
        widget=forms.TextInput(attrs={"type": "color"}),
    )  # fmt: skip
    heading_fr = forms.CharField(
        label=_("Titre (français)"), max_length=120, required=False,
        help_text=_("Vide : « Attestation de suivi » ou « Certificat »."),
    )  # fmt: skip
    heading_en = forms.CharField(label=_("Titre (anglais)"), max_length=120, required=False)
    footer_fr = forms.CharField(label=_("Pied de page (français)"), max_length=300, required=False)
    footer_en = forms.CharField(label=_("Pied de page (anglais)"), max_length=300, required=False)


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    title_fr = forms.CharField(label=_("Fonction (français)"), max_length=200)
    title_en = forms.CharField(label=_("Fonction (anglais)"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Ordre"), min_value=0, max_value=99, initial=0)
    is_active = forms.BooleanField(label=_("Signe les documents"), required=False, initial=True)
    signature = forms.FileField(
        label=_("Image de la signature (PNG ou JPEG, 2 Mo au plus)"), required=False
    )


def _managed_institution(request: HttpRequest, slug: str) -> Institution:
    institution = get_object_or_404(Institution, slug=slug)
    if not user_can_manage_institution(user=request.user, institution_id=institution.pk):
        raise PermissionDenied
    return institution


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def institution_documents(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _managed_institution(request, slug)
    template = DocumentTemplate.objects.filter(institution=institution).first()
    initial = {"accent_colour": "#1f4e79"}
    if template is not None:
        initial = {name: getattr(template, name) for name in TemplateForm.base_fields}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document_templates.document_template_save(
                institution_id=institution.pk, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("Modèle enregistré : les prochains documents le suivent ; refaites les "
                        "anciens depuis la page des attestations d’une session."),
            )  # fmt: skip
            return redirect("studio:institution_documents", institution.slug)
    return render(
        request,
        "credentials/studio/institution_documents.html",
        {
            "institution": institution, "template": template, "form": form,
            "signatories": Signatory.objects.filter(institution=institution),
            "signatory_form": SignatoryForm(),
        },
    )  # fmt: skip


@require_POST
@login_required
def signatory_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _managed_institution(request, slug)
    form = SignatoryForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("Indiquez le nom et la fonction du signataire."))
        return redirect("studio:institution_documents", institution.slug)
    try:
        document_templates.signatory_save(institution_id=institution.pk, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Signataire ajouté."))
    return redirect("studio:institution_documents", institution.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def signatory_edit(request: HttpRequest, slug: str, signatory_id: int) -> HttpResponse:
    institution = _managed_institution(request, slug)
    signatory = get_object_or_404(Signatory, pk=signatory_id, institution=institution)
    if request.method == "POST" and request.POST.get("action") == "delete":
        document_templates.signatory_delete(signatory=signatory)
        messages.success(request, gettext("Signataire retiré."))
        return redirect("studio:institution_documents", institution.slug)
    form = SignatoryForm(
        request.POST or None,
        request.FILES or None,
        initial={name: getattr(signatory, name) for name in
                 ("name", "title_fr", "title_en", "position", "is_active")},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            document_templates.signatory_save(
                institution_id=institution.pk, signatory=signatory, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Signataire enregistré."))
            return redirect("studio:institution_documents", institution.slug)
    return render(
        request,
        "credentials/studio/signatory.html",
        {"institution": institution, "signatory": signatory, "form": form},
    )
