"""Forms of the staff pages: they parse what was typed; the services decide."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import CourseRun
from sankore.courseware.selectors import outline_of, publication_current
from sankore.exams.models import (
    CURRENCY_CHOICES,
    ExamCentre,
    ExamMode,
    ExamRegistration,
    ExamRoom,
    IncidentKind,
)

LOCAL_TIME_HELP = _("Heure locale du centre d’examen.")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _local_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=LOCAL_TIME_HELP,
        required=required,
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )


def sittable_runs() -> QuerySet[CourseRun]:
    """Sessions a sitting can be planned for: published, not over, of a course that gives
    a certificate."""
    return (
        CourseRun.objects.filter(is_published=True, course__offers_certificate=True)
        .filter(Q(end__isnull=True) | Q(end__gte=timezone.now() - datetime.timedelta(days=90)))
        .select_related("course")
        .order_by("course__title", "start")
    )


class SittingForm(forms.Form):
    """A new sitting at one centre. Times are the centre's wall clock: the browser's
    ``datetime-local`` sends them without a zone, and the service converts them to UTC."""

    course_run = forms.ModelChoiceField(label=_("Session du cours"), queryset=CourseRun.objects)
    mode = forms.ChoiceField(label=_("Modalité"), choices=ExamMode.choices, initial=ExamMode.PAPER)
    exam_unit_key = forms.ChoiceField(
        label=_("Examen surveillé sur la plateforme"),
        required=False,
        help_text=_("Pour la modalité « sur la plateforme » seulement."),
    )
    room = forms.ModelChoiceField(
        label=_("Salle"), queryset=ExamRoom.objects.none(), required=False
    )
    local_start = _local_field(_("Début de l’épreuve"))
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1, max_value=720)
    seats = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=10000)
    local_registration_opens = _local_field(_("Ouverture des inscriptions"))
    local_registration_closes = _local_field(_("Clôture des inscriptions"))
    local_cancellation_deadline = _local_field(
        _("Annulation possible jusqu’au (la clôture si vide)"), required=False
    )
    fee_amount = forms.DecimalField(
        label=_("Droits d’inscription (0 si gratuit)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        initial=Decimal(0),
        localize=True,
    )
    fee_currency = forms.ChoiceField(
        label=_("Devise"), choices=[("", "—"), *CURRENCY_CHOICES], required=False
    )
    requires_attestation = forms.BooleanField(
        label=_("Réservé aux titulaires de l’attestation de suivi"), required=False
    )
    max_score = forms.DecimalField(
        label=_("Note maximale"), initial=Decimal(20), min_value=Decimal("0.01"), localize=True,
        max_digits=6, decimal_places=2,
    )  # fmt: skip
    pass_mark = forms.DecimalField(
        label=_("Note de réussite"), initial=Decimal(10), min_value=Decimal("0.01"),
        localize=True, max_digits=6, decimal_places=2,
    )  # fmt: skip

    def __init__(self, *args: Any, centre: ExamCentre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runs = list(sittable_runs())
        run_field = self.fields["course_run"]
        assert isinstance(run_field, forms.ModelChoiceField)
        run_field.queryset = sittable_runs()
        room_field = self.fields["room"]
        assert isinstance(room_field, forms.ModelChoiceField)
        room_field.queryset = centre.rooms.order_by("name")
        units: list[tuple[str, str]] = [("", "—")]
        for run in runs:
            publication = publication_current(course_run_id=run.pk)
            if publication is None:
                continue
            for unit in outline_of(publication).units():
                if unit.exam is not None:
                    units.append((f"{run.pk}:{unit.key}", f"{unit.title} — {run}"))
        unit_field = self.fields["exam_unit_key"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = units

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data

        def local(name: str) -> datetime.datetime | None:
            value = data.get(name)
            return value.replace(tzinfo=None) if value else None

        run: CourseRun = data["course_run"]
        unit_choice = data.get("exam_unit_key") or ""
        unit_run, _sep, unit_key = unit_choice.partition(":")
        if data["mode"] == ExamMode.PLATFORM and unit_choice and unit_run != str(run.pk):
            unit_key = "\x00"  # another session's unit: the service refuses it by name
        return {
            "course_run": run, "mode": data["mode"], "exam_unit_key": unit_key,
            "room": data.get("room"), "duration_minutes": data["duration_minutes"],
            "seats": data["seats"], "fee_amount": data["fee_amount"],
            "fee_currency": data.get("fee_currency") or "",
            "requires_attestation": data.get("requires_attestation", False),
            "max_score": data["max_score"], "pass_mark": data["pass_mark"],
            "local_start": local("local_start"),
            "local_registration_opens": local("local_registration_opens"),
            "local_registration_closes": local("local_registration_closes"),
            "local_cancellation_deadline": local("local_cancellation_deadline"),
        }  # fmt: skip


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.seat_number} — {obj.learner.printed_name or obj.learner.email}"


class IncidentForm(forms.Form):
    registration = CandidateChoiceField(
        label=_("Candidat concerné"),
        queryset=ExamRegistration.objects.none(),
        required=False,
        empty_label=_("Toute la session"),
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=IncidentKind.choices)
    occurred_time = forms.TimeField(
        label=_("Heure (heure du centre ; maintenant si vide)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args: Any, candidates: QuerySet[ExamRegistration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registration"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
