"""The learner's pages: dashboard « Mes cours », enrol and unenrol."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import course_queryset_editable_by, course_queryset_visible_to
from sankore.core.errors import ServiceError
from sankore.learning import selectors, services


def _back_to(request: HttpRequest, run: CourseRun) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = run.get_absolute_url()
    return redirect(target)


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/dashboard.html",
        {
            "dashboard": selectors.learner_dashboard(user=request.user),  # type: ignore[arg-type]
            "can_author": course_queryset_editable_by(user=request.user).exists(),
        },
    )


@require_POST
@login_required
def enrol(request: HttpRequest, run_id: int) -> HttpResponse:
    # Only sessions the learner may see: an unpublished one is a 404, like its page.
    visible = CourseRun.objects.filter(
        is_published=True, course__in=course_queryset_visible_to(user=request.user)
    )
    run = get_object_or_404(visible.select_related("course"), pk=run_id)
    try:
        services.enrolment_create(user=request.user, course_run=run)  # type: ignore[arg-type]
    except services.AlreadyEnrolledError as error:
        messages.info(request, error.message)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _enrolled_message(run))
    return _back_to(request, run)


@require_POST
@login_required
def unenrol(request: HttpRequest, run_id: int) -> HttpResponse:
    # Sessions the learner is enrolled in, even if since unpublished; any other id is a 404.
    enrolled = CourseRun.objects.filter(
        enrolments__user_id=cast(int, request.user.pk), enrolments__is_active=True
    )
    run = get_object_or_404(enrolled.select_related("course"), pk=run_id)
    try:
        services.enrolment_deactivate(user=request.user, course_run=run)  # type: ignore[arg-type]
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _unenrolled_message(run))
    return _back_to(request, run)


def _enrolled_message(run: CourseRun) -> str:
    return gettext("Vous êtes inscrit à « %(course)s ».") % {"course": run.course.title}


def _unenrolled_message(run: CourseRun) -> str:
    return gettext("Vous êtes désinscrit de « %(course)s ».") % {"course": run.course.title}
