"""Forms of the sponsors' pages; they read and check input, the services decide."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import Course
from sankore.catalog.selectors import course_from_reference
from sankore.exams.models import CURRENCY_CHOICES, ExamRegistration
from sankore.institutions.models import Institution
from sankore.partnerships.forms import DateInput
from sankore.partnerships.models import ContributionKind, Partnership, PartnershipState
from sankore.partnerships.sponsors import (
    CODE_ALPHABET,
    MAX_PERSONAL_CODES,
    MAX_SHARED_SEATS,
    SPONSOR_KINDS,
)

COURSE_HELP = _("Facultatif : le code du cours (« CLOM-0042 ») ou l'adresse de sa page.")


def _course_clean(reference: str) -> Course | None:
    if not reference.strip():
        return None
    course = course_from_reference(reference=reference)
    if course is None:
        raise forms.ValidationError(
            _("Aucun cours du catalogue ne répond à ce code ou à cette adresse.")
        )
    return course


class ContributionForm(forms.Form):
    sponsor = forms.ModelChoiceField(
        label=_("Partenaire privé"), queryset=Institution.objects.none(),
        help_text=_("Une entreprise ou une fondation enregistrée parmi les établissements."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Nature de la contribution"), choices=ContributionKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    course = forms.CharField(
        label=_("Cours"), required=False, max_length=300, help_text=COURSE_HELP
    )
    partnership = forms.ModelChoiceField(
        label=_("Partenariat"), queryset=Partnership.objects.none(), required=False,
        empty_label=_("Aucun"),
    )  # fmt: skip
    amount = forms.DecimalField(
        label=_("Montant"), required=False, min_value=0, max_digits=12, decimal_places=2,
        localize=True, help_text=_("Facultatif : la valeur de la contribution."),
    )  # fmt: skip
    currency = forms.ChoiceField(
        label=_("Devise"), required=False, choices=[("", "—"), *CURRENCY_CHOICES]
    )
    is_public = forms.BooleanField(
        label=_("Afficher « avec le soutien de » sur les pages publiques"), required=False,
        initial=True,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sponsors = Institution.objects.filter(kind__in=list(SPONSOR_KINDS)).order_by("name")
        self.fields["sponsor"].queryset = sponsors  # type: ignore[attr-defined]
        partnerships = Partnership.objects.exclude(state=PartnershipState.DECLINED).order_by(
            "title", "pk"
        )
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]

    def clean_course(self) -> Course | None:
        return _course_clean(self.cleaned_data.get("course", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is not None and not data.get("currency"):
            self.add_error("currency", _("Indiquez la devise du montant."))
        return data


class VoucherBatchForm(forms.Form):
    PERSONAL, SHARED = "personnels", "partage"

    mode = forms.ChoiceField(
        label=_("Forme des bons"),
        choices=[
            (PERSONAL, _("Des codes personnels, une place chacun")),
            (SHARED, _("Un seul code partagé, pour toutes les places")),
        ],
        initial=PERSONAL, widget=forms.RadioSelect,
    )  # fmt: skip
    seats = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=MAX_SHARED_SEATS)
    course = forms.CharField(
        label=_("Réservé au cours"), required=False, max_length=300,
        help_text=_("Facultatif : le code du cours ou l'adresse de sa page ; sans cela, le cours "
                    "de la contribution s'il y en a un."),
    )  # fmt: skip
    expires_on = forms.DateField(
        label=_("Valable jusqu'au"), required=False, widget=DateInput(),
        help_text=_("Facultatif : le dernier jour où le bon peut être utilisé."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Here, not in the class: in the reader's language, not the one at import.
        self.fields["seats"].help_text = _("Au plus %(max)s codes personnels par lot.") % {
            "max": MAX_PERSONAL_CODES
        }

    def clean_course(self) -> Course | None:
        return _course_clean(self.cleaned_data.get("course", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seats = data.get("seats")
        if data.get("mode") == self.PERSONAL and seats and seats > MAX_PERSONAL_CODES:
            self.add_error(
                "seats",
                _("Au plus %(max)s codes personnels par lot.") % {"max": MAX_PERSONAL_CODES},
            )
        return data


class RegistrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        registration: ExamRegistration = obj
        sitting = registration.sitting
        institution = sitting.centre.institution
        day = sitting.starts_at.astimezone(zoneinfo.ZoneInfo(institution.time_zone))
        return f"{sitting.course_run.course.title} — {institution.name}, {date_format(day)}"


class VoucherRedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Code du bon"), max_length=40,
        help_text=_("Tel qu'il vous a été remis, par exemple SK-7KQM-3HXP : majuscules, espaces "
                    "et tirets n'importent pas."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )  # fmt: skip
    registration = RegistrationChoiceField(
        label=_("Pour l'examen"), queryset=ExamRegistration.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"invalid_choice": _("Choisissez une de vos inscriptions ci-dessous.")},
    )  # fmt: skip

    def __init__(self, *args: Any, registrations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not any(char.upper() in CODE_ALPHABET for char in code):
            raise forms.ValidationError(_("Indiquez le code du bon."))
        return code
