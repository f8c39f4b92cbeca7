"""The programme's pages for its calls: the list of every call (drafts too), a new call, and a
call's page of settings — the main form (the timeline typed as dates and times of the call's
own time zone, stored in UTC), its strands, funding tiers, dossier and grid (while a draft),
and the buttons that publish and archive it. Programme staff only: anyone else gets a 404,
the login page when signed out. The rules are the services'; a refusal comes back as a form
error (status 400) and nothing of the request is kept."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Q
from django.forms.boundfield import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format, time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_programme_staff
from sankore.calls import call_parts, services
from sankore.calls.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    Criterion,
    DossierSection,
    FundingTier,
    SectionKind,
    Strand,
)
from sankore.core.errors import ServiceError
from sankore.core.numbers import number_parse
from sankore.institutions.geography import Region
from sankore.institutions.models import TIME_ZONE_CHOICES, InstitutionKind

View = Callable[..., HttpResponseBase]
MEBIBYTE = 1024 * 1024


def programme_only(view: View) -> View:
    """Signed in (else the login page), and of the programme's staff (else a 404: the pages
    of calls in preparation are not to be guessed)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_is_programme_staff(user=request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # programme_only ran first
    return request.user


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- Fields ----------------------------------------------------------------------------------


class AmountField(forms.Field):
    """An amount as people type it, French or English: « 12 500,50 », « 12500.50 »."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        amount = number_parse(text)
        if amount is None:
            raise ValidationError(
                _("Montant illisible : écrivez par exemple 12 500,50."), code="invalid"
            )
        return amount


def _amount_text(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _instant(day: datetime.date, time: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The instant (in UTC) of a wall-clock time in ``zone``. A time the clocks skip that day
    (put forward) or show twice (put back) is refused rather than guessed."""
    local = datetime.datetime.combine(day, time)
    first, second = local.replace(tzinfo=zone), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        if first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != local:
            raise ValidationError(
                _("Cette heure n'existe pas ce jour-là dans le fuseau %(zone)s (on avance les "
                  "horloges) : choisissez-en une autre."),
                code="nonexistent", params={"zone": zone.key},
            )  # fmt: skip
        raise ValidationError(
            _("Cette heure a lieu deux fois ce jour-là dans le fuseau %(zone)s (on retarde les "
              "horloges) : choisissez-en une autre."),
            code="ambiguous", params={"zone": zone.key},
        )  # fmt: skip
    return first.astimezone(datetime.UTC)


def _refusal_on(form: forms.Form, refused: ServiceError, fields: Mapping[str, str]) -> None:
    """A service's refusal as an error of the field it is about (else of the form)."""
    name = fields.get(refused.code)
    if name and name in form.fields and not form.fields[name].disabled:
        form.add_error(name, str(refused.message))
    else:
        form.add_error(None, str(refused.message))


# --- The call's main form --------------------------------------------------------------------

# The timeline's fields: the date and the time typed, in the call's zone, for each instant.
TIMELINE = (("opens_at", "opens_on", "opens_time"), ("closes_at", "closes_on", "closes_time"),
            ("full_proposal_closes_at", "full_proposal_on", "full_proposal_time"),
            ("review_ends_at", "review_ends_on", "review_ends_time"))  # fmt: skip
# The one instant a call may do without (the second stage's closing).
OPTIONAL_INSTANTS = frozenset({"full_proposal_closes_at"})
# The form's fields of each service field (most are the same name).
FORM_FIELDS: dict[str, tuple[str, ...]] = {name: (name,) for name in services.CALL_FIELDS_ORDER} | {
    instant: (day, time) for instant, day, time in TIMELINE
}
CALL_ERRORS = {
    "empty": "title", "bad_slug": "slug", "bad_amount": "total_budget",
    "bad_currency": "currency", "bad_zone": "time_zone", "bad_timeline": "closes_on",
    "closing_earlier": "closes_on", "bad_results": "results_on",
    "bad_reviewers": "reviewers_per_application", "bad_threshold": "disagreement_threshold",
    "stage_sections": "two_stages", "bad_full_proposal": "full_proposal_on",
}  # fmt: skip
NEW_CALL_INITIAL: dict[str, Any] = {
    "members_only": True, "southern_lead_required": True, "currency": "EUR",
    "time_zone": "Europe/Paris", "opens_time": datetime.time(0, 0),
    "closes_time": datetime.time(17, 0), "review_ends_time": datetime.time(23, 59),
    "reviewers_per_application": 2, "disagreement_threshold": 15,
}  # fmt: skip


def call_initial(call: Call) -> dict[str, Any]:
    """The form's values of a saved call: its instants as dates and times of its zone."""
    initial: dict[str, Any] = {
        name: getattr(call, name) for name in services.CALL_FIELDS_ORDER if name not in
        ("total_budget", "opens_at", "closes_at", "full_proposal_closes_at", "review_ends_at")
    }  # fmt: skip
    initial["total_budget"] = _amount_text(call.total_budget)
    for instant, day, time in TIMELINE:
        if getattr(call, instant) is None:
            continue
        local = timezone.localtime(getattr(call, instant), call.zone)
        initial[day], initial[time] = local.date(), local.time()
    return initial


class CallForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    slug = forms.SlugField(
        label=_("Identifiant d'URL"), max_length=80, required=False,
        help_text=_("Dans l'adresse de l'appel : minuscules, chiffres et tirets. Laissé vide, "
                    "il est déduit de l'intitulé."),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Présentation"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    members_only = forms.BooleanField(label=_("Réservé aux membres du réseau"), required=False)
    southern_lead_required = forms.BooleanField(
        label=_("Le porteur est un établissement du Sud"), required=False
    )
    partner_required = forms.BooleanField(
        label=_("Au moins un établissement partenaire"), required=False
    )
    regions = forms.MultipleChoiceField(
        label=_("Régions admises"), choices=Region.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les régions."),
    )  # fmt: skip
    institution_kinds = forms.MultipleChoiceField(
        label=_("Types d'établissement admis"), choices=InstitutionKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : tous les types."),
    )  # fmt: skip
    currency = forms.CharField(
        label=_("Devise"), max_length=3, min_length=3,
        help_text=_("Son code de trois lettres : EUR, XOF, XAF, USD…"),
    )  # fmt: skip
    total_budget = AmountField(
        label=_("Enveloppe totale"), help_text=_("Par exemple 250 000 ou 12 500,50.")
    )
    time_zone = forms.ChoiceField(
        label=_("Fuseau horaire de référence"), choices=TIME_ZONE_CHOICES,
        help_text=_("Les dates et heures ci-dessous sont celles de ce fuseau ; elles sont "
                    "enregistrées en temps universel (UTC)."),
    )  # fmt: skip
    opens_on = forms.DateField(label=_("Date d'ouverture"), widget=_date_input())
    opens_time = forms.TimeField(label=_("Heure d'ouverture"), widget=_time_input())
    closes_on = forms.DateField(label=_("Date de clôture"), widget=_date_input())
    closes_time = forms.TimeField(
        label=_("Heure de clôture"), widget=_time_input(),
        help_text=_("Les candidatures sont refusées dès cette minute."),
    )  # fmt: skip
    full_proposal_on = forms.DateField(
        label=_("Clôture des propositions complètes (date)"), widget=_date_input(),
        required=False,
        help_text=_("En deux temps seulement : la clôture ci-dessus est celle des lettres "
                    "d'intention ; les projets présélectionnés déposent leur proposition "
                    "complète avant celle-ci."),
    )  # fmt: skip
    full_proposal_time = forms.TimeField(
        label=_("Clôture des propositions complètes (heure)"), widget=_time_input(),
        required=False,
    )  # fmt: skip
    review_ends_on = forms.DateField(label=_("Fin de l'évaluation (date)"), widget=_date_input())
    review_ends_time = forms.TimeField(label=_("Fin de l'évaluation (heure)"), widget=_time_input())
    results_on = forms.DateField(
        label=_("Date des résultats"), widget=_date_input(),
        help_text=_("Après le jour de la clôture."),
    )  # fmt: skip
    reviewers_per_application = forms.IntegerField(
        label=_("Experts par candidature"), min_value=1, max_value=6
    )
    disagreement_threshold = forms.IntegerField(
        label=_("Seuil de désaccord entre experts (points sur 100)"), min_value=0, max_value=100
    )
    normalise_scores = forms.BooleanField(
        label=_("Normaliser les notes de chaque expert"), required=False
    )
    two_stages = forms.BooleanField(
        label=_("En deux temps : une lettre d'intention, puis une proposition complète"),
        required=False,
    )

    groups: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
        (_("L'appel"), ("title", "slug", "description")),
        (_("Qui peut candidater"), ("members_only", "southern_lead_required",
                                    "partner_required", "regions", "institution_kinds")),
        (_("Financement"), ("currency", "total_budget")),
        (_("Calendrier"), ("time_zone", "opens_on", "opens_time", "closes_on", "closes_time",
                             "full_proposal_on", "full_proposal_time",
                           "review_ends_on", "review_ends_time", "results_on")),
        (_("Évaluation"), ("reviewers_per_application", "disagreement_threshold",
                           "normalise_scores", "two_stages")),
    )  # fmt: skip

    def __init__(self, *args: Any, call: Call | None = None, **kwargs: Any) -> None:
        self.call = call
        if call is not None:
            kwargs.setdefault("initial", call_initial(call))
        super().__init__(*args, **kwargs)
        if call is not None:
            self.fields["slug"].help_text = _(
                "Dans l'adresse de l'appel : minuscules, chiffres et tirets. Laissé vide, il "
                "reste tel quel."
            )
        if call is not None and call.status != CallStatus.DRAFT:
            # Once published, the rules stay as applicants read them; archived, all of it.
            open_fields = {
                form_name
                for name in services.EDITABLE_ONCE_PUBLISHED
                for form_name in FORM_FIELDS[name]
            }
            for name, field in self.fields.items():
                if call.status == CallStatus.ARCHIVED or name not in open_fields:
                    field.disabled = True

    def fieldsets(self) -> list[tuple[StrOrPromise, list[BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    @property
    def editable(self) -> bool:
        return any(not field.disabled for field in self.fields.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone_name = data.get("time_zone")
        if not zone_name:
            return data
        zone = zoneinfo.ZoneInfo(zone_name)
        for instant_name, day_name, time_name in TIMELINE:
            day, time = data.get(day_name), data.get(time_name)
            if day is None or time is None:
                if instant_name in OPTIONAL_INSTANTS and not self.fields[day_name].disabled:
                    data[instant_name] = None
                continue
            try:
                instant = _instant(day, time, zone)
            except ValidationError as error:
                self.add_error(time_name, error)
                continue
            stored = getattr(self.call, instant_name, None)
            if stored is not None and stored.replace(second=0, microsecond=0) == instant:
                instant = stored  # the page shows minutes: the seconds stored stay
            data[instant_name] = instant
        return data

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments (``call_create``, ``call_update``)."""
        return {
            name: self.cleaned_data[name]
            for name in services.CALL_FIELDS_ORDER
            if name in self.cleaned_data
        }


def _closing_text(call: Call) -> str:
    local = timezone.localtime(call.closes_at, call.zone)
    utc = timezone.localtime(call.closes_at, datetime.UTC)
    return gettext(
        "clôture le %(date)s à %(time)s (heure de %(zone)s), soit le %(utc_date)s à "
        "%(utc_time)s en temps universel (UTC)"
    ) % {
        "date": date_format(local, "j F Y"), "time": time_format(local, "H:i"),
        "zone": call.time_zone, "utc_date": date_format(utc, "j F Y"),
        "utc_time": time_format(utc, "H:i"),
    }  # fmt: skip


# --- The parts' forms ------------------------------------------------------------------------


def _position_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Ordre"), required=False, min_value=0, max_value=services.MAX_POSITION,
        help_text=_("Les plus petits d'abord ; laissé vide : à la suite."),
    )  # fmt: skip


class PartForm(forms.Form):
    """A small form for one part of a call; ``values`` are its service's keyword arguments."""

    def __init__(self, *args: Any, call: Call, part: Any = None, **kwargs: Any) -> None:
        self.call = call
        if part is not None:
            kwargs.setdefault("initial", self.initial_from(part))
        super().__init__(*args, **kwargs)

    def initial_from(self, part: Any) -> dict[str, Any]:
        return {name: getattr(part, name) for name in self.base_fields}

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class StrandForm(PartForm):
    title = forms.CharField(label=_("Intitulé du volet"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    position = _position_field()


class TierForm(PartForm):
    label = forms.CharField(label=_("Nom du palier"), max_length=120)
    max_amount = AmountField(
        label=_("Montant maximal"), help_text=_("Dans la devise de l'appel ; par exemple 40 000.")
    )

    def initial_from(self, part: Any) -> dict[str, Any]:
        return {"label": part.label, "max_amount": _amount_text(part.max_amount)}


class SectionForm(PartForm):
    title = forms.CharField(label=_("Intitulé de la rubrique"), max_length=200)
    key = forms.SlugField(
        label=_("Clé"), max_length=40, required=False,
        help_text=_("Unique dans l'appel : minuscules, chiffres et tirets. Laissée vide, celle "
                    "de la rubrique reste ; pour une nouvelle, elle est déduite de l'intitulé."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Nature"), choices=SectionKind.choices)
    required = forms.BooleanField(label=_("Obligatoire"), required=False, initial=True)
    help_text = forms.CharField(
        label=_("Consigne pour les candidats"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    max_length = forms.IntegerField(
        label=_("Longueur maximale d'un texte (caractères)"), min_value=1,
        max_value=services.MAX_TEXT_LENGTH, initial=5000,
    )  # fmt: skip
    accepted_types = forms.MultipleChoiceField(
        label=_("Types de fichiers acceptés (pièce jointe)"), required=False,
        choices=[(key, key.upper()) for key in services.CONTENT_TYPES],
        widget=forms.CheckboxSelectMultiple, initial=["pdf"],
    )  # fmt: skip
    max_megabytes = forms.IntegerField(
        label=_("Taille maximale d'une pièce jointe (Mo)"), min_value=1,
        max_value=services.MAX_UPLOAD_BYTES // MEBIBYTE, initial=5,
    )  # fmt: skip
    stage = forms.TypedChoiceField(
        label=_("Étape"), coerce=int, initial=1,
        choices=[(1, _("lettre d'intention")), (2, _("proposition complète"))],
    )  # fmt: skip
    position = _position_field()

    def __init__(self, *args: Any, call: Call, part: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, call=call, part=part, **kwargs)
        if not call.two_stages:
            del self.fields["stage"]

    def initial_from(self, part: Any) -> dict[str, Any]:
        names = ("title", "key", "kind", "required", "help_text", "max_length",
                 "accepted_types", "stage", "position")  # fmt: skip
        initial = {name: getattr(part, name) for name in names}
        initial["max_megabytes"] = max(1, part.max_bytes // MEBIBYTE)
        return initial

    def values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["max_bytes"] = values.pop("max_megabytes") * MEBIBYTE
        values.setdefault("stage", 1)
        return values


class CriterionForm(PartForm):
    title = forms.CharField(label=_("Critère"), max_length=200)
    key = forms.SlugField(
        label=_("Clé"), max_length=40, required=False,
        help_text=_("Unique dans l'appel. Laissée vide, celle du critère reste ; pour un "
                    "nouveau, elle est déduite de l'intitulé."),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Ce que l'expert regarde"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    weight = forms.IntegerField(
        label=_("Poids"), help_text=_("De 1 à 100 ; seuls les rapports entre poids comptent."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )  # fmt: skip
    scale_max = forms.IntegerField(
        label=_("Note maximale"), initial=5,
        help_text=_("L'expert note de 0 à ce nombre (1 à 100)."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )  # fmt: skip
    position = _position_field()


@dataclass(frozen=True)
class PartKind:
    """One kind of a call's parts, as its pages handle it."""

    form: type[PartForm]
    prefix: str  # of its form's fields (the call's page holds four small forms)
    related: str  # the call's related manager
    anchor: str  # its section of the call's page
    instance: str  # the services' keyword for the part changed
    save: Callable[..., Model]
    delete: Callable[..., None]
    add_title: StrOrPromise
    edit_title: StrOrPromise
    saved: StrOrPromise
    deleted: StrOrPromise
    errors: Mapping[str, str]  # a refusal's code → the field it is about


PART_KINDS: dict[str, PartKind] = {
    "volets": PartKind(
        form=StrandForm, prefix="volet", related="strands", anchor="volets", instance="strand",
        save=call_parts.strand_save, delete=call_parts.strand_delete,
        add_title=_("Ajouter un volet"), edit_title=_("Modifier le volet"),
        saved=_("Volet enregistré."), deleted=_("Volet supprimé."),
        errors={"empty": "title", "bad_position": "position"},
    ),
    "paliers": PartKind(
        form=TierForm, prefix="palier", related="tiers", anchor="paliers", instance="tier",
        save=call_parts.tier_save, delete=call_parts.tier_delete,
        add_title=_("Ajouter un palier"), edit_title=_("Modifier le palier"),
        saved=_("Palier enregistré."), deleted=_("Palier supprimé."),
        errors={"empty": "label", "bad_amount": "max_amount"},
    ),
    "rubriques": PartKind(
        form=SectionForm, prefix="rubrique", related="sections", anchor="dossier",
        instance="section", save=call_parts.section_save, delete=call_parts.section_delete,
        add_title=_("Ajouter une rubrique au dossier"), edit_title=_("Modifier la rubrique"),
        saved=_("Rubrique enregistrée."), deleted=_("Rubrique supprimée."),
        errors={
            "empty": "title", "bad_key": "key", "bad_kind": "kind", "bad_stage": "stage",
            "bad_length": "max_length", "bad_types": "accepted_types",
            "bad_size": "max_megabytes", "bad_position": "position",
        },
    ),
    "criteres": PartKind(
        form=CriterionForm, prefix="critere", related="criteria", anchor="grille",
        instance="criterion", save=call_parts.criterion_save, delete=call_parts.criterion_delete,
        add_title=_("Ajouter un critère"), edit_title=_("Modifier le critère"),
        saved=_("Critère enregistré."), deleted=_("Critère supprimé."),
        errors={
            "empty": "title", "bad_key": "key", "bad_weight": "weight",
            "bad_scale": "scale_max", "bad_position": "position",
        },
    ),
}  # fmt: skip

# The journal's actions, as the call's page names them.
ACTIONS: dict[str, StrOrPromise] = {
    "call_created": _("appel créé"), "call_updated": _("réglages modifiés"),
    "call_extended": _("clôture reportée"), "call_published": _("appel publié"),
    "call_archived": _("appel archivé"),
    "strand_added": _("volet ajouté"), "strand_changed": _("volet modifié"),
    "strand_deleted": _("volet supprimé"), "tier_added": _("palier ajouté"),
    "tier_changed": _("palier modifié"), "tier_deleted": _("palier supprimé"),
    "section_added": _("rubrique ajoutée"), "section_changed": _("rubrique modifiée"),
    "section_deleted": _("rubrique supprimée"), "criterion_added": _("critère ajouté"),
    "criterion_changed": _("critère modifié"), "criterion_deleted": _("critère supprimé"),
}  # fmt: skip
CALL_ACTIONS = frozenset(ACTIONS)


def _part_kind(kind: str) -> PartKind:
    try:
        return PART_KINDS[kind]
    except KeyError:
        raise Http404 from None


def _edit_url(call: Call, anchor: str = "") -> str:
    url = reverse("calls:call_edit", args=[call.slug])
    return f"{url}#{anchor}" if anchor else url


# --- Pages -----------------------------------------------------------------------------------


@require_safe
@programme_only
def programme_list(request: HttpRequest) -> HttpResponse:
    """Every call, drafts first among the newest, with its submitted applications counted in
    the same query."""
    calls = Call.objects.annotate(
        submitted=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED))
    ).order_by("-created_at", "-pk")
    return render(request, "calls/editing/programme_list.html", {"calls": calls})


@require_http_methods(["GET", "HEAD", "POST"])
@programme_only
def call_new(request: HttpRequest) -> HttpResponse:
    form = CallForm(_posted(request), initial=NEW_CALL_INITIAL)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(by=_user(request), **form.values())
        except ServiceError as refused:
            _refusal_on(form, refused, CALL_ERRORS)
        else:
            messages.success(
                request,
                gettext("Appel créé, en préparation : %(closing)s. Complétez-le puis publiez-le.")
                % {"closing": _closing_text(call)},
            )
            return redirect(_edit_url(call))
    return render(
        request, "calls/editing/call_new.html", {"form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _edit_page(
    request: HttpRequest, call: Call, *, form: CallForm | None = None,
    refusal: StrOrPromise | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    draft = call.status == CallStatus.DRAFT
    criteria = list(call.criteria.all())
    events = call.events.filter(action__in=CALL_ACTIONS, application__isnull=True)
    return render(
        request,
        "calls/editing/call_edit.html",
        {
            "call": call, "form": form or CallForm(call=call), "refusal": refusal,
            "draft": draft, "published": call.status == CallStatus.PUBLISHED,
            "archived": call.status == CallStatus.ARCHIVED, "is_open": call.is_open(),
            "strands": call.strands.all(), "tiers": call.tiers.all(),
            "sections": call.sections.all(), "criteria": criteria,
            "weights": sum(c.weight for c in criteria),
            "submitted": call.applications.filter(status=ApplicationStatus.SUBMITTED).count(),
            "add_forms": {
                name: kind.form(call=call, prefix=kind.prefix)
                for name, kind in PART_KINDS.items()
            } if draft else {},
            "events": [
                {"event": e, "label": ACTIONS.get(e.action, e.action)}
                for e in events.select_related("actor").order_by("-at", "-pk")[:20]
            ],
            "SectionKind": SectionKind,
        },
        status=status,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@programme_only
def call_edit(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    form = CallForm(_posted(request), call=call)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.call_update(call=call, by=_user(request), **form.values())
        except ServiceError as refused:
            _refusal_on(form, refused, CALL_ERRORS)
        else:
            messages.success(
                request,
                gettext("Appel enregistré : %(closing)s.") % {"closing": _closing_text(updated)},
            )
            return redirect(_edit_url(updated))
    return _edit_page(request, call, form=form, status=400 if form.errors else 200)


@require_POST
@programme_only
def call_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    try:
        services.call_publish(call=call, by=_user(request))
    except ServiceError as refused:
        return _edit_page(request, call, refusal=refused.message, status=400)
    messages.success(
        request,
        gettext("Appel publié : il paraît dans la liste des appels ; %(closing)s.")
        % {"closing": _closing_text(call)},
    )
    return redirect(_edit_url(call))


@require_POST
@programme_only
def call_archive(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    try:
        services.call_archive(call=call, by=_user(request))
    except ServiceError as refused:
        return _edit_page(request, call, refusal=refused.message, status=400)
    messages.success(request, gettext("Appel archivé : il ne paraît plus dans la liste."))
    return redirect(_edit_url(call))


def _part_page(
    request: HttpRequest, call: Call, kind: PartKind, form: PartForm, title: StrOrPromise,
    part: Any = None,
) -> HttpResponse:  # fmt: skip
    return render(
        request,
        "calls/editing/part_form.html",
        {
            "call": call, "kind": kind, "form": form, "title": title, "part": part,
            "draft": call.status == CallStatus.DRAFT, "back": _edit_url(call, kind.anchor),
        },
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@programme_only
def part_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    part_kind = _part_kind(kind)
    form = part_kind.form(_posted(request), call=call, prefix=part_kind.prefix)
    if request.method == "POST" and form.is_valid():
        try:
            part_kind.save(call=call, by=_user(request), **form.values())
        except ServiceError as refused:
            _refusal_on(form, refused, part_kind.errors)
        else:
            messages.success(request, str(part_kind.saved))
            return redirect(_edit_url(call, part_kind.anchor))
    return _part_page(request, call, part_kind, form, part_kind.add_title)


def _part(call: Call, kind: PartKind, pk: int) -> Strand | FundingTier | DossierSection | Criterion:
    part: Strand | FundingTier | DossierSection | Criterion = get_object_or_404(
        getattr(call, kind.related).all(), pk=pk
    )
    return part


@require_http_methods(["GET", "HEAD", "POST"])
@programme_only
def part_edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    part_kind = _part_kind(kind)
    part = _part(call, part_kind, pk)
    form = part_kind.form(_posted(request), call=call, part=part, prefix=part_kind.prefix)
    if request.method == "POST" and form.is_valid():
        try:
            part_kind.save(
                call=call, by=_user(request), **form.values(), **{part_kind.instance: part}
            )
        except ServiceError as refused:
            _refusal_on(form, refused, part_kind.errors)
        else:
            messages.success(request, str(part_kind.saved))
            return redirect(_edit_url(call, part_kind.anchor))
    return _part_page(request, call, part_kind, form, part_kind.edit_title, part)


@require_POST
@programme_only
def part_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    part_kind = _part_kind(kind)
    part = _part(call, part_kind, pk)
    try:
        part_kind.delete(by=_user(request), **{part_kind.instance: part})
    except ServiceError as refused:
        return _edit_page(request, call, refusal=refused.message, status=400)
    messages.success(request, str(part_kind.deleted))
    return redirect(_edit_url(call, part_kind.anchor))
