"""The course team's results page of a sitting: the scores typed in (one form, saved whole
or not at all), a CSV file imported, the on-platform exam's scores collected, and the
jury's validation. Every decision is the services' (``results``, ``results_platform``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sankore.accounts.models import User
from sankore.exams import result_selectors, results, results_csv, results_platform, selectors
from sankore.exams.display import centre_zone_label
from sankore.exams.models import ExamMode, ExamSitting
from sankore.exams.permissions import user_can_enter_results
from sankore.exams.result_selectors import CandidateRow
from sankore.exams.results import BatchOutcome, ResultError, ResultRowsError, RowError


class ResultsForm(forms.Form):
    """One text per confirmed candidate: « 12,5 », « ABS », or blank while not entered."""

    def __init__(self, *args: Any, rows: list[CandidateRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            result = row.result
            initial = ""
            if result is not None:
                initial = (
                    "ABS" if result.absent else results.score_label(result.score or Decimal(0))
                )
            self.fields[self.field_name(row.registration.pk)] = forms.CharField(
                label=gettext("Note de la place n° %(seat)s")
                % {"seat": row.registration.seat_number},
                required=False, max_length=20, initial=initial,
            )  # fmt: skip

    @staticmethod
    def field_name(registration_id: int) -> str:
        return f"note_{registration_id}"

    def texts(self) -> dict[int, str]:
        return {int(name.removeprefix("note_")): value for name, value in self.cleaned_data.items()}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV"), help_text=results_csv.FORMAT_HELP)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused from its size before a byte is read.
        if upload.size > results_csv.MAX_BYTES:
            raise forms.ValidationError(
                gettext("Ce fichier dépasse %(size)s Mo : découpez-le.")
                % {"size": results_csv.MAX_BYTES >> 20}
            )
        return upload


def _results_sitting(request: HttpRequest, pk: int) -> ExamSitting:
    sitting = selectors.sitting_public(pk=pk)
    if sitting is None:
        raise Http404
    if not user_can_enter_results(user=request.user, sitting=sitting):
        raise PermissionDenied
    return sitting


def _page(
    request: HttpRequest,
    sitting: ExamSitting,
    *,
    rows: list[CandidateRow],
    form: ResultsForm | None = None,
    import_form: ImportForm | None = None,
    import_errors: list[RowError] | None = None,
    status: int = 200,
) -> HttpResponse:
    form = form or ResultsForm(rows=rows)
    for row in rows:
        row.field = form[ResultsForm.field_name(row.registration.pk)]  # type: ignore[attr-defined]
    return render(
        request,
        "exams/results/page.html",
        {
            "sitting": sitting, "centre": sitting.centre, "rows": rows, "form": form,
            "import_form": import_form or ImportForm(), "import_errors": import_errors or [],
            "counts": result_selectors.result_counts(rows),
            "certificates_missing": any(row.certificate_problem for row in rows),
            "validated": sitting.results_validated_at is not None,
            "on_platform": sitting.mode == ExamMode.PLATFORM,
            "zone_label": centre_zone_label(centre=sitting.centre, at=sitting.starts_at),
        },
        status=status,
    )  # fmt: skip


def _stored_message(outcome: BatchOutcome) -> str:
    return ngettext(
        "%(stored)s résultat enregistré (%(passed)s admis, %(absent)s absents).",
        "%(stored)s résultats enregistrés (%(passed)s admis, %(absent)s absents).",
        outcome.stored,
    ) % {"stored": outcome.stored, "passed": outcome.passed, "absent": outcome.absent}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _results_sitting(request, pk)
    rows = result_selectors.candidates_with_results(sitting=sitting)
    if request.method != "POST":
        return _page(request, sitting, rows=rows)
    assert isinstance(request.user, User)
    form = ResultsForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            outcome = results.results_enter(sitting=sitting, texts=form.texts(), by=request.user)
        except ResultRowsError as refused:
            for error in refused.errors:
                if error.registration_id is not None:
                    form.add_error(ResultsForm.field_name(error.registration_id), error.message)
            messages.error(request, refused.message)
        except ResultError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _stored_message(outcome))
            return redirect("exams:results", sitting.pk)
    return _page(request, sitting, rows=rows, form=form, status=400)


@require_POST
@login_required
def results_import(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _results_sitting(request, pk)
    assert isinstance(request.user, User)
    import_form = ImportForm(request.POST, request.FILES)
    import_errors: list[RowError] = []
    if import_form.is_valid():
        data = import_form.cleaned_data["file"].read()
        try:
            outcome = results.results_import(sitting=sitting, data=data, by=request.user)
        except ResultRowsError as refused:
            import_errors = refused.errors
            messages.error(request, refused.message)
        except ResultError as refused:
            import_form.add_error("file", refused.message)
        else:
            messages.success(
                request,
                gettext("Fichier importé : %(lines)s lignes lues. ")
                % {"lines": outcome.stored + outcome.unchanged}
                + _stored_message(outcome),
            )
            return redirect("exams:results", sitting.pk)
    rows = result_selectors.candidates_with_results(sitting=sitting)
    return _page(
        request, sitting, rows=rows, import_form=import_form, import_errors=import_errors,
        status=400,
    )  # fmt: skip


@require_POST
@login_required
def results_collect(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _results_sitting(request, pk)
    assert isinstance(request.user, User)
    try:
        collected = results_platform.results_collect_from_platform(sitting=sitting, by=request.user)
    except ResultError as refused:
        messages.error(request, refused.message)
    else:
        message = gettext(
            "Notes relevées sur la plateforme : %(stored)s enregistrées (%(passed)s admis, "
            "%(absent)s absents)."
        ) % {"stored": collected.stored, "passed": collected.passed, "absent": collected.absent}
        if collected.kept:
            message += " " + ngettext(
                "%(kept)s note saisie à la main est conservée.",
                "%(kept)s notes saisies à la main sont conservées.",
                collected.kept,
            ) % {"kept": collected.kept}
        messages.success(request, message)
    return redirect("exams:results", sitting.pk)


@require_POST
@login_required
def results_validate(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _results_sitting(request, pk)
    assert isinstance(request.user, User)
    try:
        results.results_validate(sitting=sitting, by=request.user)
    except ResultError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            gettext(
                "Résultats validés : les certificats des candidats admis sont délivrés et "
                "chaque candidat est informé par courriel."
            ),
        )
    return redirect("exams:results", sitting.pk)


@require_POST
@login_required
def results_publish_retry(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _results_sitting(request, pk)
    assert isinstance(request.user, User)
    try:
        results.results_publish_retry(sitting=sitting, by=request.user)
    except ResultError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("Délivrance des certificats relancée."))
    return redirect("exams:results", sitting.pk)
