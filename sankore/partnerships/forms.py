"""Forms of the partnership pages; they read and check input, the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import Discipline, Language, Licence
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution
from sankore.partnerships.models import (
    Audience,
    Capability,
    IdeaKind,
    MatchWeights,
    PartnershipState,
)

if TYPE_CHECKING:
    from sankore.partnerships.selectors import RegionPairCount

MAX_CONTACTS = 4
MAX_MILESTONES = 6
MAX_BUDGET_LINES = 8


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _disciplines() -> Any:
    return Discipline.objects.order_by("name_fr")


class ProfileForm(forms.Form):
    disciplines = forms.ModelMultipleChoiceField(
        label=_("Disciplines"), queryset=Discipline.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    languages = forms.ModelMultipleChoiceField(
        label=_("Langues d'enseignement"), queryset=Language.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    capabilities = forms.MultipleChoiceField(
        label=_("Ce que l'établissement peut apporter"), choices=Capability.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    interests = forms.CharField(
        label=_("Centres d'intérêt"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    open_to_partnerships = forms.BooleanField(
        label=_("Ouvert à de nouveaux partenariats"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = _disciplines()  # type: ignore[attr-defined]
        self.fields["languages"].queryset = Language.objects.all()  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Nom"), max_length=200, required=False)
    function = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("full_name") and not data.get("email"):
            self.add_error("email", _("Indiquez le courriel de cette personne."))
        return data


ContactFormSet = forms.formset_factory(
    ContactForm, extra=0, max_num=MAX_CONTACTS, absolute_max=MAX_CONTACTS
)


class IdeaForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Établissement"), queryset=Institution.objects.none()
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=IdeaKind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Le CLOM que vous voulez co-construire : son sujet, pour qui, pourquoi."),
    )  # fmt: skip
    discipline = forms.ModelChoiceField(label=_("Discipline"), queryset=Discipline.objects.none())
    audience = forms.ChoiceField(label=_("Public"), choices=Audience.choices)
    language = forms.ModelChoiceField(label=_("Langue"), queryset=Language.objects.none())
    brings = forms.MultipleChoiceField(
        label=_("Nous apportons"), choices=Capability.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    brings_details = forms.CharField(
        label=_("Ce que nous apportons, en détail"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    seeks = forms.MultipleChoiceField(
        label=_("Nous cherchons"), choices=Capability.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    seeks_details = forms.CharField(
        label=_("Ce que nous cherchons, en détail"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    starts_on = forms.DateField(label=_("Début souhaité"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin souhaitée"), widget=DateInput())

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["discipline"].queryset = _disciplines()  # type: ignore[attr-defined]
        self.fields["language"].queryset = Language.objects.all()  # type: ignore[attr-defined]
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin doit suivre le début."))
        return data


class IdeaFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Nature"), choices=[("", _("Toutes")), *IdeaKind.choices], required=False
    )
    discipline = forms.ModelChoiceField(
        label=_("Discipline"), queryset=Discipline.objects.none(), required=False,
        empty_label=_("Toutes"),
    )  # fmt: skip
    language = forms.ModelChoiceField(
        label=_("Langue"), queryset=Language.objects.none(), required=False,
        empty_label=_("Toutes"),
    )  # fmt: skip
    audience = forms.ChoiceField(
        label=_("Public"), choices=[("", _("Tous")), *Audience.choices], required=False
    )
    region = forms.ChoiceField(
        label=_("Région"), choices=[("", _("Toutes")), *Region.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discipline"].queryset = _disciplines()  # type: ignore[attr-defined]
        self.fields["language"].queryset = Language.objects.all()  # type: ignore[attr-defined]


class ProposeForm(forms.Form):
    proposer = forms.ModelChoiceField(label=_("Au nom de"), queryset=Institution.objects.none())
    title = forms.CharField(label=_("Intitulé du projet"), max_length=200)
    message = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = institutions  # type: ignore[attr-defined]
        if institutions.count() == 1:
            self.fields["proposer"].initial = institutions.first()


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (transmis au proposant)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi rouvrir la convention ?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AgreementForm(forms.Form):
    purpose = forms.CharField(
        label=_("Objet de la convention"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    licence = forms.ChoiceField(label=_("Licence des contenus produits"), choices=Licence.choices)
    ip_terms = forms.CharField(
        label=_("Propriété intellectuelle"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("À qui appartiennent les contenus, ce que chacun peut en faire."),
    )  # fmt: skip
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput())
    currency = forms.CharField(label=_("Devise du budget"), max_length=3, initial="EUR")
    proposer_role = forms.CharField(label=_("Rôle"), max_length=200)
    proposer_contributions = forms.CharField(
        label=_("Apports"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    partner_role = forms.CharField(label=_("Rôle"), max_length=200)
    partner_contributions = forms.CharField(
        label=_("Apports"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin doit suivre le début."))
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Étape"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("due_on"):
            self.add_error("due_on", _("Indiquez l'échéance de cette étape."))
        return data


class BudgetLineForm(forms.Form):
    label = forms.CharField(label=_("Poste"), max_length=200, required=False)
    funded_by = forms.ChoiceField(label=_("Financé par"), required=False)
    amount = forms.CharField(label=_("Montant"), max_length=20, required=False)

    def __init__(self, *args: Any, parties: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funded_by"].choices = [(str(p.pk), p.name) for p in parties]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and not data.get("amount"):
            self.add_error("amount", _("Indiquez le montant de ce poste."))
        return data


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=0, max_num=MAX_MILESTONES, absolute_max=MAX_MILESTONES
)
BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, extra=0, max_num=MAX_BUDGET_LINES, absolute_max=MAX_BUDGET_LINES
)


class SignForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Au nom de"), queryset=Institution.objects.none())
    signed_name = forms.CharField(label=_("Votre nom"), max_length=200)
    signed_function = forms.CharField(label=_("Votre fonction"), max_length=200)
    signed_pdf = forms.FileField(
        label=_("Ou la convention signée (PDF)"), required=False,
        help_text=_("Facultatif : le PDF signé à la main et numérisé, 10 Mo au plus."),
    )  # fmt: skip
    confirm = forms.BooleanField(
        label=_("J'ai lu la convention et je suis habilité(e) à la signer au nom de "
                "l'établissement.")
    )  # fmt: skip

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first()


class CourseLinkForm(forms.Form):
    course = forms.CharField(label=_("Code du cours ou adresse de sa page"), max_length=300)


# --- The programme's pages -------------------------------------------------------------------


class RegionPairField(forms.ChoiceField):
    """« europe-ouest:afrique-ouest » (either side may be empty: a region not set). The
    choices offered are the pairs that have partnerships; any well-formed pair is valid."""

    def valid_value(self, value: Any) -> bool:
        first, separator, second = str(value).partition(":")
        known = {"", *Region.values}
        return bool(separator) and first in known and second in known


class ProgrammeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *PartnershipState.choices], required=False
    )
    pair = RegionPairField(label=_("Régions (Nord → Sud)"), required=False)

    def __init__(self, *args: Any, pairs: Sequence[RegionPairCount] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pair"].choices = [  # type: ignore[attr-defined]
            ("", _("Toutes")),
            *((pair.key, pair.label) for pair in pairs),
        ]

    def filters(self) -> dict[str, Any]:
        """The selector's arguments (call once valid)."""
        state, pair = self.cleaned_data["state"], self.cleaned_data["pair"]
        first, _sep, second = pair.partition(":")
        return {"state": state, "pair": (first, second) if pair else None}


# What each weight rewards, in plain words (shown under its field).
WEIGHT_EXPLANATIONS = {
    "discipline": _(
        "Compte si le partenaire enseigne la même discipline que vous, ou une discipline "
        "voisine (la discipline parente, une sous-discipline, une discipline sœur)."
    ),
    "capabilities": _(
        "Compte la part de ce que vous cherchez (studio vidéo, tuteurs, hébergement…) que le "
        "partenaire peut apporter."
    ),
    "language": _("Compte si vous enseignez dans au moins une langue commune."),
    "north_south": _(
        "Compte si l'un des deux établissements est du Nord et l'autre du Sud, comme le "
        "programme le souhaite."
    ),
    "past_collaborations": _(
        "Compte les cours que le partenaire a déjà co-construits avec des établissements de "
        "votre région (trois cours ou plus comptent pleinement)."
    ),
    "load": _(
        "Se retranche du score : les partenariats que le partenaire mène déjà (cinq ou plus "
        "retranchent le poids entier), pour ne pas solliciter toujours les mêmes."
    ),
}


class MatchWeightsForm(forms.Form):
    """The six weights; the service checks them again (and that one criterion counts)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, explanation in WEIGHT_EXPLANATIONS.items():
            model_field = MatchWeights._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            self.fields[name] = forms.IntegerField(
                label=capfirst(model_field.verbose_name),
                min_value=0,
                max_value=100,
                help_text=explanation,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )
