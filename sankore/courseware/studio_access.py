"""Who may open a studio page: the one decorator every studio view of every app uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import user_can_edit_course
from sankore.catalog.selectors import course_time_zone

View = Callable[..., HttpResponseBase]


def _editable_run(request: HttpRequest, run_id: int) -> CourseRun:
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    if not user_can_edit_course(user=request.user, course=run.course):
        raise PermissionDenied
    return run


def studio_view(view: View) -> View:
    """Login required, the session editable by the user, its institution's time zone on."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, run_id: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        run = _editable_run(request, run_id)
        with timezone.override(course_time_zone(course=run.course)):
            return view(request, run, *args, **kwargs)

    return wrapper
