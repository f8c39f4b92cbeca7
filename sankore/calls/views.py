"""The calls' pages: the public list and page of a call (its deadline in the call's time
zone, in UTC and in the reader's own), and an application's page for its lead institution
(the dossier saved as it is typed, partners, files, eligibility, submission, the receipt as
PDF once submitted) and for its partners (who confirm). Everyone else gets a 404 for an
application."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.accounts.models import User
from sankore.accounts.permissions import (
    institution_ids_of_institution_staff,
    user_is_programme_staff,
)
from sankore.calls import reviewing, selectors, services
from sankore.calls.models import (
    Application,
    ApplicationPartner,
    ApplicationStatus,
    AssignmentState,
    Attachment,
    Call,
    CallStatus,
    Decision,
    PartnerStatus,
    ReviewAssignment,
    SectionKind,
)
from sankore.calls.receipts import receipt_filename, receipt_pdf
from sankore.catalog.models import Discipline, Language
from sankore.core.errors import ServiceError
from sankore.core.numbers import id_parse
from sankore.institutions.models import Institution


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _staffed(user: User) -> Any:
    return Institution.objects.filter(pk__in=institution_ids_of_institution_staff(user=user))


@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    calls = Call.objects.filter(status=CallStatus.PUBLISHED).order_by("-closes_at")
    now = timezone.now()
    return render(
        request,
        "calls/call_list.html",
        {
            "open_calls": [c for c in calls if c.is_open(now)],
            "other_calls": [c for c in calls if not c.is_open(now)],
            "is_programme_staff": user_is_programme_staff(user=request.user),
            "is_reviewer": request.user.is_authenticated
            and selectors.reviewer_panels(user_id=request.user.pk).exists(),
        },
    )


def _public_call(slug: str, user: Any) -> Call:
    call = get_object_or_404(Call, slug=slug)
    if call.status != CallStatus.PUBLISHED and not user_is_programme_staff(user=user):
        raise Http404
    return call


@require_safe
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = _public_call(slug, request.user)
    can_apply = (
        request.user.is_authenticated and call.is_open() and _staffed(_user(request)).exists()
    )
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call, "can_apply": can_apply, "is_open": call.is_open(),
            "criteria": call.criteria.all(), "sections": call.sections.all(),
            "tiers": call.tiers.all(), "strands": call.strands.all(),
            "zone": call.time_zone,
            "is_programme_staff": user_is_programme_staff(user=request.user),
        },
    )  # fmt: skip


class StartForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Établissement porteur"), queryset=Institution.objects.none()
    )
    title = forms.CharField(label=_("Titre du projet"), max_length=200)

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = institutions  # type: ignore[attr-defined]
        if len(institutions) == 1:
            # Most applicants speak for one institution: nothing to choose, nothing to miss.
            self.fields["lead"].empty_label = None  # type: ignore[attr-defined]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    call = _public_call(slug, user)
    institutions = _staffed(user)
    if not institutions.exists():
        raise PermissionDenied
    form = StartForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                call=call, lead=form.cleaned_data["lead"], by=user, title=form.cleaned_data["title"]
            )
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect(application.get_absolute_url())
    return render(
        request, "calls/application_start.html", {"call": call, "form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _visible_application(
    request: HttpRequest, pk: int
) -> tuple[Application, bool, list[ApplicationPartner]]:
    """The application, whether the user is of its lead's staff, and the partner rows they
    answer for; 404 for anyone else (programme staff read every one)."""
    user = _user(request)
    application = get_object_or_404(
        Application.objects.select_related("call", "lead", "tier", "strand"), pk=pk
    )
    staffed = set(_staffed(user).values_list("pk", flat=True))
    is_lead = application.lead_id in staffed
    # A partner that declined is no longer part of the project: the dossier is out of reach.
    partner_rows = [
        p for p in application.partners.all()
        if p.institution_id in staffed and p.status != PartnerStatus.DECLINED
    ]  # fmt: skip
    if not (is_lead or partner_rows or user_is_programme_staff(user=user)):
        raise Http404
    return application, is_lead, partner_rows


def _may_read_receipt(request: HttpRequest, application: Application, is_lead: bool) -> bool:
    # The lead's own document, and the programme's (partners read the page, not the receipt).
    return application.status == ApplicationStatus.SUBMITTED and (
        is_lead or user_is_programme_staff(user=_user(request))
    )


@require_safe
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application, is_lead, partner_rows = _visible_application(request, pk)
    call = application.call
    editable = is_lead and application.status == ApplicationStatus.DRAFT and application.is_open()
    attached = {a.section.key: a for a in application.attachments.select_related("section")}
    sections = [
        {
            "section": section, "value": application.answers.get(section.key, ""),
            "attachment": attached.get(section.key),
        }
        for section in call.sections.filter(stage=application.stage)
    ]  # fmt: skip
    return render(
        request,
        "calls/application_detail.html",
        {
            "application": application, "call": call, "is_lead": is_lead,
            "editable": editable, "sections": sections,
            "partners": application.partners.select_related("institution"),
            "partner_rows": [p for p in partner_rows if p.status == PartnerStatus.INVITED],
            "eligibility": services.application_eligibility(application=application),
            "missing": services.missing_parts(application=application),
            "tiers": call.tiers.all(), "strands": call.strands.all(),
            "zone": call.time_zone, "SectionKind": SectionKind,
            "disciplines": Discipline.objects.order_by("position", "name_fr") if editable else [],
            "languages": Language.objects.order_by("name_fr") if editable else [],
            "chosen_disciplines": set(application.disciplines.values_list("pk", flat=True)),
            "can_read_receipt": _may_read_receipt(request, application, is_lead),
            "partner_choices": (
                Institution.objects.exclude(pk=application.lead_id).order_by("name")
                if editable else []
            ),
            # The committee's decision and the anonymised reviews, once notified only.
            "feedback": selectors.application_feedback(application=application)
            if Decision.objects.filter(application=application, notified_at__isnull=False)
            .exists() else None,
        },
    )  # fmt: skip


@require_safe
@login_required
@never_cache  # the lead's own document: no copy kept on the way
def receipt_download(request: HttpRequest, pk: int) -> HttpResponse:
    application, is_lead, _rows = _visible_application(request, pk)
    if not _may_read_receipt(request, application, is_lead):
        raise Http404
    response = HttpResponse(receipt_pdf(application=application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{receipt_filename(application=application)}"'
    )
    return response


def _may_read_attachments(user: User, application: Application) -> bool:
    """The lead's and the (not declining) partners' staff, programme staff, and the experts
    who review it — assigned, validated, active and without a conflict."""
    if user_is_programme_staff(user=user):
        return True
    staffed = set(_staffed(user).values_list("pk", flat=True))
    if (
        application.lead_id in staffed
        or application.partners.filter(institution_id__in=staffed)
        .exclude(status=PartnerStatus.DECLINED)
        .exists()
    ):
        return True
    assignment = (
        ReviewAssignment.objects.filter(
            application=application, reviewer__expert__user=user,
            reviewer__expert__active=True, state=AssignmentState.CONFIRMED,
        )
        .select_related("reviewer__call", "reviewer__expert")
        .first()
    )  # fmt: skip
    return (
        assignment is not None
        and reviewing.conflict_of(reviewer=assignment.reviewer, application=application) is None
    )


@require_safe
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of the dossier, for those who may read it (404 for anyone else). Sent as a
    download with the type checked when it was uploaded, never sniffed by the browser."""
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not _may_read_attachments(_user(request), attachment.application):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def application_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier's autosave (htmx, JSON back) and its plain « Enregistrer » (a redirect)."""
    application, is_lead, _rows = _visible_application(request, pk)
    if not is_lead:
        raise PermissionDenied
    texts = {
        key.removeprefix("section-"): str(value)
        for key, value in request.POST.items()
        if key.startswith("section-")
    }
    revision = request.POST.get("revision", "")
    tier = request.POST.get("tier", "")
    strand = request.POST.get("strand", "")
    try:
        saved = services.application_save(
            application=application, by=_user(request),
            revision=-1 if id_parse(revision) is None else int(revision),
            answers=texts or None, title=request.POST.get("title"),
            requested_amount=request.POST.get("requested_amount") or None,
            tier_id=id_parse(tier),
            strand_id=id_parse(strand),
            discipline_ids=(
                [n for v in request.POST.getlist("disciplines") if (n := id_parse(v)) is not None]
                if "disciplines-sent" in request.POST else None
            ),
            language=request.POST.get("language") or None,
        )  # fmt: skip
    except ServiceError as refused:
        if request.headers.get("HX-Request"):
            return JsonResponse(
                {"detail": str(refused.message), "code": refused.code},
                status=409 if refused.code == "stale_revision" else 400,
            )
        messages.error(request, refused.message)
        return redirect(application.get_absolute_url())
    if request.headers.get("HX-Request"):
        return JsonResponse(
            {"revision": saved.revision, "saved_at": timezone.localtime().strftime("%H:%M:%S")}
        )
    messages.success(request, gettext("Brouillon enregistré."))
    return redirect(application.get_absolute_url())


class PartnerForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Établissement partenaire"), queryset=Institution.objects.order_by("name")
    )
    role = forms.CharField(label=_("Son rôle dans le projet"), max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier"))


@require_POST
@login_required
def application_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application, is_lead, partner_rows = _visible_application(request, pk)
    user = _user(request)
    try:
        if action == "partenaire" and is_lead:
            form = PartnerForm(request.POST)
            if not form.is_valid():
                messages.error(request, gettext("Choisissez l'établissement et dites son rôle."))
                return redirect(application.get_absolute_url())
            services.application_partner_add(application=application, by=user, **form.cleaned_data)
            messages.success(
                request, gettext("Partenaire invité : son personnel confirme en ligne.")
            )
        elif action.startswith("piece-") and is_lead:
            upload_form = UploadForm(request.POST, request.FILES)
            if not upload_form.is_valid():
                messages.error(request, gettext("Choisissez un fichier."))
                return redirect(application.get_absolute_url())
            services.attachment_add(
                application=application, by=user, section_key=action.removeprefix("piece-"),
                upload=upload_form.cleaned_data["file"],
            )  # fmt: skip
            messages.success(request, gettext("Pièce jointe enregistrée."))
        elif action == "deposer" and is_lead:
            submitted = services.application_submit(application=application, by=user)
            messages.success(
                request,
                gettext("Candidature déposée : accusé de réception n° %(number)s.")
                % {"number": submitted.receipt_number},
            )
        elif action == "retirer" and is_lead:
            services.application_withdraw(application=application, by=user)
            messages.success(request, gettext("Candidature retirée."))
        elif action in ("confirmer", "decliner") and partner_rows:
            for row in partner_rows:
                services.partner_answer(partner=row, by=user, confirm=action == "confirmer")
            messages.success(request, gettext("Votre réponse est enregistrée."))
        else:
            raise PermissionDenied
    except ServiceError as refused:
        messages.error(request, refused.message)
    return redirect(application.get_absolute_url())


@require_safe
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    staffed = _staffed(user)
    applications = (
        Application.objects.filter(Q(lead__in=staffed) | Q(partners__institution__in=staffed))
        .select_related("call", "lead")
        .distinct()
        .order_by("-created_at")
    )
    return render(request, "calls/my_applications.html", {"applications": applications[:100]})
