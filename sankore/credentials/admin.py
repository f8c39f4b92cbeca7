from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin, ProgrammeStaffReadOnlyMixin
from sankore.credentials import document_templates
from sankore.credentials.models import (
    BulkIssue,
    Credential,
    CredentialDocument,
    CredentialEvent,
    DocumentTemplate,
    Signatory,
)


class DocumentInline(ProgrammeStaffReadOnlyMixin, admin.TabularInline):
    model = CredentialDocument
    extra = 0
    fields = ("language", "sha256", "size", "template_version", "created_at", "superseded_at")
    readonly_fields = fields


class EventInline(ProgrammeStaffReadOnlyMixin, admin.TabularInline):
    model = CredentialEvent
    extra = 0
    fields = ("at", "action", "actor", "reason")
    readonly_fields = fields


@admin.register(Credential)
class CredentialAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin):
    """Read-only: issuing and revoking go through the studio (services, audit trail)."""

    list_display = ["identifier", "holder_name", "course_title", "kind", "status", "issued_at"]
    list_filter = ["kind", "status", "basis"]
    search_fields = ["identifier", "holder_name", "holder__email", "course_title"]
    date_hierarchy = "issued_at"
    raw_id_fields = ["holder", "course_run", "issued_by", "revoked_by"]
    exclude = ["badge"]
    inlines = [DocumentInline, EventInline]


@admin.register(BulkIssue)
class BulkIssueAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin):
    list_display = ["course_run", "kind", "regenerate", "status", "total", "documents", "failed"]
    list_filter = ["status", "kind"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin):
    """An institution's look for its documents; a change raises its version, so staff can
    make new documents for the credentials printed with the old one."""

    list_display = ["institution", "accent_colour", "version", "updated_at"]
    readonly_fields = ["version", "updated_at"]

    def save_model(
        self, request: HttpRequest, obj: DocumentTemplate, form: Any, change: bool
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                document_templates.document_template_changed(template=obj)


@admin.register(Signatory)
class SignatoryAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin):
    list_display = ["name", "title_fr", "institution", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "institution__name"]
    raw_id_fields = ["institution"]

    def save_model(self, request: HttpRequest, obj: Signatory, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            document_templates.signatories_changed(institution_id=obj.institution_id)
