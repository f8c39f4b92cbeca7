"""The programme staff's import pages: upload a file and read its dry run, confirm, follow
the application's progress (htmx polling, or a refresh link without JavaScript)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.accounts.permissions import user_is_programme_staff
from sankore.core.errors import ServiceError
from sankore.federation import services
from sankore.federation.models import ImportFormat, ImportJob

MAX_FILE_BYTES = 8 * 1024 * 1024


def programme_staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_is_programme_staff(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    platform = forms.CharField(
        label=_("Plateforme d'hébergement"), max_length=100,
        help_text=_("Son nom tel que les apprenants le liront, par exemple « FUN MOOC »."),
    )  # fmt: skip
    file = forms.FileField(label=_("Fichier"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux (8 Mo au plus)."))
        return upload


@require_http_methods(["GET", "POST"])
@programme_staff_view
def imports(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.import_job_plan(
            format=form.cleaned_data["format"], platform=form.cleaned_data["platform"],
            file_name=upload.name, content=upload.read(),
            requested_by=request.user,  # type: ignore[arg-type]
        )  # fmt: skip
        return redirect("studio:import_job", job.pk)
    return render(
        request,
        "federation/imports.html",
        {"form": form, "jobs": services.import_jobs_recent()},
        status=400 if form.is_bound else 200,
    )


def _job_context(job: ImportJob) -> dict[str, Any]:
    done = services.import_job_progress(job=job)
    percent = round(100 * done / job.total) if job.total else 0
    return {
        "job": job, "finished": job.is_finished,
        "done": done, "percent": 100 if job.is_finished and not job.total else percent,
    }  # fmt: skip


@require_safe
@programme_staff_view
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)
    context = _job_context(job)
    if request.headers.get("HX-Request"):
        return render(request, "federation/progress_fragment.html", context)
    return render(request, "federation/import_job.html", context)


@require_POST
@programme_staff_view
def import_apply(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)
    try:
        services.import_job_confirm(job=job)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, gettext("Importation lancée."))
    return redirect("studio:import_job", job.pk)
