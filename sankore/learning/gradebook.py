"""The gradebook of a session, for its course team: every enrolled learner with their
grade, filters, pages, a streamed CSV export, and per-learner detail with corrections.

It lives with the enrolments (this app), reading grades through the assessments selectors;
its URLs sit in the studio's namespace.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sankore.accounts.models import User
from sankore.assessments import selectors as assessments
from sankore.assessments import services as assessment_services
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware import selectors as courseware
from sankore.courseware.studio_access import studio_view
from sankore.learning.models import Enrolment

PAGE_SIZE = 50


class GradebookFilter(forms.Form):
    q = forms.CharField(label=_("Nom ou adresse"), required=False, max_length=100)
    passed = forms.ChoiceField(
        label=_("Réussite"),
        required=False,
        choices=[("", _("Tous")), ("oui", _("Seuil atteint")), ("non", _("Seuil non atteint"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    percent = forms.DecimalField(
        label=_("Note corrigée (%)"), required=False, min_value=0, max_value=100,
        max_digits=5, decimal_places=2, help_text=_("Vide : revenir à la note calculée."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Motif (obligatoire)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def _learners(run: CourseRun, data: dict[str, Any]) -> QuerySet[Enrolment]:
    """The session's active learners, filtered and in name order; grades are read only
    where a filter needs them (``EXISTS``), so a deep page does not compute the grades of
    every learner before it."""
    rows = (
        Enrolment.objects.filter(course_run=run, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    if data.get("q"):
        rows = rows.filter(
            Q(user__full_name__icontains=data["q"]) | Q(user__email__icontains=data["q"])
        )
    passed = assessments.grades_of_run(course_run=run).filter(
        user_id=OuterRef("user_id"), passed=True
    )
    if data.get("passed") == "oui":
        rows = rows.filter(Exists(passed))
    elif data.get("passed") == "non":
        rows = rows.filter(~Exists(passed))  # no grade yet is not passed either
    return rows


def _rows(run: CourseRun, data: dict[str, Any]) -> QuerySet[Enrolment]:
    """The learners with their grade in columns, for the CSV export that reads them all."""
    grades = assessments.grades_of_run(course_run=run).filter(user_id=OuterRef("user_id"))
    percent = DecimalField(max_digits=5, decimal_places=2)
    return _learners(run, data).annotate(
        grade_percent=Subquery(grades.values("percent")[:1], output_field=percent),
        grade_override=Subquery(grades.values("override_percent")[:1], output_field=percent),
        grade_passed=Subquery(grades.values("passed")[:1]),
    )


def _with_grades(run: CourseRun, rows: list[Enrolment]) -> list[Enrolment]:
    """The page's learners get their grade (one query for the page)."""
    grades = {
        grade.user_id: grade
        for grade in assessments.grades_of_run(course_run=run).filter(
            user_id__in=[row.user_id for row in rows]
        )
    }
    for row in rows:
        grade = grades.get(row.user_id)
        row.grade_percent = grade.percent if grade else None  # type: ignore[attr-defined]
        row.grade_override = grade.override_percent if grade else None  # type: ignore[attr-defined]
        row.grade_passed = grade.passed if grade else None  # type: ignore[attr-defined]
    return rows


@require_safe
@studio_view
def gradebook(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = GradebookFilter(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_learners(run, data), PAGE_SIZE).get_page(data.get("page") or 1)
    page.object_list = _with_grades(run, list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/gradebook/list.html",
        {"run": run, "course": run.course, "form": form, "page": page, "query": query.urlencode(),
         "policy": assessments.grading_policy(course_run=run)},
    )  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: QuerySet[Enrolment]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(
        [gettext("Nom"), gettext("Adresse"), gettext("Note (%)"), gettext("Note corrigée (%)"),
         gettext("Seuil atteint"), gettext("Inscrit le")]
    )  # fmt: skip
    values = rows.values_list(  # type: ignore[misc]  # annotations django-stubs cannot see
        "user__full_name", "user__email", "grade_percent", "grade_override", "grade_passed",
        "created_at",
    )  # fmt: skip
    for name, email, percent, override, passed, enrolled in values.iterator(chunk_size=2000):
        yield writer.writerow(
            [name, email, _french_number(percent), _french_number(override),
             gettext("oui") if passed else gettext("non"), enrolled.date().isoformat()]
        )  # fmt: skip


def _french_number(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


@require_safe
@studio_view
def gradebook_csv(request: HttpRequest, run: CourseRun) -> StreamingHttpResponse:
    """Every learner of the session, streamed (constant memory, whatever their number)."""
    form = GradebookFilter(request.GET)
    rows = _rows(run, form.cleaned_data if form.is_valid() else {})
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="notes-session-{run.pk}.csv"'
    return response


@studio_view
def learner_detail(request: HttpRequest, run: CourseRun, user_id: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("user"), course_run=run, user_id=user_id
    )
    learner = enrolment.user
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_services.grade_override(
                user=learner, course_run=run, percent=form.cleaned_data["percent"],
                reason=form.cleaned_data["reason"], changed_by=cast(User, request.user),
            )  # fmt: skip
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Note corrigée."))
            return redirect("studio:gradebook_learner", run.pk, learner.pk)
    grade = assessments.learner_grade(user=learner, course_run=run)
    scores = assessments.problem_scores_of_learner(user=learner, course_run=run)
    publication = courseware.publication_current(course_run_id=run.pk)
    problems = []
    if publication is not None:
        for unit in courseware.outline_of(publication).units():
            for block in unit.blocks:
                if block.get("graded") is not None or block["kind"] in _PROBLEM_KINDS:
                    score = scores.get(block["key"])
                    problems.append({"unit": unit, "block": block, "score": score})
    return render(
        request,
        "learning/gradebook/learner.html",
        {"run": run, "course": run.course, "learner": learner, "grade": grade, "form": form,
         "problems": problems,
         "changes": assessments.grade_changes(grade=grade) if grade else []},
    )  # fmt: skip


_PROBLEM_KINDS = {"choice", "numeric", "short_text", "ordering", "matching"}
