"""The embeddable widget: a partner site shows a few catalog courses, chosen by filters.

``WidgetForm`` reads a widget's settings (the builder page's form and the card page's query
string share it); the filters keep the public catalog's parameter names, so a widget shows
exactly the first courses of the same catalog search, and the script version reads them from
the public API's ``/courses`` with the same names.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sankore.catalog.models import Course, Discipline, Language
from sankore.catalog.search_params import CourseSearchParams
from sankore.institutions.models import Institution

WIDGET_FILTERS = ("discipline", "institution", "country", "language")
WIDGET_LANGUAGES = (("fr", "Français"), ("en", "English"))
COUNT_MIN, COUNT_MAX, COUNT_DEFAULT = 1, 12, 6
# Appended to the links of the cards: the platform's statistics tell widget visits apart.
UTM = "utm_source=widget"


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class WidgetForm(forms.Form):
    discipline = forms.ChoiceField(label=_("Discipline"), required=False)
    institution = forms.ChoiceField(label=_("Établissement"), required=False)
    country = forms.ChoiceField(label=_("Pays de l'établissement"), required=False)
    language = forms.ChoiceField(label=_("Langue d'enseignement"), required=False)
    count = forms.IntegerField(
        label=_("Nombre de cours"),
        min_value=COUNT_MIN,
        max_value=COUNT_MAX,
        initial=COUNT_DEFAULT,
        required=False,
    )
    lang = forms.ChoiceField(
        label=_("Langue du widget"), choices=WIDGET_LANGUAGES, initial="fr", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = Institution.objects.filter(
            pk__in=Course.owners.through.objects.filter(course__is_published=True).values(
                "institution_id"
            )
        )
        self._choice_field("discipline").choices = _any(_("Toutes")) + [
            (slug, name_fr) for slug, name_fr in Discipline.objects.values_list("slug", "name_fr")
        ]
        self._choice_field("institution").choices = _any(_("Tous")) + list(
            owners.order_by("name").values_list("slug", "name")
        )
        codes = set(owners.values_list("country", flat=True))
        self._choice_field("country").choices = _any(_("Tous")) + sorted(
            ((code, str(countries.name(code))) for code in codes if code in countries),
            key=lambda pair: pair[1],
        )
        self._choice_field("language").choices = _any(_("Toutes")) + [
            (language.code, language.name) for language in Language.objects.all()
        ]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean_count(self) -> int:
        count: int | None = self.cleaned_data.get("count")
        return COUNT_DEFAULT if count is None else count

    def clean_lang(self) -> str:
        return self.cleaned_data.get("lang") or "fr"


def widget_params(*, cleaned: dict[str, Any]) -> CourseSearchParams:
    """The catalog search a widget shows."""

    def selected(name: str) -> tuple[str, ...]:
        return (cleaned[name],) if cleaned.get(name) else ()

    return CourseSearchParams(
        discipline=selected("discipline"),
        institution=selected("institution"),
        country=selected("country"),
        language=selected("language"),
    )


def widget_query(*, cleaned: dict[str, Any]) -> str:
    """The card page's query string: the filters chosen, the number, the language."""
    pairs = [(name, cleaned[name]) for name in WIDGET_FILTERS if cleaned.get(name)]
    return urlencode([*pairs, ("count", cleaned["count"]), ("lang", cleaned["lang"])])


def widget_snippets(*, cleaned: dict[str, Any]) -> dict[str, str]:
    """The two snippets a partner pastes: the script and the iframe (absolute URLs)."""
    script_url = f"{settings.SITE_URL}{reverse('syndication:widget_js')}"
    attributes = "".join(
        f' data-{name}="{cleaned[name]}"' for name in WIDGET_FILTERS if cleaned.get(name)
    )
    cards_url = (
        f"{settings.SITE_URL}{reverse('syndication:widget_cards')}?{widget_query(cleaned=cleaned)}"
    )
    # Values are slugs and codes from the form's choices: nothing to escape but "&" in the URL.
    iframe_src = cards_url.replace("&", "&amp;")
    height = 160 * min(cleaned["count"], 3) + 40
    with translation.override(cleaned["lang"]):
        title = gettext("Cours en ligne — %(site)s") % {"site": settings.SITE_NAME}
    return {
        "script": (
            f'<script src="{script_url}"{attributes} data-count="{cleaned["count"]}"'
            f' data-lang="{cleaned["lang"]}" async></script>'
        ),
        "iframe": (
            f'<iframe src="{iframe_src}" title="{escape(title)}"'
            f' width="100%" height="{height}" loading="lazy" style="border:0"></iframe>'
        ),
        "cards_path": f"{reverse('syndication:widget_cards')}?{widget_query(cleaned=cleaned)}",
    }
