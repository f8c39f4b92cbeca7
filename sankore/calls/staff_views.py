"""The programme staff's pages of one call, and the public page of its results.

Staff manage the call's panel (experts of the pool put on it), the assignment (propose,
adjust pair by pair, validate), read the committee's ranking (normalised per reviewer or
not), decide on each application with its motivation, link a selected project to its
partnership and course, publish the results, and export the applications, the reviews (CSV)
and the ranking (PDF). Anyone but programme staff gets a 404 on these pages, exports
included: nothing says the call is being judged. Every write goes through a service
(``reviewing``, ``committee``); a refusal becomes a form error or a message, never a 500.

The manage and ranking pages and both exports read a fixed number of queries whatever the
number of applications (pinned by ``tests/test_staff_pages.py``); the ranking page of 500
applications with 1,000 reviews renders in well under a second (``bench/call_ranking.py``).

Once the results are published, anyone may read the selected projects (title, lead,
confirmed partners, strand, granted amount) — never a score, a reviewer or a project that
was not selected.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from sankore.accounts.permissions import user_is_programme_staff
from sankore.calls import committee, reviewing, selectors
from sankore.calls.assignment import _shortfall_reason
from sankore.calls.models import (
    Application,
    ApplicationPartner,
    ApplicationStatus,
    AssignmentState,
    Call,
    CallEvent,
    CallReviewer,
    CallStatus,
    Criterion,
    Decision,
    DecisionValue,
    Expert,
    PartnerStatus,
    Review,
    ReviewAssignment,
    ReviewStatus,
    SectionKind,
)
from sankore.calls.views import _user
from sankore.catalog.models import Course
from sankore.core.errors import ServiceError
from sankore.core.numbers import id_parse
from sankore.core.text import spreadsheet_cell as cell
from sankore.exams.pdf import pdf_write
from sankore.partnerships.models import Partnership

View = Callable[..., HttpResponseBase]

# Applications per page of the manage page's assignment tables.
PAGE_SIZE = 50
RANKING_PDF_TEMPLATE = "calls/staff/ranking_pdf.html"
RANKING_PDF_STYLESHEET = "calls/staff/ranking_pdf.css"
APPLICATION_PDF_TEMPLATE = "calls/staff/application_pdf.html"
APPLICATION_PDF_STYLESHEET = "calls/staff/application_pdf.css"


def programme_page(view: View) -> View:
    """Signed in (else the login page), and of the programme's staff (else 404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_is_programme_staff(user=request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _call(slug: str) -> Call:
    return get_object_or_404(Call, slug=slug)


def _refused(request: HttpRequest, refused: ServiceError) -> None:
    messages.error(request, refused.message)


# --- The manage page: counts, panel, assignment ---------------------------------------------


class PanelAddForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Expert du vivier (adresse électronique)"), queryset=Expert.objects.none()
    )
    max_load = forms.IntegerField(
        label=_("Candidatures au plus pour cet appel (facultatif)"), required=False,
        min_value=1, max_value=60,
        help_text=_("Laissé vide : la charge maximale de l’expert dans le vivier."),
    )  # fmt: skip

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        field.queryset = (  # type: ignore[attr-defined]
            Expert.objects.filter(active=True)
            .exclude(panels__call=call)
            .select_related("user", "institution")
            .order_by("user__email")
        )
        field.label_from_instance = _expert_label  # type: ignore[attr-defined]


def _expert_label(expert: Expert) -> str:
    person = expert.user
    label = person.email
    if person.full_name:
        label += f" — {person.full_name}"
    if expert.institution is not None:
        label += f" ({expert.institution.name})"
    return label


def _manage_context(call: Call, page_number: str | None) -> dict[str, Any]:
    """Everything the manage page shows, in a fixed number of queries: the counts and the
    shortfalls over the whole call, the assignment tables for one page of applications (a
    select of up to the whole panel per application would weigh megabytes for 500)."""
    submitted = list(
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .select_related("lead", "strand", "decision")
        .order_by("pk")
    )
    # In two stages the experts review the full proposals; the letters wait for the shortlist.
    applications = [a for a in submitted if a.stage == call.review_stage]
    letters = [
        a for a in submitted
        if a.stage != call.review_stage and not hasattr(a, "decision")
    ]  # fmt: skip
    reviewers = list(
        CallReviewer.objects.filter(call=call)
        .select_related("expert__user", "expert__institution")
        .order_by("pk")
    )
    by_id = {reviewer.pk: reviewer for reviewer in reviewers}
    assignments = list(
        ReviewAssignment.objects.filter(reviewer__call=call)
        .annotate(review_status=F("review__status"))
        .order_by("application_id", "reviewer_id")
    )
    conflicts = reviewing.call_conflicts(call=call)
    needed = call.reviewers_per_application
    page = Paginator(applications, PAGE_SIZE).get_page(page_number)
    on_page = {application.pk for application in page.object_list}

    load: dict[int, int] = {}
    pairs_of: dict[int, list[ReviewAssignment]] = {}
    for assignment in assignments:
        pairs_of.setdefault(assignment.application_id, []).append(assignment)
        if assignment.state != AssignmentState.REMOVED:
            load[assignment.reviewer_id] = load.get(assignment.reviewer_id, 0) + 1
    reviewed = {
        a.pk
        for a in assignments
        if a.state != AssignmentState.REMOVED and a.review_status == ReviewStatus.SUBMITTED
    }
    expected = sum(1 for a in assignments if a.state == AssignmentState.CONFIRMED)
    proposed = sum(1 for a in assignments if a.state == AssignmentState.PROPOSED)
    available = [r for r in reviewers if r.expert.active]
    # Each reviewer's option in the add selects, made once rather than once per application.
    labels = {r.pk: f"{r.expert} ({load.get(r.pk, 0)} / {r.max_load})" for r in available}
    # The shortfalls are those of the proposal, recomputed from what is there now.
    proposed_once = CallEvent.objects.filter(call=call, action="assignment_proposed").exists()

    rows: list[dict[str, Any]] = []
    shortfalls: list[dict[str, Any]] = []
    for index, application in enumerate(applications):
        pairs = pairs_of.get(application.pk, [])
        active = {a.reviewer_id for a in pairs if a.state != AssignmentState.REMOVED}
        short = proposed_once and len(active) < needed
        if application.pk not in on_page and not short:
            continue
        removed = {a.reviewer_id for a in pairs if a.state == AssignmentState.REMOVED}
        candidates = [
            r
            for r in available
            if (r.pk, application.pk) not in conflicts
            and r.pk not in active
            and load.get(r.pk, 0) < r.max_load
        ]
        if application.pk in on_page:
            rows.append({
                "application": application,
                "pairs": [
                    {
                        "assignment": a, "reviewer": by_id[a.reviewer_id],
                        "reasons": [(str(text), points) for text, points in a.reasons],
                        "reviewed": a.pk in reviewed,
                    }
                    for a in pairs
                ],
                "active": len(active),
                "candidates": [(r.pk, labels[r.pk]) for r in candidates],
            })  # fmt: skip
        if short:
            eligible = sum(
                1
                for r in available
                if (r.pk, application.pk) not in conflicts and r.pk not in removed
            )
            spare = sum(1 for r in candidates if r.pk not in removed)
            reason = (
                # Room left since the proposal (a pair removed, a reviewer added): say so
                # rather than the proposal's « charge maximale atteinte ».
                ngettext(
                    "%(count)d expert sans conflit a encore de la place : proposez à nouveau "
                    "ou ajoutez-le à la main",
                    "%(count)d experts sans conflit ont encore de la place : proposez à "
                    "nouveau ou ajoutez-les à la main",
                    spare,
                )
                % {"count": spare}
                if spare and eligible >= needed
                else _shortfall_reason(eligible=eligible, assigned=len(active), needed=needed)
            )
            shortfalls.append({
                "application": application, "assigned": len(active), "needed": needed,
                "reason": reason, "page": index // PAGE_SIZE + 1,
            })  # fmt: skip
    return {
        "letters": letters,
        "call": call, "rows": rows, "page": page, "shortfalls": shortfalls, "needed": needed,
        "panel": [{"reviewer": r, "load": load.get(r.pk, 0)} for r in reviewers],
        "submitted_count": len(applications), "panel_size": len(reviewers),
        "handed_in": len(reviewed), "expected": expected, "proposed": proposed,
        "closed": timezone.now() >= call.review_starts_at,
    }  # fmt: skip


def _manage_render(request: HttpRequest, call: Call, form: PanelAddForm) -> HttpResponse:
    context = _manage_context(call, request.GET.get("page"))
    context["panel_form"] = form
    return render(request, "calls/staff/manage.html", context, status=400 if form.errors else 200)


def _back_to_manage(
    request: HttpRequest, call: Call, application: Application | None = None
) -> HttpResponse:
    """The manage page again, at the page of applications the form was posted from."""
    url = reverse("calls:manage", args=[call.slug])
    page = request.POST.get("page", "")
    if id_parse(page) is not None and page != "1":
        url += f"?page={page}"
    if application is not None:
        url += f"#application-{application.pk}"
    return redirect(url)


@require_safe
@programme_page
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    return _manage_render(request, call, PanelAddForm(call=call))


@require_POST
@programme_page
def panel_add(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = PanelAddForm(request.POST, call=call)
    if form.is_valid():
        expert = form.cleaned_data["expert"]
        try:
            reviewing.call_reviewer_add(
                call=call, expert=expert, by=_user(request),
                max_load=form.cleaned_data["max_load"],
            )  # fmt: skip
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                gettext("%(expert)s fait maintenant partie du comité de l’appel.")
                % {"expert": expert},
            )
            return redirect("calls:manage", slug=call.slug)
    return _manage_render(request, call, form)


@require_POST
@programme_page
def assignment_propose(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    try:
        summary = reviewing.assignment_propose(call=call, by=_user(request))
    except ServiceError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            gettext(
                "Affectation proposée : %(proposed)s paire(s) nouvelle(s), %(kept)s conservée(s)."
            )
            % {"proposed": summary.proposed, "kept": summary.kept},
        )
        if summary.shortfalls:
            messages.warning(
                request,
                ngettext(
                    "%(count)s candidature n’a pas tous ses experts : voir pourquoi plus bas.",
                    "%(count)s candidatures n’ont pas tous leurs experts : voir pourquoi plus bas.",
                    len(summary.shortfalls),
                )
                % {"count": len(summary.shortfalls)},
            )
    return redirect("calls:manage", slug=call.slug)


@require_POST
@programme_page
def assignment_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    try:
        count = reviewing.assignment_confirm(call=call, by=_user(request))
    except ServiceError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s paire validée : les experts sont prévenus par courriel.",
                "%(count)s paires validées : les experts sont prévenus par courriel.",
                count,
            )
            % {"count": count},
        )
    return redirect("calls:manage", slug=call.slug)


def _posted_id(request: HttpRequest, name: str) -> int:
    value = id_parse(request.POST.get(name))
    if value is None:
        raise Http404
    return value


@require_POST
@programme_page
def assignment_add(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    application = get_object_or_404(
        Application, pk=_posted_id(request, "application"), call=call,
        status=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    if id_parse(request.POST.get("reviewer")) is None:
        messages.error(request, gettext("Choisissez un expert."))
        return _back_to_manage(request, call, application)
    reviewer = get_object_or_404(
        CallReviewer.objects.select_related("expert__user"),
        pk=_posted_id(request, "reviewer"), call=call,
    )  # fmt: skip
    try:
        reviewing.assignment_add(application=application, reviewer=reviewer, by=_user(request))
    except ServiceError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            gettext("%(expert)s évaluera « %(title)s » (à valider).")
            % {"expert": reviewer.expert, "title": application.title},
        )
    return _back_to_manage(request, call, application)


@require_POST
@programme_page
def assignment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(slug)
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("application", "reviewer__call"),
        pk=pk, reviewer__call=call,
    )  # fmt: skip
    try:
        reviewing.assignment_remove(assignment=assignment, by=_user(request))
    except ServiceError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            gettext("Affectation retirée : elle ne sera plus proposée pour « %(title)s ».")
            % {"title": assignment.application.title},
        )
    return _back_to_manage(request, call, assignment.application)


# --- The ranking, its PDF, the publication ---------------------------------------------------


def _normalise(request: HttpRequest) -> bool | None:
    value = request.GET.get("normalisation")
    if value in ("1", "0"):
        return value == "1"
    return None


def _figures() -> Callable[[Decimal | None], str]:
    """Two decimals, grouped, in the active language: what ``floatformat:"2g"`` writes, for
    the thousands of figures of a big ranking at a fraction of the filter's cost."""
    separators = str.maketrans(
        {",": str(get_format("THOUSAND_SEPARATOR")), ".": str(get_format("DECIMAL_SEPARATOR"))}
    )

    def figure(value: Decimal | None) -> str:
        return "" if value is None else f"{value:,.2f}".translate(separators)

    return figure


def _ranking_context(call: Call, normalise: bool | None) -> dict[str, Any]:
    table = selectors.call_ranking(call=call, normalise=normalise)
    names = {
        r.pk: str(r.expert)
        for r in CallReviewer.objects.filter(call=call).select_related("expert__user")
    }
    figure = _figures()
    rows = [
        {
            "row": ranked.row, "application": ranked.application,
            "decision": ranked.decision, "expected": ranked.expected,
            "score": figure(ranked.row.score), "spread": figure(ranked.row.spread),
            "requested": figure(ranked.row.requested),
            "cumulative": figure(ranked.row.cumulative),
            "granted": figure(ranked.decision.granted_amount) if ranked.decision else "",
            "reviews": [
                (names.get(reviewer_id, "?"), figure(score))
                for reviewer_id, score in ranked.row.review_scores
            ],
        }
        for ranked in table.rows
    ]  # fmt: skip
    return {
        "call": call, "ranking": table, "rows": rows,
        "budget": figure(table.budget), "funded": figure(table.funded),
        "remaining": figure(table.remaining),
        "undecided": sum(1 for row in table.rows if row.decision is None),
        "printed_at": timezone.now(),
    }  # fmt: skip


@require_safe
@programme_page
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    return render(request, "calls/staff/ranking.html", _ranking_context(call, _normalise(request)))


@require_safe
@programme_page
@never_cache  # the committee's working document: no copy kept on the way
def ranking_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    html = render_to_string(RANKING_PDF_TEMPLATE, _ranking_context(call, _normalise(request)))
    response = HttpResponse(
        pdf_write(html=html, stylesheet=RANKING_PDF_STYLESHEET), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="classement-{call.slug}.pdf"'
    return response


@require_POST
@programme_page
def results_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    try:
        notified = committee.results_publish(call=call, by=_user(request))
    except ServiceError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            ngettext(
                "Résultats publiés : %(count)s candidat prévenu par courriel.",
                "Résultats publiés : %(count)s candidats prévenus par courriel.",
                notified,
            )
            % {"count": notified},
        )
    return redirect("calls:ranking", slug=call.slug)


# --- The decision on one application ---------------------------------------------------------


class ShortlistForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Lettre d'intention"),
        choices=[
            ("inviter", _("Présélectionner : inviter à déposer la proposition complète")),
            ("ecarter", _("Ne pas retenir")),
        ],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Motivation (si la lettre n'est pas retenue)"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip


class DecisionForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Décision"), choices=DecisionValue.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Le candidat la lira avec les évaluations anonymes."),
    )  # fmt: skip
    granted_amount = forms.CharField(
        label=_("Montant accordé (facultatif)"), max_length=30, required=False,
        help_text=_("Pour un projet retenu ; laissé vide : le montant demandé."),
    )  # fmt: skip


class LinkForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Partenariat qui porte le projet"), queryset=Partnership.objects.none(),
        required=False,
    )  # fmt: skip
    course = forms.ModelChoiceField(
        label=_("Cours produit"), queryset=Course.objects.none(), required=False
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = application.lead_id
        self.fields["partnership"].queryset = (  # type: ignore[attr-defined]
            Partnership.objects.filter(Q(proposer_id=lead) | Q(partner_id=lead))
            .select_related("proposer", "partner")
            .order_by("title", "pk")
        )
        self.fields["partnership"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.title} ({p.proposer.name} — {p.partner.name})"
        )
        self.fields["course"].queryset = (  # type: ignore[attr-defined]
            Course.objects.filter(Q(owners=lead) | Q(partners=lead)).distinct().order_by("title")
        )


def _reviews_of(application: Application, criteria: list[Criterion]) -> list[dict[str, Any]]:
    """The application's active assignments with their reviews, for the committee: names,
    scores per criterion and both comments."""
    assignments = (
        ReviewAssignment.objects.filter(application=application)
        .exclude(state=AssignmentState.REMOVED)
        .select_related("reviewer__expert__user", "reviewer__expert__institution", "review")
        .order_by("pk")
    )
    found = []
    for assignment in assignments:
        review: Review | None = getattr(assignment, "review", None)
        done = review is not None and review.status == ReviewStatus.SUBMITTED
        found.append({
            "assignment": assignment, "expert": assignment.reviewer.expert,
            "review": review if done else None,
            "score": selectors.review_score(criteria=criteria, scores=review.scores)
            if done and review is not None else None,
            "lines": [
                (c.title, review.scores.get(c.key), c.scale_max) for c in criteria
            ] if done and review is not None else [],
        })  # fmt: skip
    return found


@require_safe
@programme_page
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One application for the committee, as an A4 PDF: its dossier and every review with
    its reviewer, scores and both comments (confidential: programme staff only)."""
    application = get_object_or_404(
        Application.objects.select_related("call", "lead"), pk=pk,
        status=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    call = application.call
    criteria = list(Criterion.objects.filter(call=call).order_by("position", "pk"))
    html = render_to_string(
        APPLICATION_PDF_TEMPLATE,
        {
            "application": application, "call": call, "printed_at": timezone.now(),
            "partners": application.partners.select_related("institution"),
            "sections": [
                {"section": s, "value": application.answers.get(s.key, "")}
                for s in call.sections.filter(kind=SectionKind.TEXT).order_by("stage", "position")
            ],
            "reviews": _reviews_of(application, criteria),
        },
    )  # fmt: skip
    response = HttpResponse(
        pdf_write(html=html, stylesheet=APPLICATION_PDF_STYLESHEET),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="candidature-{application.pk}.pdf"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@programme_page
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("call", "lead", "strand", "tier"),
        pk=pk, status=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    call = application.call
    decision = (
        Decision.objects.select_related("partnership", "course")
        .filter(application=application)
        .first()
    )
    initial = (
        {
            "value": decision.value, "motivation": decision.motivation,
            "granted_amount": number_format(decision.granted_amount, decimal_pos=2)
            if decision.granted_amount is not None else "",
        }
        if decision is not None else {}
    )  # fmt: skip
    action = request.POST.get("action") if request.method == "POST" else None
    form = DecisionForm(request.POST if action == "decider" else None, initial=initial)
    is_letter = call.two_stages and application.stage == 1 and decision is None
    shortlist_form = ShortlistForm(request.POST if action == "preselectionner" else None)
    link_form = LinkForm(
        request.POST if action == "lier" else None, application=application,
        initial={"partnership": decision.partnership_id, "course": decision.course_id}
        if decision is not None else None,
    )  # fmt: skip
    user = _user(request)
    if action == "decider" and form.is_valid():
        try:
            committee.decision_record(
                application=application, value=form.cleaned_data["value"],
                motivation=form.cleaned_data["motivation"], by=user,
                granted_amount=form.cleaned_data["granted_amount"] or None,
            )  # fmt: skip
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("Décision enregistrée."))
            return redirect("calls:decide", pk=application.pk)
    elif action == "lier" and link_form.is_valid():
        if decision is None:
            link_form.add_error(None, gettext("Enregistrez d’abord la décision."))
        else:
            try:
                committee.decision_link(
                    decision=decision, by=user,
                    partnership=link_form.cleaned_data["partnership"],
                    course=link_form.cleaned_data["course"],
                )  # fmt: skip
            except ServiceError as refused:
                link_form.add_error(None, refused.message)
            else:
                messages.success(request, gettext("Projet rattaché."))
                return redirect("calls:decide", pk=application.pk)
    elif action == "preselectionner" and is_letter and shortlist_form.is_valid():
        invited = shortlist_form.cleaned_data["outcome"] == "inviter"
        try:
            committee.letter_shortlist(
                application=application, by=user, invited=invited,
                motivation=shortlist_form.cleaned_data["motivation"],
            )  # fmt: skip
        except ServiceError as refused:
            shortlist_form.add_error(None, refused.message)
        else:
            if invited:
                messages.success(
                    request,
                    gettext("Lettre présélectionnée : le porteur rédige sa proposition complète."),
                )
                return redirect("calls:manage", slug=call.slug)
            messages.success(request, gettext("Lettre non retenue : la décision est enregistrée."))
            return redirect("calls:decide", pk=application.pk)
    elif action not in (None, "decider", "lier", "preselectionner"):
        raise Http404
    criteria = list(Criterion.objects.filter(call=call).order_by("position", "pk"))
    return render(
        request,
        "calls/staff/decide.html",
        {
            "application": application, "call": call, "decision": decision,
            "form": form, "link_form": link_form, "criteria": criteria,
            "is_letter": is_letter, "shortlist_form": shortlist_form,
            "reviews": _reviews_of(application, criteria),
            "partners": application.partners.select_related("institution"),
            "selected": decision is not None and decision.value == DecisionValue.SELECTED,
        },
        status=400 if form.errors or link_form.errors or shortlist_form.errors else 200,
    )  # fmt: skip


# --- CSV exports -----------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else number_format(value, decimal_pos=2, use_l10n=True)


def _yes_no(value: bool) -> str:
    return gettext("oui") if value else gettext("non")


def _csv_response(lines: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _application_lines(call: Call, table: selectors.CallRanking) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(
        [gettext("Accusé de réception"), gettext("Titre"), gettext("Établissement porteur"),
         gettext("Pays"), gettext("Volet"), gettext("Palier"),
         gettext("Montant demandé (%(currency)s)") % {"currency": call.currency},
         gettext("Note /100"), gettext("Rang"), gettext("Écart entre experts"),
         gettext("Désaccord"), gettext("Décision"), gettext("Motivation"),
         gettext("Montant accordé (%(currency)s)") % {"currency": call.currency}]
    )  # fmt: skip
    for ranked in table.rows:
        application, row, decision = ranked.application, ranked.row, ranked.decision
        yield writer.writerow(
            [application.receipt_number, cell(application.title), cell(application.lead.name),
             countries.name(application.lead.country),
             cell(application.strand.title) if application.strand else "",
             cell(application.tier.label) if application.tier else "",
             _number(application.requested_amount), _number(row.score),
             row.rank if row.rank is not None else "", _number(row.spread),
             _yes_no(row.disagreement),
             str(decision.get_value_display()) if decision else "",
             cell(decision.motivation) if decision else "",
             _number(decision.granted_amount) if decision else ""]
        )  # fmt: skip


@require_safe
@programme_page
def export_applications(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The ranked applications, one row each, in the ranking's order; Excel in French opens
    it as it is (BOM, « ; »)."""
    call = _call(slug)
    table = selectors.call_ranking(call=call, normalise=_normalise(request))
    return _csv_response(_application_lines(call, table), f"candidatures-{call.slug}.csv")


def _review_lines(call: Call) -> Iterator[str]:
    criteria = list(Criterion.objects.filter(call=call).order_by("position", "pk"))
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(
        [gettext("Accusé de réception"), gettext("Candidature"), gettext("Expert"),
         gettext("Établissement de l’expert"),
         *(f"{c.title} (/{c.scale_max})" for c in criteria), gettext("Note pondérée /100"),
         gettext("Commentaire pour le candidat"),
         gettext("Commentaire confidentiel pour le comité"), gettext("Remise le")]
    )  # fmt: skip
    reviews = (
        Review.objects.filter(
            assignment__reviewer__call=call,
            assignment__application__status=ApplicationStatus.SUBMITTED,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment__state=AssignmentState.REMOVED)
        .select_related(
            "assignment__application", "assignment__reviewer__expert__user",
            "assignment__reviewer__expert__institution",
        )
        .order_by("assignment__application_id", "assignment_id")
    )  # fmt: skip
    for review in reviews.iterator(chunk_size=1000):
        application = review.assignment.application
        expert = review.assignment.reviewer.expert
        submitted = (
            timezone.localtime(review.submitted_at, call.zone).isoformat(timespec="minutes")
            if review.submitted_at
            else ""
        )
        yield writer.writerow(
            [application.receipt_number, cell(application.title), cell(str(expert)),
             cell(expert.institution.name) if expert.institution else "",
             *(review.scores.get(c.key, "") for c in criteria),
             _number(selectors.review_score(criteria=criteria, scores=review.scores)),
             cell(review.comment_to_applicant), cell(review.comment_to_committee), submitted]
        )  # fmt: skip


@require_safe
@programme_page
def export_reviews(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every handed-in review of the call, streamed in one query whatever their number."""
    call = _call(slug)
    return _csv_response(_review_lines(call), f"evaluations-{call.slug}.csv")


# --- The public results ----------------------------------------------------------------------


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The selected projects, once staff published the results (a 404 before)."""
    call = get_object_or_404(
        Call, slug=slug, results_published_at__isnull=False,
        status__in=[CallStatus.PUBLISHED, CallStatus.ARCHIVED],
    )  # fmt: skip
    selected = (
        Decision.objects.filter(
            application__call=call, application__status=ApplicationStatus.SUBMITTED,
            value=DecisionValue.SELECTED,
        )
        .select_related("application__lead", "application__strand")
        .prefetch_related(
            Prefetch(
                "application__partners",
                queryset=ApplicationPartner.objects.filter(status=PartnerStatus.CONFIRMED)
                .select_related("institution").order_by("pk"),
                to_attr="confirmed_partners",
            )
        )
        .order_by("application__strand__position", "application__title", "application_id")
    )  # fmt: skip
    return render(request, "calls/staff/results.html", {"call": call, "selected": selected})
