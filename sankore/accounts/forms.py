"""Forms of the account pages: the extra signup fields and the learner's profile.

This module is imported by django-allauth while it builds its own signup form (see
``ACCOUNT_SIGNUP_FORM_CLASS``), so it must not import ``allauth.account.forms`` itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sankore.accounts.models import User
from sankore.accounts.selectors import institutions_for_profile
from sankore.accounts.services import NAME_MAX_LENGTH


def _country_choices(*, blank_label: str) -> list[tuple[str, str]]:
    # Built per form instance: country names follow the language active for this request.
    return [("", blank_label), *((str(code), str(name)) for code, name in countries)]


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name, so that whoever cannot read the current one finds theirs.
    return [
        (code, str(get_language_info(code)["name_local"]).capitalize())
        for code, _name in settings.LANGUAGES
    ]


def _full_name_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Nom complet"),
        max_length=NAME_MAX_LENGTH,
        required=required,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


EMAIL_MAX_LENGTH = 254  # RFC 5321, and the User.email column


class SignupForm(forms.Form):
    """Fields allauth adds to its signup form; the account adapter stores them."""

    full_name = _full_name_field(required=True)
    country = forms.ChoiceField(
        label=_("Pays de résidence"),
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )

    field_order = ["full_name", "email", "password1", "password2", "country"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices(  # type: ignore[attr-defined]
            blank_label=str(_("Choisissez votre pays"))
        )
        email = self.fields.get("email")
        if email is not None:
            # An address longer than the column would otherwise be cut, not refused.
            email.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
            email.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth after the user is saved: nothing left to do.

        ``AccountAdapter.save_user`` already set these fields before the first save, so the
        new account is written once.
        """


class ProfileForm(forms.Form):
    full_name = _full_name_field(required=True)
    certificate_name = forms.CharField(
        label=_("Nom sur les attestations et certificats"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_(
            "Nom tel qu'il doit figurer sur vos attestations et certificats. "
            "Laissez vide pour y faire figurer votre nom complet."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    country = forms.ChoiceField(
        label=_("Pays de résidence"),
        required=False,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Langue de l'interface et des courriels"),
        choices=_language_choices,
        widget=forms.Select(attrs={"autocomplete": "language"}),
    )
    institution = forms.ModelChoiceField(
        label=_("Établissement"),
        queryset=institutions_for_profile(),
        required=False,
        empty_label=_("Aucun"),
        help_text=_("L'établissement auquel vous êtes rattaché, s'il fait partie du réseau."),
        widget=forms.Select(attrs={"autocomplete": "organization"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices(  # type: ignore[attr-defined]
            blank_label=str(_("Non précisé"))
        )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "full_name": user.full_name,
            "certificate_name": user.certificate_name,
            "country": str(user.country or ""),
            "preferred_language": user.preferred_language,
            "institution": user.institution_id,
        }
