"""The barème page of the studio (the course team's), beside the courseware's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from sankore.assessments.forms import GradingPolicyForm
from sankore.assessments.selectors import grading_policy
from sankore.assessments.services import grading_policy_set, policy_as_text, policy_lines_parse
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware.studio_access import studio_view


@studio_view
def grading(request: HttpRequest, run: CourseRun) -> HttpResponse:
    """The session's barème; grades already computed follow at the learners' next answers."""
    policy = grading_policy(course_run=run)
    initial: dict[str, Any] = {
        "passing_percent": policy.passing_percent if policy else 50,
        "types": policy_as_text(policy) if policy else "Quiz ; 100 ; 0",
    }
    form = GradingPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grading_policy_set(
                course_run=run,
                passing_percent=form.cleaned_data["passing_percent"],
                types=policy_lines_parse(form.cleaned_data["types"]),
            )
        except ServiceError as error:
            form.add_error("types", error.message)
        else:
            messages.success(request, gettext("Barème enregistré."))
            return redirect("studio:grading", run.pk)
    return render(
        request,
        "assessments/studio/grading.html",
        {"run": run, "course": run.course, "form": form, "policy": policy},
    )
