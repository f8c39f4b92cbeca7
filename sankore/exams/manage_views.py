"""Staff pages of the exams app: the hub that lists what a person runs, a centre's
dashboard and its new sittings, a session's registrations by country, and a sitting's
incident reports. Each page checks its permission on the server; the services decide."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.credentials.permissions import user_can_manage_credentials
from sankore.exams import dashboards, incidents, services
from sankore.exams.display import centre_zone_label
from sankore.exams.forms import IncidentForm, SittingForm
from sankore.exams.models import ExamCentre, ExamRegistration, ExamSitting, RegistrationStatus
from sankore.exams.permissions import user_can_manage_centre
from sankore.exams.staff_views import managed_sitting


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _managed_centre(request: HttpRequest, slug: str) -> ExamCentre:
    centre = ExamCentre.objects.select_related("institution").filter(institution__slug=slug).first()
    if centre is None:
        raise Http404
    if not user_can_manage_centre(user=request.user, centre=centre):
        raise PermissionDenied
    return centre


def _labelled(sittings: list[ExamSitting]) -> list[ExamSitting]:
    for sitting in sittings:
        sitting.zone_label = centre_zone_label(centre=sitting.centre, at=sitting.starts_at)  # type: ignore[attr-defined]
        sitting.fill_percent = dashboards.fill_percent(sitting)  # type: ignore[attr-defined]
    return sittings


@require_safe
@login_required
def hub(request: HttpRequest) -> HttpResponse:
    centres = list(dashboards.centres_managed_by(user=request.user))
    runs = list(dashboards.runs_with_sittings_managed_by(user=request.user))
    if not centres and not runs:
        raise PermissionDenied
    return render(request, "exams/manage/hub.html", {"centres": centres, "runs": runs})


@require_safe
@login_required
def centre_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _managed_centre(request, slug)
    board = dashboards.centre_dashboard(centre=centre, now=timezone.now())
    _labelled(board.upcoming)
    _labelled(board.recent)
    return render(
        request,
        "exams/manage/centre_dashboard.html",
        {"centre": centre, "board": board, "zone": centre.institution.time_zone},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sitting_create(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _managed_centre(request, slug)
    # Bound on every POST, an empty one too (``POST or None`` would show it again unbound,
    # without a word).
    form = SittingForm(request.POST if request.method == "POST" else None, centre=centre)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.exam_sitting_create(
                centre=centre, created_by=_staff(request), **form.service_arguments()
            )
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("La session d’examen est créée."))
            for notice in created.notices:
                messages.warning(request, notice)
            return redirect("exams:centre_dashboard", centre.institution.slug)
    return render(
        request,
        "exams/manage/sitting_form.html",
        {
            "centre": centre, "form": form,
            "zone_label": centre_zone_label(centre=centre, at=timezone.now()),
        },
    )  # fmt: skip


@require_safe
@login_required
def run_dashboard(request: HttpRequest, run_id: int) -> HttpResponse:
    course_run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    if not user_can_manage_credentials(user=request.user, course=course_run.course):
        raise PermissionDenied
    board = dashboards.course_run_dashboard(course_run=course_run)
    _labelled(board.sittings)
    return render(
        request, "exams/manage/run_dashboard.html", {"course_run": course_run, "board": board}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sitting_incidents(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = managed_sitting(request, pk)
    can_report = user_can_manage_centre(user=request.user, centre=sitting.centre)
    candidates = (
        ExamRegistration.objects.filter(sitting=sitting, status=RegistrationStatus.CONFIRMED)
        .select_related("learner")
        .order_by("seat_number")
    )
    form = IncidentForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                incidents.incident_report(
                    sitting=sitting, by=_staff(request), kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                    registration=form.cleaned_data["registration"],
                    occurred_at=_centre_moment(sitting, form.cleaned_data["occurred_time"]),
                )  # fmt: skip
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, gettext("L’incident est consigné."))
                return redirect("exams:incidents", sitting.pk)
    return render(
        request,
        "exams/manage/incidents.html",
        {
            "sitting": sitting, "centre": sitting.centre, "form": form,
            "can_report": can_report, "incidents": list(dashboards.incidents_of(sitting=sitting)),
            "zone": sitting.centre.institution.time_zone,
            "zone_label": centre_zone_label(centre=sitting.centre, at=sitting.starts_at),
        },
    )  # fmt: skip


def _centre_moment(sitting: ExamSitting, at: datetime.time | None) -> datetime.datetime | None:
    """The time typed is the centre's wall clock on the sitting's day."""
    if at is None:
        return None
    zone = sitting.centre.zone
    day = sitting.starts_at.astimezone(zone).date()
    return datetime.datetime.combine(day, at, tzinfo=zone)
