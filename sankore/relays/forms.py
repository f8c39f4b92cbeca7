from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sankore.relays.models import CampusRelay


class RelayForm(forms.ModelForm):
    class Meta:
        model = CampusRelay
        fields = ["introduction", "opening_hours", "address", "contact_email", "contact_phone"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "opening_hours": _(
                "Par exemple : du lundi au vendredi, 8 h – 18 h ; le samedi, 9 h – 13 h."
            ),
        }


class CourseAddForm(forms.Form):
    course = forms.CharField(
        label=_("Cours à ajouter (code ou adresse de sa page)"), max_length=300
    )
    note = forms.CharField(label=_("Mot du campus (facultatif)"), max_length=280, required=False)
