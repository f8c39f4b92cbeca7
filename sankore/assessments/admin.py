"""Read-only views for the programme staff: grade recomputations (with « run again » for one
that failed) and who entered which supervised exam. Grades and answers change only through
the learners' pages and the course team's gradebook."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from sankore.accounts.admin_site import ProgrammeStaffReadOnlyMixin
from sankore.assessments.models import ExamAccess, GradeRecomputation, RecomputationStatus
from sankore.assessments.tasks import grades_recompute_task


@admin.register(GradeRecomputation)
class GradeRecomputationAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[GradeRecomputation]):
    list_display = (
        "course_run", "policy_version", "content_version", "status", "learners", "queued_at",
        "finished_at",
    )  # fmt: skip
    list_filter = ("status",)
    list_select_related = ("course_run__course",)
    search_fields = ("course_run__course__title", "course_run__course__code")
    actions = ["run_again"]

    @admin.action(description=gettext_lazy("Relancer les recalculs échoués ou interrompus"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[GradeRecomputation]) -> None:
        # The task itself skips what is done or superseded: running one twice does it once.
        jobs = list(
            queryset.filter(status__in=[RecomputationStatus.FAILED, RecomputationStatus.RUNNING])
        )
        for job in jobs:
            grades_recompute_task.enqueue(job.pk)
        messages.success(
            request, gettext("%(count)s recalcul(s) relancé(s).") % {"count": len(jobs)}
        )


@admin.register(ExamAccess)
class ExamAccessAdmin(ProgrammeStaffReadOnlyMixin, admin.ModelAdmin[ExamAccess]):
    list_display = ("user", "course_run", "unit_key", "granted_at")
    list_select_related = ("user", "course_run__course")
    search_fields = ("user__email", "user__full_name", "course_run__course__code")
    date_hierarchy = "granted_at"
