"""The private partners' pages: programme staff record contributions, create the vouchers of
sponsored seats and download their codes; a learner uses a voucher for an exam fee.

Every page is for signed-in people; the programme's pages answer 403 to anyone else (and a
contribution that does not exist is a 404). A learner only ever sees their own registrations.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from sankore.accounts.models import User
from sankore.core.errors import ServiceError
from sankore.core.text import spreadsheet_cell as cell
from sankore.exams.models import ExamRegistration
from sankore.exams.selectors import registrations_payable_of_learner
from sankore.partnerships import sponsor_selectors as selectors
from sankore.partnerships import sponsors as services
from sankore.partnerships.models import ContributionKind
from sankore.partnerships.sponsor_forms import (
    ContributionForm,
    VoucherBatchForm,
    VoucherRedeemForm,
)

CONTRIBUTIONS_PER_PAGE = 50
VOUCHERS_PER_PAGE = 100


def _programme(request: HttpRequest) -> User:
    """The signed-in programme staff member (``login_required`` ran first), or a 403."""
    user = request.user
    if not isinstance(user, User) or not selectors.user_can_manage_sponsors(user=user):
        raise PermissionDenied
    return user


def _status(form: object) -> int:
    return 400 if getattr(form, "errors", None) else 200


@require_safe
@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    user = _programme(request)
    page_obj = Paginator(selectors.contribution_list(user=user), CONTRIBUTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partnerships/sponsors/contribution_list.html",
        {"page_obj": page_obj, "contributions": page_obj.object_list},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contribution_create(request: HttpRequest) -> HttpResponse:
    user = _programme(request)
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.sponsor_contribution_create(by=user, **form.cleaned_data)
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("La contribution est enregistrée."))
            return redirect("partnerships:sponsor", contribution.pk)
    return render(
        request, "partnerships/sponsors/contribution_form.html", {"form": form},
        status=_status(form),
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The contribution, its vouchers (seats used and left, who redeemed them, when) and, for
    sponsored seats, the form of a new batch of codes (posted here)."""
    user = _programme(request)
    contribution = selectors.contribution_get_for(user=user, pk=pk)
    form = VoucherBatchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.voucher_batch_create(
                by=user, contribution=contribution, seats=data["seats"],
                shared=data["mode"] == VoucherBatchForm.SHARED, course=data["course"],
                expires_on=data["expires_on"],
            )  # fmt: skip
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s bon créé.", "%(count)s bons créés.", len(created))
                % {"count": len(created)},
            )
            return redirect("partnerships:sponsor", contribution.pk)
    page_obj = Paginator(
        selectors.vouchers_of(contribution=contribution), VOUCHERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/sponsors/contribution_detail.html",
        {
            "contribution": contribution, "form": form, "page_obj": page_obj,
            "vouchers": page_obj.object_list,
            "gives_vouchers": contribution.kind == ContributionKind.SPONSORED_SEATS,
        },
        status=_status(form),
    )  # fmt: skip


@require_safe
@login_required
def vouchers_csv(request: HttpRequest, pk: int) -> HttpResponse:
    user = _programme(request)
    contribution = selectors.contribution_get_for(user=user, pk=pk)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [gettext("Code"), gettext("Places"), gettext("Places utilisées"),
         gettext("Places restantes"), gettext("Réservé au cours"), gettext("Valable jusqu'au")]
    )  # fmt: skip
    for voucher in selectors.vouchers_of(contribution=contribution).prefetch_related(None):
        writer.writerow(
            [voucher.code, voucher.seats, voucher.redeemed_count, voucher.seats_left,
             cell(voucher.course.code if voucher.course else ""),
             voucher.expires_on.isoformat() if voucher.expires_on else ""]
        )  # fmt: skip
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bons-contribution-{pk}.csv"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def voucher_redeem(request: HttpRequest) -> HttpResponse:
    """« Utiliser un bon »: a code, and one of the learner's own registrations to pay."""
    assert isinstance(request.user, User)
    learner = request.user
    registrations = registrations_payable_of_learner(learner=learner)
    chosen = request.GET.get("inscription", "")
    form = VoucherRedeemForm(
        request.POST if request.method == "POST" else None, registrations=registrations,
        initial={"registration": chosen} if chosen.isdecimal() else {},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        registration: ExamRegistration = form.cleaned_data["registration"]
        try:
            services.voucher_redeem(
                learner=learner, code=form.cleaned_data["code"], registration=registration
            )
        except ServiceError as refused:
            form.add_error("code", refused.message)
        else:
            messages.success(
                request,
                gettext("Le bon est accepté : les droits de votre examen sont pris en charge."),
            )
            return redirect("exams:mine")
    return render(
        request,
        "partnerships/sponsors/voucher_redeem.html",
        {"form": form, "has_registrations": registrations.exists()},
        status=_status(form),
    )


def voucher_page_url(registration: ExamRegistration) -> str:
    """Where « Mes examens » sends a learner to use a voucher for ``registration`` (the exams
    app's fee-waiver link, registered in ``apps.ready``)."""
    return f"{reverse('partnerships:voucher_redeem')}?inscription={registration.pk}"
