"""The course team's pages for a session's credentials: list and filter, one credential
(revoke, new document, audit trail), certificate for one learner, bulk jobs and progress."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.accounts.models import User
from sankore.accounts.permissions import user_can_manage_institution
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware.studio_access import View, studio_view
from sankore.credentials import bulk, selectors, services
from sankore.credentials.models import (
    BulkIssue,
    BulkStatus,
    CourseCredentialSettings,
    Credential,
    CredentialDocument,
    CredentialKind,
    CredentialStatus,
    IssueBasis,
)
from sankore.credentials.permissions import user_can_manage_credentials

PAGE_SIZE = 50


def credentials_view(view: View) -> View:
    """A studio page of the session that only those who certify may open (not tutors)."""

    @studio_view
    @wraps(view)
    def wrapper(request: HttpRequest, run: CourseRun, *args: Any, **kwargs: Any) -> Any:
        if not user_can_manage_credentials(user=request.user, course=run.course):
            raise PermissionDenied
        return view(request, run, *args, **kwargs)

    return wrapper


class CredentialFilter(forms.Form):
    q = forms.CharField(label=_("Nom, adresse ou identifiant"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous")), *CredentialKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous")), *CredentialStatus.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation (obligatoire, public)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class CertificateForm(forms.Form):
    email = forms.EmailField(label=_("Adresse de l'apprenant"))


class SettingsForm(forms.Form):
    print_grade = forms.BooleanField(
        label=_("Imprimer la note obtenue sur les documents délivrés à partir de maintenant"),
        required=False,
    )


class BulkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=CredentialKind.choices)
    regenerate = forms.BooleanField(
        label=_("Refaire les documents déjà délivrés (après un changement de modèle)"),
        required=False,
    )


def _run_credential(run: CourseRun, identifier: str) -> Credential:
    credential = Credential.objects.filter(course_run=run, identifier=identifier).first()
    if credential is None:
        raise Http404
    return credential


@require_safe
@credentials_view
def credential_list(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = CredentialFilter(request.GET)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = selectors.credentials_of_run(
        course_run=run, kind=data.get("kind", ""), status=data.get("status", ""),
        query=data.get("q", ""),
    )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(data.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "credentials/studio/list.html",
        {
            "run": run, "course": run.course, "form": form, "page": page,
            "query": query.urlencode(), "bulk_form": BulkForm(),
            "certificate_form": CertificateForm(),
            "offers_certificate": run.course.offers_certificate or bool(run.course.ects_credits),
            "jobs": BulkIssue.objects.filter(course_run=run)[:5],
            "managed_owners": [
                owner for owner in run.course.owners.all()
                if user_can_manage_institution(user=request.user, institution_id=owner.pk)
            ],
            "documents_with_warnings": CredentialDocument.objects.filter(
                credential__course_run=run, superseded_at__isnull=True
            ).exclude(warnings=[]).count(),
            "settings_form": SettingsForm(
                initial={"print_grade": CourseCredentialSettings.objects.filter(
                    course_id=run.course_id, print_grade=True).exists()}
            ),
        },
    )  # fmt: skip


@require_POST
@credentials_view
def credential_settings(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = SettingsForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    services.course_credential_settings_set(
        course_id=run.course_id, print_grade=form.cleaned_data.get("print_grade", False)
    )
    messages.success(request, gettext("Réglages enregistrés."))
    return redirect("studio:credentials", run.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@credentials_view
def credential_detail(request: HttpRequest, run: CourseRun, identifier: str) -> HttpResponse:
    credential = _run_credential(run, identifier)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_revoke(
                credential=credential, reason=form.cleaned_data["reason"],
                revoked_by=request.user,  # type: ignore[arg-type]
            )  # fmt: skip
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Le document est révoqué ; sa page publique le dit."))
            return redirect("studio:credential", run.pk, credential.identifier)
    return render(
        request,
        "credentials/studio/detail.html",
        {
            "run": run, "course": run.course, "credential": credential, "form": form,
            "documents": credential.documents.all(),
            "events": credential.events.select_related("actor"),
        },
    )  # fmt: skip


@require_POST
@credentials_view
def credential_regenerate(request: HttpRequest, run: CourseRun, identifier: str) -> HttpResponse:
    credential = _run_credential(run, identifier)
    try:
        with transaction.atomic():
            services.credential_regenerate(credential=credential, actor=request.user)  # type: ignore[arg-type]
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, gettext("Un nouveau document est en préparation ; l’ancien reste vérifiable.")
        )
    return redirect("studio:credential", run.pk, credential.identifier)


@require_POST
@credentials_view
def certificate_issue(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = CertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Indiquez une adresse électronique valide."))
        return redirect("studio:credentials", run.pk)
    # Looked up among the session's learners only: the form tells nothing of other accounts.
    holder = User.objects.filter(
        email__iexact=form.cleaned_data["email"],
        enrolments__course_run=run,
        enrolments__is_active=True,
    ).first()
    if holder is None:
        messages.error(request, gettext("Aucun apprenant de la session n’a cette adresse."))
        return redirect("studio:credentials", run.pk)
    try:
        with transaction.atomic():
            credential, created = services.credential_issue(
                holder=holder, course_run=run, kind=CredentialKind.CERTIFICATE,
                basis=IssueBasis.TEAM, issued_by=request.user,  # type: ignore[arg-type]
            )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("studio:credentials", run.pk)
    if created:
        messages.success(request, gettext("Certificat délivré ; son document est en préparation."))
    else:
        messages.info(request, gettext("Cette personne a déjà un certificat pour cette session."))
    return redirect("studio:credential", run.pk, credential.identifier)


@require_POST
@credentials_view
def bulk_issue(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choisissez le type de document."))
        return redirect("studio:credentials", run.pk)
    try:
        with transaction.atomic():
            job = bulk.bulk_issue_request(
                course_run=run, kind=form.cleaned_data["kind"],
                requested_by=request.user,  # type: ignore[arg-type]
                regenerate=form.cleaned_data["regenerate"],
            )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("studio:credentials", run.pk)
    return redirect("studio:credential_job", run.pk, job.pk)


@require_safe
@credentials_view
def bulk_progress(request: HttpRequest, run: CourseRun, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkIssue, pk=job_id, course_run=run)
    finished = job.status in (BulkStatus.DONE, BulkStatus.FAILED)
    percent = round(100 * job.processed / job.total) if job.total else 0
    context = {
        "run": run, "course": run.course, "job": job, "finished": finished,
        "percent": 100 if finished and not job.total else percent,
    }  # fmt: skip
    if request.headers.get("HX-Request"):
        return render(request, "credentials/studio/progress_fragment.html", context)
    return render(request, "credentials/studio/progress.html", context)
