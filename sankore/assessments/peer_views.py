"""The studio's open responses of a session, for its course team: the list (by status,
paginated), one response with its reviews, the team's grading and its audit log, and the
response's file. The delay rule is applied to the session when the list is opened."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sankore.accounts.models import User
from sankore.assessments import peer
from sankore.assessments import peer_selectors as selectors
from sankore.assessments.models import OpenResponseStatus
from sankore.assessments.peer_files import response_file_response
from sankore.assessments.peer_rubric import score_percent
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware import selectors as courseware
from sankore.courseware.studio_access import studio_view

PAGE_SIZE = 50


class ResponseFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), required=False,
        choices=[("", _("Toutes")), *OpenResponseStatus.choices],
    )  # fmt: skip
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


def _block_titles(run: CourseRun) -> dict[str, str]:
    publication = courseware.publication_current(course_run_id=run.pk)
    if publication is None:
        return {}
    return {
        block["key"]: block.get("title") or gettext("Réponse ouverte")
        for unit in courseware.outline_of(publication).units()
        for block in unit.blocks
    }


@require_safe
@studio_view
def open_responses(request: HttpRequest, run: CourseRun) -> HttpResponse:
    peer.peer_deadlines_apply(course_run=run)
    form = ResponseFilter(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.open_responses_of_run(course_run=run, status=data.get("status") or "")
    page = Paginator(rows, PAGE_SIZE).get_page(data.get("page") or 1)
    titles = _block_titles(run)
    for row in page:
        row.block_title = titles.get(row.block_key, row.block_key)  # type: ignore[attr-defined]
        row.percent = score_percent(row.score)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/studio/open_responses.html",
        {"run": run, "course": run.course, "form": form, "page": page, "query": query.urlencode()},
    )  # fmt: skip


@studio_view
def open_response_detail(request: HttpRequest, run: CourseRun, public_id: str) -> HttpResponse:
    response = selectors.open_response_for_staff(course_run=run, public_id=public_id)
    if response is None:
        raise Http404
    response = peer.peer_grade_finalise(response_id=response.pk)
    error = ""
    if request.method == "POST":
        try:
            peer.peer_grade_override(
                response=response,
                scores={
                    name.removeprefix("critere-"): str(value)[:16]
                    for name, value in request.POST.items()
                    if name.startswith("critere-")
                },
                reason=request.POST.get("reason", "")[:2000],
                changed_by=cast(User, request.user),
            )
        except ServiceError as refused:
            error = str(refused.message)
        else:
            messages.success(request, gettext("Note enregistrée."))
            return redirect("studio:open_response", run.pk, response.public_id)
    response.refresh_from_db()
    return render(
        request,
        "assessments/studio/open_response.html",
        {"run": run, "course": run.course, "response": response, "error": error,
         "title": _block_titles(run).get(response.block_key, response.block_key),
         "percent": score_percent(response.score),
         "reviews": list(selectors.reviews_of_response(response=response)),
         "changes": list(selectors.grade_changes_of_response(response=response)),
         "reason": request.POST.get("reason", "") if error else ""},
    )  # fmt: skip


@require_safe
@studio_view
def open_response_file(request: HttpRequest, run: CourseRun, public_id: str) -> HttpResponseBase:
    response = selectors.open_response_for_staff(course_run=run, public_id=public_id)
    if response is None or not response.file:
        raise Http404
    return response_file_response(request, response, anonymous=False)
