"""Studio form of the grading policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GradingPolicyForm(forms.Form):
    passing_percent = forms.DecimalField(
        label=_("Seuil de réussite (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    types = forms.CharField(
        label=_("Types d'évaluation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2_000,
        help_text=_(
            "Un type par ligne : « nom ; poids en % ; notes les plus basses retirées », par "
            "exemple « Quiz ; 30 ; 1 ». Les poids font 100 % au total."
        ),
    )
