from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin
from sankore.core.admin import adopt, cleaned_fields
from sankore.institutions import services
from sankore.institutions.models import Institution


@admin.register(Institution)
class InstitutionAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[Institution]):
    list_display = ("name", "acronym", "kind", "country", "region", "city", "is_member")
    list_filter = ("kind", "region", "country", "is_member")
    search_fields = ("name", "acronym", "city", "slug")
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = ("created_at", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: Institution, form: ModelForm[Any], change: bool
    ) -> None:
        fields = cleaned_fields(form, services.INSTITUTION_EDITABLE_FIELDS)
        if change:
            services.institution_update(institution=obj, **fields)
        else:
            adopt(
                obj,
                services.institution_create(
                    name=fields.pop("name"),
                    kind=fields.pop("kind"),
                    country=fields.pop("country"),
                    slug=form.cleaned_data.get("slug", ""),
                    **fields,
                ),
            )
