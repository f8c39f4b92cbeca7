"""The partnership pages: the space of an institution's people (profiles, ideas, ranked
partners, proposals) and a partnership's page (thread, agreement, signatures, courses).

Every page is for signed-in people; a partnership is shown only to the people of its two
institutions and to programme staff (others get a 404, as if it did not exist)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.accounts.models import Role, User
from sankore.accounts.permissions import user_is_programme_staff
from sankore.catalog.models import Course
from sankore.catalog.selectors import course_from_reference
from sankore.core.errors import ServiceError
from sankore.institutions.models import Institution
from sankore.partnerships import agreements, forms, selectors, services
from sankore.partnerships.models import (
    Agreement,
    IdeaStatus,
    InstitutionProfile,
    Partnership,
    PartnershipState,
    ProjectIdea,
)

State = PartnershipState


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _spoken_for(user: User) -> QuerySet[Institution]:
    ids = selectors.institution_ids_spoken_for(user=user)
    return Institution.objects.filter(pk__in=ids, kind__in=list(services.ACADEMIC_KINDS))


def _staffed(user: User) -> QuerySet[Institution]:
    """Institutions whose staff (not only signatories) the user is: they post and propose."""
    return Institution.objects.filter(
        role_assignments__user=user,
        role_assignments__role=Role.INSTITUTION_STAFF,
        kind__in=list(services.ACADEMIC_KINDS),
    ).distinct()


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    partnerships = selectors.partnership_queryset_visible_to(user=user).order_by("-proposed_at")
    return render(
        request,
        "partnerships/home.html",
        {
            "institutions": _spoken_for(user),
            "partnerships": partnerships[:50],
            "is_programme_staff": user_is_programme_staff(user=user),
        },
    )


@require_safe
@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    form = forms.IdeaFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data["kind"], "discipline": data["discipline"],
            "language": data["language"].code if data["language"] else "",
            "audience": data["audience"], "region": data["region"],
        }  # fmt: skip
    ideas = selectors.idea_list(**filters)[:100]
    return render(
        request,
        "partnerships/idea_list.html",
        {"form": form, "ideas": ideas, "can_post": _staffed(_user(request)).exists()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def idea_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    institutions = _staffed(user)
    if not institutions.exists():
        raise PermissionDenied
    form = forms.IdeaForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(by=user, **form.cleaned_data)
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("Votre idée de projet est publiée."))
            return redirect(idea.get_absolute_url())
    return render(
        request, "partnerships/idea_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    idea = get_object_or_404(
        ProjectIdea.objects.select_related("institution", "discipline", "language"), pk=pk
    )
    own = idea.institution in _staffed(user) or user_is_programme_staff(user=user)
    if request.method == "POST":
        if not own:
            raise PermissionDenied
        services.idea_close(idea=idea, by=user)
        messages.success(request, gettext("L'idée de projet est close."))
        return redirect(idea.get_absolute_url())
    candidates = (
        selectors.match_candidates(institution=idea.institution, idea=idea, limit=10)
        if own and idea.status == IdeaStatus.OPEN
        else []
    )
    return render(
        request,
        "partnerships/idea_detail.html",
        {
            "idea": idea, "own": own, "candidates": candidates,
            "can_answer": not own and _staffed(user).exists() and idea.status == IdeaStatus.OPEN,
        },
    )  # fmt: skip


def _profile_context(institution: Institution) -> dict[str, Any]:
    profile = InstitutionProfile.objects.filter(institution=institution).first()
    courses = Course.objects.filter(
        Q(owners=institution) | Q(partners=institution), is_published=True
    ).distinct()
    return {
        "institution": institution,
        "profile": profile,
        "capabilities": [
            label for value, label in services.Capability.choices
            if profile and value in profile.capabilities
        ],
        "disciplines": list(profile.disciplines.all()) if profile else [],
        "languages": list(profile.languages.all()) if profile else [],
        "contacts": list(profile.contacts.all()) if profile else [],
        "courses": courses.order_by("title")[:20],
        "ideas": institution.project_ideas.filter(status=IdeaStatus.OPEN)[:10],
    }  # fmt: skip


@require_safe
@login_required
def profile_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    institution = get_object_or_404(Institution, slug=slug)
    own = institution in _staffed(user) or user_is_programme_staff(user=user)
    context = _profile_context(institution)
    context["own"] = own
    context["candidates"] = (
        selectors.match_candidates(institution=institution, limit=10)
        if own and institution.kind in services.ACADEMIC_KINDS
        else []
    )
    context["can_propose"] = (
        not own
        and institution.kind in services.ACADEMIC_KINDS
        and _staffed(user).exclude(pk=institution.pk).exists()
    )
    return render(request, "partnerships/profile_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    institution = get_object_or_404(Institution, slug=slug)
    if not (institution in _staffed(user) or user_is_programme_staff(user=user)):
        raise PermissionDenied
    profile = services.profile_for(institution=institution)
    initial = {
        "disciplines": list(profile.disciplines.all()), "languages": list(profile.languages.all()),
        "capabilities": profile.capabilities, "interests": profile.interests,
        "open_to_partnerships": profile.open_to_partnerships,
    }  # fmt: skip
    contacts_initial = [
        {"full_name": c.full_name, "function": c.function, "email": c.email, "phone": c.phone}
        for c in profile.contacts.all()
    ]
    contacts_initial += [{}] * (forms.MAX_CONTACTS - len(contacts_initial))
    post = request.POST if request.method == "POST" else None
    form = forms.ProfileForm(post, initial=initial)
    contacts = forms.ContactFormSet(post, initial=contacts_initial, prefix="contact")
    if post is not None and form.is_valid() and contacts.is_valid():
        try:
            services.profile_update(
                institution=institution, by=user, **form.cleaned_data,
                contacts=[
                    services.ContactData(
                        full_name=row.get("full_name", ""), email=row.get("email", ""),
                        function=row.get("function", ""), phone=row.get("phone", ""),
                    )
                    for row in contacts.cleaned_data
                    if row.get("full_name")
                ],
            )  # fmt: skip
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("Le profil est enregistré."))
            return redirect("partnerships:profile", institution.slug)
    return render(
        request,
        "partnerships/profile_form.html",
        {"institution": institution, "form": form, "contacts": contacts},
        status=400 if post is not None and (form.errors or contacts.errors) else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    partner = get_object_or_404(Institution, slug=slug, kind__in=list(services.ACADEMIC_KINDS))
    institutions = _staffed(user).exclude(pk=partner.pk)
    if not institutions.exists():
        raise PermissionDenied
    idea_param = request.GET.get("idee") or request.POST.get("idee") or ""
    idea = (
        ProjectIdea.objects.filter(pk=int(idea_param), status=IdeaStatus.OPEN).first()
        if idea_param.isdigit()
        else None
    )
    initial = {"title": idea.title} if idea else {}
    form = forms.ProposeForm(request.POST or None, institutions=institutions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_propose(
                proposer=form.cleaned_data["proposer"], partner=partner, by=user,
                title=form.cleaned_data["title"], message=form.cleaned_data["message"],
                idea=idea, ip_address=_ip(request),
            )  # fmt: skip
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("Votre proposition est envoyée."))
            return redirect(partnership.get_absolute_url())
    return render(
        request,
        "partnerships/propose.html",
        {"partner": partner, "idea": idea, "form": form},
        status=400 if form.errors else 200,
    )


# --- A partnership's page --------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> Partnership:
    return selectors.partnership_get_for(user=_user(request), pk=pk)


@require_safe
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partnership = _visible(request, pk)
    agreement = Agreement.objects.filter(partnership=partnership).first()
    speaks_for = [
        party
        for party in (partnership.proposer, partnership.partner)
        if services.user_speaks_for(user=user, institution=party)
    ]
    signs_for = [
        party
        for party in speaks_for
        if Role.SIGNATORY
        in user.role_assignments.filter(institution=party).values_list("role", flat=True)
    ]
    signatures = (
        list(agreement.signatures.select_related("institution").order_by("signed_at"))
        if agreement
        else []
    )
    signed_now = {
        s.institution_id for s in signatures if agreement and s.version == agreement.version
    }
    is_party = bool(speaks_for)
    state = partnership.state
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership, "agreement": agreement, "is_party": is_party,
            "is_partner": partnership.partner in speaks_for,
            "thread": partnership.messages.select_related("author", "institution"),
            "events": selectors.partnership_events(partnership=partnership),
            "courses": partnership.courses.all(),
            "signatures": signatures,
            "to_sign": [party for party in signs_for if party.pk not in signed_now],
            "message_form": forms.MessageForm(), "decline_form": forms.DeclineForm(),
            "reopen_form": forms.ReopenForm(), "course_form": forms.CourseLinkForm(),
            "thread_open": state in services.THREAD_OPEN and is_party,
            "can_answer": state in (State.PROPOSED, State.DISCUSSION),
            "can_draft": state == State.ACCEPTED and is_party,
            "can_submit": state == State.ACCEPTED and is_party and agreement is not None,
            "can_reopen": state == State.DRAFTED and is_party,
            "can_link": state in (State.ACTIVE, State.PRODUCED) and is_party,
            "can_mark_produced": state == State.ACTIVE and is_party,
            "can_close": state == State.PRODUCED
            and (is_party or user_is_programme_staff(user=user)),
            "State": State,
        },
    )  # fmt: skip


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The buttons of the partnership's page, each one service call."""
    user = _user(request)
    partnership = _visible(request, pk)
    ip = _ip(request)
    done = {
        "accepter": gettext("Proposition acceptée : rédigez ensemble la convention."),
        "refuser": gettext("Proposition refusée."),
        "message": gettext("Message envoyé."),
        "soumettre": gettext("La convention est envoyée à la signature."),
        "rouvrir": gettext("La convention est rouverte."),
        "cours": gettext("Cours rattaché au partenariat."),
        "produit": gettext("Le partenariat a produit ses cours."),
        "clore": gettext("Le partenariat est clos."),
    }
    if action not in done:
        return redirect(partnership.get_absolute_url())
    try:
        if action == "accepter":
            services.partnership_accept(partnership=partnership, by=user, ip_address=ip)
        elif action == "refuser":
            form = forms.DeclineForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.partnership_decline(
                partnership=partnership, by=user, reason=reason, ip_address=ip
            )
        elif action == "message":
            message_form = forms.MessageForm(request.POST)
            if not message_form.is_valid():
                messages.error(request, gettext("Écrivez un message (5 000 caractères au plus)."))
                return redirect(partnership.get_absolute_url() + "#fil")
            services.partnership_message_post(
                partnership=partnership,
                by=user,
                body=message_form.cleaned_data["body"],
                ip_address=ip,
            )
        elif action == "soumettre":
            agreements.agreement_submit(partnership=partnership, by=user, ip_address=ip)
        elif action == "rouvrir":
            reopen_form = forms.ReopenForm(request.POST)
            if not reopen_form.is_valid():
                messages.error(request, gettext("Dites pourquoi la convention est rouverte."))
                return redirect(partnership.get_absolute_url())
            agreements.agreement_reopen(
                partnership=partnership,
                by=user,
                reason=reopen_form.cleaned_data["reason"],
                ip_address=ip,
            )
        elif action == "cours":
            course_form = forms.CourseLinkForm(request.POST)
            course = (
                course_from_reference(reference=course_form.cleaned_data["course"])
                if course_form.is_valid()
                else None
            )
            if course is None:
                messages.error(
                    request,
                    gettext("Aucun cours du catalogue ne répond à ce code ou à cette adresse."),
                )
                return redirect(partnership.get_absolute_url())
            services.partnership_course_link(
                partnership=partnership, by=user, course=course, ip_address=ip
            )
        elif action == "produit":
            services.partnership_mark_produced(partnership=partnership, by=user, ip_address=ip)
        elif action == "clore":
            services.partnership_close(partnership=partnership, by=user, ip_address=ip)
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done[action])
    return redirect(partnership.get_absolute_url())


def _agreement_initial(partnership: Partnership, agreement: Agreement | None) -> dict[str, Any]:
    if agreement is None:
        return {"currency": "EUR", "licence": "CC-BY-SA-4.0"}
    roles = {party.institution_id: party for party in agreement.parties.all()}
    proposer, partner = roles.get(partnership.proposer_id), roles.get(partnership.partner_id)
    return {
        "purpose": agreement.purpose, "licence": agreement.licence,
        "ip_terms": agreement.ip_terms, "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on, "currency": agreement.currency,
        "proposer_role": proposer.role if proposer else "",
        "proposer_contributions": proposer.contributions if proposer else "",
        "partner_role": partner.role if partner else "",
        "partner_contributions": partner.contributions if partner else "",
    }  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partnership = _visible(request, pk)
    if not any(
        services.user_speaks_for(user=user, institution=party)
        for party in (partnership.proposer, partnership.partner)
    ):
        raise PermissionDenied
    if partnership.state != State.ACCEPTED:
        messages.error(
            request,
            gettext(
                "La convention se rédige une fois la proposition acceptée, avant sa signature."
            ),
        )
        return redirect(partnership.get_absolute_url())
    agreement = Agreement.objects.filter(partnership=partnership).first()
    parties = [partnership.proposer, partnership.partner]
    milestones_initial: list[dict[str, Any]] = (
        [{"title": m.title, "due_on": m.due_on} for m in agreement.milestones.all()]
        if agreement
        else []
    )
    milestones_initial += [{}] * (forms.MAX_MILESTONES - len(milestones_initial))
    budget_initial: list[dict[str, Any]] = (
        [
            {"label": b.label, "funded_by": str(b.funded_by_id), "amount": str(b.amount)}
            for b in agreement.budget_lines.all()
        ]
        if agreement
        else []
    )
    budget_initial += [{}] * (forms.MAX_BUDGET_LINES - len(budget_initial))
    post = request.POST if request.method == "POST" else None
    form = forms.AgreementForm(post, initial=_agreement_initial(partnership, agreement))
    milestones = forms.MilestoneFormSet(post, initial=milestones_initial, prefix="etape")
    budget = forms.BudgetLineFormSet(
        post, initial=budget_initial, prefix="budget", form_kwargs={"parties": parties}
    )
    if post is not None and form.is_valid() and milestones.is_valid() and budget.is_valid():
        data = form.cleaned_data
        by_id = {str(party.pk): party for party in parties}
        try:
            agreements.agreement_save(
                partnership=partnership, by=user, purpose=data["purpose"],
                licence=data["licence"], ip_terms=data["ip_terms"],
                starts_on=data["starts_on"], ends_on=data["ends_on"],
                currency=data["currency"], ip_address=_ip(request),
                parties=[
                    agreements.PartyTerms(
                        partnership.proposer, data["proposer_role"], data["proposer_contributions"]
                    ),
                    agreements.PartyTerms(
                        partnership.partner, data["partner_role"], data["partner_contributions"]
                    ),
                ],
                milestones=[
                    agreements.Milestone(row["title"], row["due_on"])
                    for row in milestones.cleaned_data
                    if row.get("title")
                ],
                budget_lines=[
                    agreements.BudgetLine(row["label"], by_id[row["funded_by"]], row["amount"])
                    for row in budget.cleaned_data
                    if row.get("label")
                ],
            )  # fmt: skip
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("La convention est enregistrée."))
            return redirect(partnership.get_absolute_url())
    invalid = post is not None and (form.errors or milestones.errors or budget.errors)
    return render(
        request,
        "partnerships/agreement_form.html",
        {
            "partnership": partnership, "form": form, "milestones": milestones,
            "budget": budget,
        },
        status=400 if invalid else 200,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partnership = _visible(request, pk)
    institutions = Institution.objects.filter(
        pk__in=partnership.party_ids,
        role_assignments__user=user,
        role_assignments__role=Role.SIGNATORY,
    ).distinct()
    if not institutions.exists():
        raise PermissionDenied
    agreement = Agreement.objects.filter(partnership=partnership).first()
    if partnership.state != State.DRAFTED or agreement is None:
        messages.error(request, gettext("Aucune convention n'attend de signature."))
        return redirect(partnership.get_absolute_url())
    form = forms.SignForm(
        request.POST or None,
        request.FILES or None,
        institutions=institutions,
        initial={"signed_name": user.get_full_name()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("signed_pdf")
        if upload is not None and upload.size > agreements.MAX_SIGNED_PDF_BYTES:
            form.add_error("signed_pdf", gettext("Fichier trop volumineux (10 Mo au plus)."))
        else:
            try:
                agreements.agreement_sign(
                    partnership=partnership, by=user, institution=data["institution"],
                    signed_name=data["signed_name"], signed_function=data["signed_function"],
                    signed_pdf=upload.read() if upload is not None else None,
                    ip_address=_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                )  # fmt: skip
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, gettext("Vous avez signé la convention."))
                return redirect(partnership.get_absolute_url())
    return render(
        request,
        "partnerships/sign.html",
        {"partnership": partnership, "agreement": agreement, "form": form},
        status=400 if form.errors else 200,
    )
