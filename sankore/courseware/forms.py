"""Studio forms: they parse what authors type; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import Course
from sankore.courseware.models import AssetKind
from sankore.institutions.models import Institution


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Titre du chapitre"), max_length=200)
    release_at = forms.DateTimeField(
        label=_("Date d'ouverture (sessions rythmées)"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Heure locale de l'établissement. Vide : ouvert dès le début."),
    )


class UnitCreateForm(forms.Form):
    title = forms.CharField(label=_("Titre de la séquence"), max_length=200)


class UnitForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    duration_minutes = forms.IntegerField(
        label=_("Durée estimée (minutes)"), required=False, min_value=1, max_value=600
    )
    objectives = forms.CharField(
        label=_("Objectifs d'apprentissage"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Un objectif par ligne."),
        max_length=4000,
    )
    is_free_preview = forms.BooleanField(
        label=_("Aperçu libre (visible sans inscription)"), required=False
    )
    due_at = forms.DateTimeField(
        label=_("Date limite des exercices (sessions rythmées)"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Heure locale de l'établissement. Vide : pas de date limite."),
    )
    due_days_after_enrolment = forms.IntegerField(
        label=_("Ou délai après l'inscription, en jours (sessions à votre rythme)"),
        required=False,
        min_value=1,
        max_value=3650,
    )
    pool_size = forms.IntegerField(
        label=_("Exercices tirés au sort par apprenant"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "Vide : tous les exercices de la séquence. Sinon, chaque apprenant en reçoit ce "
            "nombre, tirés au sort pour lui parmi ceux de la séquence (toujours les mêmes)."
        ),
    )
    is_supervised_exam = forms.BooleanField(
        label=_("Examen surveillé (ouvert dans une fenêtre, avec un code d'accès)"),
        required=False,
    )
    exam_opens_at = forms.DateTimeField(
        label=_("Ouverture de l'examen"), required=False, widget=DateTimeLocalInput(),
        help_text=_("Heure locale de l'établissement."),
    )  # fmt: skip
    exam_closes_at = forms.DateTimeField(
        label=_("Fermeture de l'examen"), required=False, widget=DateTimeLocalInput()
    )
    exam_access_code = forms.CharField(
        label=_("Code d'accès"), required=False, max_length=32,
        help_text=_("Donné aux candidats dans la salle d'examen ; 6 caractères au moins."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip


class AssetUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de fichier"), choices=AssetKind.choices)
    upload = forms.FileField(label=_("Fichier"))


class RerunForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé de la nouvelle session"), max_length=200, required=False
    )
    start = forms.DateTimeField(label=_("Début"), widget=DateTimeLocalInput())
    end = forms.DateTimeField(label=_("Fin"), required=False, widget=DateTimeLocalInput())
    enrolment_start = forms.DateTimeField(
        label=_("Ouverture des inscriptions"), widget=DateTimeLocalInput()
    )
    enrolment_end = forms.DateTimeField(
        label=_("Clôture des inscriptions"), required=False, widget=DateTimeLocalInput()
    )


class PackageImportForm(forms.Form):
    """Import a package as a new course of an institution, or as a new session of a course."""

    package = forms.FileField(label=_("Paquet de cours (.zip)"))
    owner: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Nouveau cours de l'établissement"),
        queryset=Institution.objects.none(),
        required=False,
    )
    course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(
        label=_("Ou nouvelle session du cours"), queryset=Course.objects.none(), required=False
    )
    start = forms.DateTimeField(label=_("Début de la session"), widget=DateTimeLocalInput())
    enrolment_start = forms.DateTimeField(
        label=_("Ouverture des inscriptions"), widget=DateTimeLocalInput()
    )

    def __init__(self, *args: Any, owners: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners
        cast(forms.ModelChoiceField, self.fields["course"]).queryset = courses

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("owner")) == bool(data.get("course")):
            raise forms.ValidationError(
                _("Choisissez soit l'établissement du nouveau cours, soit le cours existant.")
            )
        return data
