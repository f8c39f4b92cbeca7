"""The programme staff's back office for private partners: contributions added through the
service, then read-only; vouchers read-only (their seats change only by redemptions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin, ProgrammeStaffReadOnlyMixin
from sankore.accounts.models import User
from sankore.core.admin import adopt, cleaned_fields
from sankore.exams.models import CURRENCY_CHOICES
from sankore.partnerships import sponsors
from sankore.partnerships.models import (
    InstitutionProfile,
    Partnership,
    PartnershipEvent,
    ProjectIdea,
    SponsorContribution,
    Voucher,
    VoucherRedemption,
)

CONTRIBUTION_FIELDS = (
    "sponsor", "kind", "description", "course", "partnership", "amount", "currency", "is_public",
)  # fmt: skip


class SponsorContributionForm(forms.ModelForm[SponsorContribution]):
    currency = forms.ChoiceField(
        label=_("devise"), required=False, choices=[("", "—"), *CURRENCY_CHOICES]
    )

    class Meta:
        model = SponsorContribution
        fields = CONTRIBUTION_FIELDS

    def clean_sponsor(self) -> Any:
        sponsor = self.cleaned_data["sponsor"]
        if sponsor.kind not in sponsors.SPONSOR_KINDS:
            raise forms.ValidationError(
                _("Un partenaire privé est une entreprise ou une fondation.")
            )
        return sponsor

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is not None and not data.get("currency"):
            self.add_error("currency", _("Indiquez la devise du montant."))
        return data


class VoucherInline(ProgrammeStaffReadOnlyMixin, admin.TabularInline[Voucher, SponsorContribution]):
    model = Voucher
    fields = ("code", "seats", "redeemed_count", "course", "expires_on", "created_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(SponsorContribution)
class SponsorContributionAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[SponsorContribution]):
    form = SponsorContributionForm
    list_display = ("sponsor", "kind", "course", "amount", "currency", "is_public", "created_at")
    list_filter = ("kind", "is_public")
    search_fields = ("sponsor__name", "course__title", "course__code")
    list_select_related = ("sponsor", "course")
    autocomplete_fields = ("sponsor", "course")
    raw_id_fields = ("partnership",)
    inlines = [VoucherInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Recorded once through the service; a correction is a new contribution.
        return (*CONTRIBUTION_FIELDS, "created_at", "created_by") if obj else ()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SponsorContribution, form: ModelForm[Any], change: bool
    ) -> None:
        assert isinstance(request.user, User)
        fields = cleaned_fields(form, set(CONTRIBUTION_FIELDS))
        adopt(obj, sponsors.sponsor_contribution_create(by=request.user, **fields))


class RedemptionInline(
    ProgrammeStaffReadOnlyMixin, admin.TabularInline[VoucherRedemption, Voucher]
):
    model = VoucherRedemption
    fields = ("learner", "exam_registration", "redeemed_at")
    readonly_fields = fields
    extra = 0


@admin.register(Voucher)
class VoucherAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[Voucher]):
    list_display = ("code", "contribution", "use", "seats", "redeemed_count", "seats_left",
                    "course", "expires_on")  # fmt: skip
    list_filter = ("use", "expires_on")
    search_fields = ("code", "contribution__sponsor__name")
    list_select_related = ("contribution__sponsor", "course")
    inlines = [RedemptionInline]

    @admin.display(description=_("places restantes"))
    def seats_left(self, voucher: Voucher) -> int:
        return voucher.seats_left


# The partnerships themselves move only through the workflow's services (journaled): the
# back office reads them, with their journal, and never edits them.


class EventInline(ProgrammeStaffReadOnlyMixin, admin.TabularInline[PartnershipEvent, Partnership]):
    model = PartnershipEvent
    fields = ("at", "kind", "from_state", "to_state", "actor", "detail", "ip_address")
    readonly_fields = fields
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[Partnership]):
    list_display = ("title", "proposer", "partner", "state", "proposed_at", "signed_at")
    list_filter = ("state",)
    search_fields = ("title", "proposer__name", "partner__name")
    list_select_related = ("proposer", "partner")
    inlines = [EventInline]


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[ProjectIdea]):
    list_display = ("title", "institution", "kind", "discipline", "status", "created_at")
    list_filter = ("kind", "status", "audience")
    search_fields = ("title", "institution__name")
    list_select_related = ("institution", "discipline")


@admin.register(InstitutionProfile)
class InstitutionProfileAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[InstitutionProfile]):
    list_display = ("institution", "open_to_partnerships", "updated_at")
    list_filter = ("open_to_partnerships",)
    search_fields = ("institution__name",)
    list_select_related = ("institution",)
