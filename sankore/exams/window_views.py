"""The centre's staff run a sitting's on-platform exam: the window's state, the buttons to
open it, renew its code and close it, the code in big type to read out, and how many of the
candidates at the door have entered."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from sankore.accounts.models import User
from sankore.core.errors import ServiceError
from sankore.courseware.exam_codes import exam_sitting_code_matches
from sankore.exams import selectors, window
from sankore.exams.display import centre_zone_label
from sankore.exams.models import ExamMode, ExamSitting
from sankore.exams.permissions import user_can_manage_centre, user_can_manage_sitting

# The clear code is kept in the session of the staff member who drew it, and nowhere else:
# the database has only its digest, so that a copy of the database (a backup, a replica)
# lets no one into an exam. The session lets that person reload the page, or come back to
# it, during the exam. Another surveillant does not see it: they ask their colleague, or
# draw a new code — which is also what a leaked code calls for (the old one stops working,
# those already in stay in). The shared cache would have been the other place; it would
# show the code to anyone reaching any server process, and the digest would protect nothing.
_SESSION_KEY = "exams:window-code:{pk}"


class WindowOpenForm(forms.Form):
    # Left blank, the sitting's duration; its bounds are the service's (with extra time).
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), required=False)


def _platform_sitting(request: HttpRequest, pk: int) -> ExamSitting:
    sitting = selectors.sitting_public(pk=pk)
    if sitting is None or sitting.mode != ExamMode.PLATFORM:
        raise Http404
    if not user_can_manage_sitting(user=request.user, sitting=sitting):
        raise PermissionDenied
    return sitting


def _code_shown(request: HttpRequest, sitting: ExamSitting) -> str:
    """The code this staff member drew, while it is still the window's."""
    code = request.session.get(_SESSION_KEY.format(pk=sitting.pk), "")
    if code and exam_sitting_code_matches(
        code=code, digest=sitting.access_code_digest, sitting_id=sitting.pk
    ):
        return str(code)
    return ""


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_safe
@login_required
def window_page(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _platform_sitting(request, pk)
    now = timezone.now()
    summary = window.window_summary(sitting=sitting, now=now)
    code = _code_shown(request, sitting) if summary.state == window.WindowState.OPEN else ""
    return render(
        request,
        "exams/staff/window.html",
        {
            "sitting": sitting, "centre": sitting.centre, "summary": summary,
            "code": code,
            "code_groups": [code[:3], code[3:]] if code else [],
            "may_run": user_can_manage_centre(user=request.user, centre=sitting.centre),
            "form": WindowOpenForm(initial={"duration_minutes": sitting.duration_minutes}),
            "max_minutes": sitting.duration_minutes + window.EXTRA_MINUTES_MAX,
            "zone_label": centre_zone_label(centre=sitting.centre, at=sitting.starts_at),
        },
    )  # fmt: skip


def _keep_code(request: HttpRequest, sitting: ExamSitting, code: str) -> None:
    request.session[_SESSION_KEY.format(pk=sitting.pk)] = code


@require_POST
@login_required
def window_open(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _platform_sitting(request, pk)
    form = WindowOpenForm(request.POST)
    if not form.is_valid():
        # A duration typed but unreadable (« abc », « 1e3 ») opens nothing: replaced by the
        # sitting's own, it would open the window for a time nobody chose.
        messages.error(request, " ".join(str(e) for e in form.errors["duration_minutes"]))
        return redirect("exams:window", sitting.pk)
    minutes = form.cleaned_data["duration_minutes"]
    try:
        opened = window.exam_window_open(
            sitting=sitting, by=_staff(request), duration_minutes=minutes
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        _keep_code(request, sitting, opened.code)
        messages.success(request, gettext("Épreuve ouverte : lisez le code aux candidats."))
    return redirect("exams:window", sitting.pk)


@require_POST
@login_required
def window_code_renew(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _platform_sitting(request, pk)
    try:
        renewed = window.exam_window_code_renew(sitting=sitting, by=_staff(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        _keep_code(request, sitting, renewed.code)
        messages.success(
            request, gettext("Nouveau code : l'ancien ne fonctionne plus. Lisez celui-ci.")
        )
    return redirect("exams:window", sitting.pk)


@require_POST
@login_required
def window_close(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _platform_sitting(request, pk)
    try:
        window.exam_window_close(sitting=sitting, by=_staff(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        request.session.pop(_SESSION_KEY.format(pk=sitting.pk), None)
        messages.success(request, gettext("Épreuve fermée : elle ne prend plus de réponse."))
    return redirect("exams:window", sitting.pk)
