from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin
from sankore.learning.models import Enrolment, RunProgress


@admin.register(Enrolment)
class EnrolmentAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[Enrolment]):
    """Read-only: enrolments change through the learner's pages (capacity and counters)."""

    list_display = ("user", "course_run", "is_active", "created_at")
    list_filter = ("is_active", "created_at")
    search_fields = ("user__email", "user__full_name", "course_run__course__title")
    list_select_related = ("user", "course_run__course")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RunProgress)
class RunProgressAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[RunProgress]):
    """Read-only: progress moves with the learner's completions."""

    list_display = (
        "user",
        "course_run",
        "percent",
        "completed_blocks",
        "total_blocks",
        "updated_at",
    )
    search_fields = ("user__email", "course_run__course__title")
    list_select_related = ("user", "course_run__course")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
