"""The programme staff's back office: centres, rooms, sittings; registrations read-only
(they change through the platform's services: seats, waiting list, payments)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin, ProgrammeStaffReadOnlyMixin
from sankore.accounts.models import User
from sankore.core.errors import ServiceError
from sankore.exams import services
from sankore.exams.display import centre_zone_label
from sankore.exams.models import ExamCentre, ExamRegistration, ExamRoom, ExamSitting


class RoomInline(ProgrammeStaffAdminMixin, admin.TabularInline):
    model = ExamRoom
    extra = 0


class ExamCentreForm(forms.ModelForm):
    class Meta:
        model = ExamCentre
        fields = ["institution", "address", "contact_email", "contact_phone", "is_active"]

    def clean_institution(self) -> Any:
        institution = self.cleaned_data["institution"]
        if institution.kind not in services.CENTRE_KINDS:
            raise forms.ValidationError(
                _("Un centre d'examen est un campus numérique ou une université partenaire.")
            )
        return institution


@admin.register(ExamCentre)
class ExamCentreAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin):
    form = ExamCentreForm
    list_display = ["__str__", "city", "country", "time_zone", "is_active"]
    list_filter = ["is_active", "institution__country"]
    search_fields = ["institution__name", "institution__city"]
    raw_id_fields = ["institution"]
    list_select_related = ["institution"]
    inlines = [RoomInline]

    @admin.display(description=_("ville"))
    def city(self, centre: ExamCentre) -> str:
        return centre.institution.city

    @admin.display(description=_("pays"))
    def country(self, centre: ExamCentre) -> str:
        return str(Country(code=str(centre.institution.country)).name)

    @admin.display(description=_("fuseau horaire"))
    def time_zone(self, centre: ExamCentre) -> str:
        return centre.institution.time_zone


LOCAL_TIME_HELP = _("Heure locale du centre d'examen.")


class ExamSittingForm(forms.ModelForm):
    """Times are typed in the centre's wall-clock time; the service checks every rule and
    converts them to UTC (refusing an hour skipped by daylight saving)."""

    local_start = forms.DateTimeField(label=_("début"), help_text=LOCAL_TIME_HELP)
    local_registration_opens = forms.DateTimeField(
        label=_("ouverture des inscriptions"), help_text=LOCAL_TIME_HELP
    )
    local_registration_closes = forms.DateTimeField(
        label=_("clôture des inscriptions"), help_text=LOCAL_TIME_HELP
    )
    local_cancellation_deadline = forms.DateTimeField(
        label=_("annulation possible jusqu'au"), help_text=LOCAL_TIME_HELP, required=False
    )

    class Meta:
        model = ExamSitting
        fields = [
            "course_run", "centre", "room", "mode", "exam_unit_key", "duration_minutes",
            "seats", "fee_amount", "fee_currency", "requires_attestation",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data

        def local(name: str) -> datetime.datetime | None:
            # Typed as the centre's wall clock: the form's time zone (UTC) is dropped.
            value = data.get(name)
            return value.replace(tzinfo=None) if value else None

        self.service_arguments: dict[str, Any] = {
            "course_run": data["course_run"], "centre": data["centre"],
            "room": data.get("room"), "mode": data["mode"],
            "exam_unit_key": data.get("exam_unit_key", ""),
            "duration_minutes": data["duration_minutes"], "seats": data["seats"],
            "fee_amount": data["fee_amount"], "fee_currency": data.get("fee_currency", ""),
            "requires_attestation": data.get("requires_attestation", False),
            "local_start": local("local_start"),
            "local_registration_opens": local("local_registration_opens"),
            "local_registration_closes": local("local_registration_closes"),
            "local_cancellation_deadline": local("local_cancellation_deadline"),
        }  # fmt: skip
        try:
            self.planned = services.exam_sitting_create(
                **self.service_arguments, dry_run=True
            ).sitting
        except ServiceError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return data


@admin.register(ExamSitting)
class ExamSittingAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin):
    """Sittings are created here; once created they are read-only (changing seats or times
    under registered learners needs its own service, not yet written)."""

    form = ExamSittingForm
    list_display = ["course_run", "centre", "local_start", "mode", "seats", "fee_amount"]
    list_filter = ["mode", "centre"]
    list_select_related = ["course_run__course", "centre__institution"]
    raw_id_fields = ["course_run", "centre", "room"]
    date_hierarchy = "starts_at"

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("début (heure du centre)"))
    def local_start(self, sitting: ExamSitting) -> str:
        zone = sitting.centre.zone
        label = centre_zone_label(centre=sitting.centre, at=sitting.starts_at)
        return f"{sitting.starts_at.astimezone(zone):%Y-%m-%d %H:%M} ({label})"

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> ExamSitting:
        # The sitting as the service computed it (UTC times), not the bare form instance.
        planned: ExamSitting = form.planned
        return planned

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # a sitting has no many-to-many field nor inline

    def save_model(self, request: HttpRequest, obj: ExamSitting, form: Any, change: bool) -> None:
        author = request.user if isinstance(request.user, User) else None
        created = services.exam_sitting_create(**form.service_arguments, created_by=author)
        obj.pk = created.sitting.pk
        obj.created_by = author
        for notice in created.notices:
            messages.warning(request, notice)


@admin.register(ExamRegistration)
class ExamRegistrationAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "learner", "sitting", "status", "seat_number", "waiting_position", "paid_at",
        "receipt_number", "fee_waiver",
    ]  # fmt: skip
    list_filter = ["status", "centre"]
    search_fields = ["learner__email", "receipt_number", "fee_waiver"]
    list_select_related = ["learner", "sitting__course_run__course", "sitting__centre__institution"]
    raw_id_fields = ["learner", "sitting", "course_run", "centre", "recorded_by", "cancelled_by"]
