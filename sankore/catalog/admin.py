from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sankore.accounts.admin_site import ProgrammeStaffAdminMixin
from sankore.catalog import services
from sankore.catalog.models import (
    Course,
    CourseRun,
    CourseTeamMember,
    Discipline,
    Language,
    Teacher,
)
from sankore.core.admin import adopt, cleaned_fields, skip_m2m_save

COURSE_RELATIONS = (
    "languages",
    "subtitle_languages",
    "disciplines",
    "owners",
    "partners",
    "teachers",
)


@admin.register(Discipline)
class DisciplineAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[Discipline]):
    list_display = ("name_fr", "name_en", "slug", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("name_fr", "name_en", "slug")

    def save_model(
        self, request: HttpRequest, obj: Discipline, form: ModelForm[Any], change: bool
    ) -> None:
        fields = cleaned_fields(form, {"slug", "name_fr", "name_en", "parent", "position"})
        if change:
            services.discipline_update(discipline=obj, **fields)
        else:
            adopt(obj, services.discipline_create(**fields))

    def delete_model(self, request: HttpRequest, obj: Discipline) -> None:
        services.discipline_delete(discipline=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Discipline]) -> None:
        for discipline in queryset:
            services.discipline_delete(discipline=discipline)


@admin.register(Language)
class LanguageAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[Language]):
    list_display = ("code", "name_fr", "name_en")
    search_fields = ("code", "name_fr", "name_en")

    def save_model(
        self, request: HttpRequest, obj: Language, form: ModelForm[Any], change: bool
    ) -> None:
        adopt(obj, services.language_ensure(**cleaned_fields(form, {"code", "name_fr", "name_en"})))


@admin.register(Teacher)
class TeacherAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[Teacher]):
    list_display = ("full_name", "title", "institution")
    search_fields = ("full_name", "title")
    list_filter = ("institution__country",)
    autocomplete_fields = ("institution", "user")

    def save_model(
        self, request: HttpRequest, obj: Teacher, form: ModelForm[Any], change: bool
    ) -> None:
        fields = cleaned_fields(form, services.TEACHER_EDITABLE_FIELDS)
        if change:
            services.teacher_update(teacher=obj, **fields)
        else:
            adopt(obj, services.teacher_create(**fields))

    def delete_model(self, request: HttpRequest, obj: Teacher) -> None:
        services.teacher_delete(teacher=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Teacher]) -> None:
        for teacher in queryset:
            services.teacher_delete(teacher=teacher)


class CourseRunInline(admin.TabularInline[CourseRun, Course]):
    model = CourseRun
    fields = ("title", "start", "end", "enrolment_start", "enrolment_end", "pacing", "capacity")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # sessions are added on their own page, through the service


@admin.register(Course)
class CourseAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[Course]):
    list_display = ("title", "code", "level", "hosting", "is_published", "updated_at")
    list_filter = (
        "is_published", "hosting", "level", "languages", "disciplines", "owners__country",
    )  # fmt: skip
    search_fields = ("title", "code", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = COURSE_RELATIONS
    readonly_fields = ("created_at", "updated_at")
    inlines = [CourseRunInline]

    def save_model(
        self, request: HttpRequest, obj: Course, form: ModelForm[Any], change: bool
    ) -> None:
        fields = cleaned_fields(form, services.COURSE_EDITABLE_FIELDS)
        relations = cleaned_fields(form, set(COURSE_RELATIONS))
        if change:
            services.course_update(course=obj, **fields, **relations)
        else:
            adopt(obj, services.course_create(**fields, **relations))
        skip_m2m_save(request, form)

    def delete_model(self, request: HttpRequest, obj: Course) -> None:
        services.course_delete(course=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        for course in queryset:
            services.course_delete(course=course)


class CourseRunAdminForm(forms.ModelForm[CourseRun]):
    class Meta:
        model = CourseRun
        fields = ("course", *services.RUN_EDITABLE_FIELD_ORDER)

    def clean_capacity(self) -> int | None:
        capacity: int | None = self.cleaned_data.get("capacity")
        taken = self.instance.enrolment_count if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                _("La capacité ne peut pas être inférieure aux %(count)s inscrits actuels.")
                % {"count": taken}
            )
        return capacity


@admin.register(CourseRun)
class CourseRunAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[CourseRun]):
    form = CourseRunAdminForm
    list_display = ("course", "title", "start", "end", "pacing", "capacity", "enrolment_count")
    list_filter = ("pacing", "is_published", "start")
    search_fields = ("course__title", "course__code", "title")
    autocomplete_fields = ("course",)
    readonly_fields = ("enrolment_count", "created_at", "updated_at")
    date_hierarchy = "start"

    def save_model(
        self, request: HttpRequest, obj: CourseRun, form: ModelForm[Any], change: bool
    ) -> None:
        fields = cleaned_fields(form, services.RUN_EDITABLE_FIELDS)
        if change:
            services.course_run_update(run=obj, **fields)
        else:
            adopt(obj, services.course_run_create(course=form.cleaned_data["course"], **fields))


@admin.register(CourseTeamMember)
class CourseTeamMemberAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin[CourseTeamMember]):
    list_display = ("course", "user", "role")
    list_filter = ("role",)
    search_fields = ("course__title", "user__email", "user__full_name")
    autocomplete_fields = ("course", "user")

    def save_model(
        self, request: HttpRequest, obj: CourseTeamMember, form: ModelForm[Any], change: bool
    ) -> None:
        adopt(
            obj,
            services.course_team_member_set(
                course=form.cleaned_data["course"],
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            ),
        )
