from __future__ import annotations

from django.contrib import admin

from sankore.accounts.admin_site import ProgrammeStaffReadOnlyMixin
from sankore.learning.models import Enrolment, RunProgress


@admin.register(Enrolment)
class EnrolmentAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[Enrolment]):
    """Read-only: enrolments change through the learner's pages (capacity and counters)."""

    list_display = ("user", "course_run", "is_active", "created_at")
    list_filter = ("is_active", "created_at")
    search_fields = ("user__email", "user__full_name", "course_run__course__title")
    list_select_related = ("user", "course_run__course")
    date_hierarchy = "created_at"


@admin.register(RunProgress)
class RunProgressAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[RunProgress]):
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
