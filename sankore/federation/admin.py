from django.contrib import admin
from django.http import HttpRequest

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin
from sankore.federation.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[ImportJob]):
    list_display = ("file_name", "format", "platform", "status", "created_at")
    list_filter = ("status", "format")
    exclude = ("content",)
    readonly_fields = (
        "format", "platform", "file_name", "requested_by", "status", "plan", "result",
        "total", "processed", "error", "started_at", "finished_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
