"""The programme's pages of the partnerships: its dashboard and CSV export, the matchmaking's
weights (programme staff only), and the agreement as PDF (for the two institutions' people
and programme staff, like the partnership's page)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_programme_staff
from sankore.core.errors import ServiceError
from sankore.core.text import spreadsheet_cell as cell
from sankore.partnerships import forms, selectors, services
from sankore.partnerships.agreement_pdf import agreement_pdf_filename, agreement_pdf_render
from sankore.partnerships.models import Agreement, Partnership, PartnershipState

PAGE_SIZE = 50

View = Callable[..., HttpResponseBase]


def programme_view(view: View) -> View:
    """Signed in (else the login page), and of the programme's staff (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_is_programme_staff(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request: HttpRequest, board: selectors.Dashboard) -> forms.ProgrammeFilterForm:
    return forms.ProgrammeFilterForm(request.GET or None, pairs=board.by_region_pair)


def _partnerships(form: forms.ProgrammeFilterForm) -> QuerySet[Partnership]:
    return selectors.programme_partnerships(**(form.filters() if form.is_valid() else {}))


@require_safe
@programme_view
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.programme_dashboard()
    form = _filtered(request, board)
    page = Paginator(_partnerships(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/programme/dashboard.html",
        {
            "board": board, "form": form, "page": page, "query": query.urlencode(),
            "rows": [
                {"partnership": p, "pair": selectors.region_pair(p),
                 "days": selectors.days_to_agreement(p)}
                for p in page.object_list
            ],
        },
    )  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def _date(value: Any) -> str:
    return timezone.localdate(value).isoformat() if value is not None else ""


def _csv_lines(partnerships: QuerySet[Partnership]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(
        [gettext("Identifiant"), gettext("Intitulé"), gettext("Établissement qui propose"),
         gettext("Pays du proposant"), gettext("Région du proposant"),
         gettext("Établissement partenaire"), gettext("Pays du partenaire"),
         gettext("Région du partenaire"), gettext("État"), gettext("Proposé le"),
         gettext("Signé le"), gettext("Jours jusqu’à la signature"), gettext("Clos le"),
         gettext("Cours liés")]
    )  # fmt: skip
    states = dict(PartnershipState.choices)
    for p in partnerships.iterator(chunk_size=1000):
        days = selectors.days_to_agreement(p)
        yield writer.writerow(
            [p.pk, cell(p.title), cell(p.proposer.name), countries.name(p.proposer.country),
             selectors.region_name(p.proposer.region), cell(p.partner.name),
             countries.name(p.partner.country), selectors.region_name(p.partner.region),
             str(states.get(p.state, p.state)), _date(p.proposed_at), _date(p.signed_at),
             "" if days is None else number_format(days, decimal_pos=1, use_l10n=True),
             _date(p.closed_at), p.course_count]  # type: ignore[attr-defined]
        )  # fmt: skip


@require_safe
@programme_view
def partnerships_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every partnership (or those of the dashboard's filters), one row each, streamed in
    one query whatever their number; Excel in French opens it as it is (BOM, « ; »)."""
    form = forms.ProgrammeFilterForm(request.GET or None)
    response = StreamingHttpResponse(
        _csv_lines(_partnerships(form)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="partenariats.csv"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@programme_view
def weights(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    post = request.POST if request.method == "POST" else None
    current = selectors.match_weights_current()
    form = forms.MatchWeightsForm(
        post, initial={name: getattr(current, name) for name in services.WEIGHT_FIELDS}
    )
    if post is not None and form.is_valid():
        try:
            services.match_weights_set(by=request.user, **form.cleaned_data)
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("Les nouvelles pondérations s’appliquent."))
            return redirect("partnerships:programme_weights")
    return render(
        request,
        "partnerships/programme/weights.html",
        {"form": form, "history": selectors.match_weights_history()},
        status=400 if form.errors else 200,
    )


@require_safe
@login_required
@never_cache  # the parties' own document: no copy kept on the way
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get_for(user=request.user, pk=pk)
    agreement = (
        Agreement.objects.select_related("partnership").filter(partnership=partnership).first()
    )
    if agreement is None:
        raise Http404
    agreement.partnership = partnership  # with its two institutions already loaded
    response = HttpResponse(
        agreement_pdf_render(agreement=agreement), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="{agreement_pdf_filename(agreement=agreement)}"'
    )
    return response
