"""Back office for programme staff: users and their roles.

Role assignments are written through ``services.role_assign`` / ``role_revoke`` (from the
user page's inline as from their own list), so the admin obeys the same scope rules as code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from sankore.accounts import services
from sankore.accounts.admin_site import ProgrammeStaffAdminMixin
from sankore.accounts.models import RoleAssignment, User
from sankore.core.admin import adopt
from sankore.core.errors import ServiceError


def _unused_email(value: str, *, owner_pk: int | None = None) -> str:
    """The address lower case, as allauth and the manager store it, if no other account has it
    (whatever the case)."""
    email = value.strip().lower()
    others = User.objects.filter(email__iexact=email)
    if owner_pk is not None:
        others = others.exclude(pk=owner_pk)
    if others.exists():
        raise forms.ValidationError(
            _("Un compte utilise déjà cette adresse électronique."), code="email_taken"
        )
    return email


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return _unused_email(self.cleaned_data["email"])


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _unused_email(self.cleaned_data["email"], owner_pk=self.instance.pk)


class RoleAssignmentForm(ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "institution")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        role = cleaned.get("role")
        if role:
            try:
                services.role_scope_check(role=role, institution=cleaned.get("institution"))
            except ServiceError as error:
                # Tied to the institution field, so the model's own check constraint on it is
                # skipped and the editor sees one clear message rather than two.
                self.add_error("institution", str(error.message))
        return cleaned


def _role_assignment_save(*, obj: RoleAssignment, actor: User) -> None:
    """Write an edited assignment through the services; ``obj`` then mirrors the stored row."""
    if obj.pk is not None:
        previous = RoleAssignment.objects.select_related("user", "institution").get(pk=obj.pk)
        unchanged = (previous.user_id, previous.role, previous.institution_id) == (
            obj.user_id,
            obj.role,
            obj.institution_id,
        )
        if unchanged:
            return
        services.role_revoke(
            user=previous.user,
            role=previous.role,
            institution=previous.institution,
            revoked_by=actor,
        )
    adopt(
        obj,
        services.role_assign(
            user=obj.user, role=obj.role, institution=obj.institution, granted_by=actor
        ),
    )


def _role_assignment_delete(*, obj: RoleAssignment, actor: User) -> None:
    services.role_revoke(
        user=obj.user, role=obj.role, institution=obj.institution, revoked_by=actor
    )


class RoleAssignmentInline(ProgrammeStaffAdminMixin, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    form = RoleAssignmentForm
    fields = ("role", "institution", "granted_at", "granted_by")
    readonly_fields = ("granted_at", "granted_by")
    extra = 0
    verbose_name = _("rôle")
    verbose_name_plural = _("rôles (en plus d'apprenant)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        return super().get_queryset(request).select_related("institution", "granted_by")


@admin.register(User)
class UserAdmin(ProgrammeStaffAdminMixin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profil"),
            {
                "fields": (
                    "full_name",
                    "certificate_name",
                    "country",
                    "preferred_language",
                    "institution",
                )
            },
        ),
        (
            _("Accès"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = (
        "email",
        "full_name",
        "country",
        "preferred_language",
        "is_staff",
        "date_joined",
    )
    list_filter = (
        ("country", CountryFilter),
        "preferred_language",
        "is_staff",
        "is_superuser",
        "is_active",
        "role_assignments__role",
    )
    search_fields = ("email", "full_name", "certificate_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Programme staff manage people, not the powers that bypass every role check.
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user
        assert isinstance(actor, User)
        # commit=False fills new_objects, changed_objects and deleted_objects (the admin's
        # history message reads them) without writing anything.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _role_assignment_delete(obj=obj, actor=actor)
        for obj in instances:
            _role_assignment_save(obj=obj, actor=actor)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ProgrammeStaffAdminMixin, admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "role", "institution", "granted_at", "granted_by")
    list_filter = ("role", "institution__kind", "granted_at")
    search_fields = (
        "user__email",
        "user__full_name",
        "institution__name",
        "institution__acronym",
    )
    list_select_related = ("user", "institution", "granted_by")
    autocomplete_fields = ("user",)
    readonly_fields = ("granted_at", "granted_by")
    date_hierarchy = "granted_at"

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        assert isinstance(request.user, User)
        _role_assignment_save(obj=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        assert isinstance(request.user, User)
        _role_assignment_delete(obj=obj, actor=request.user)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        assert isinstance(request.user, User)
        for obj in queryset.select_related("user", "institution"):
            _role_assignment_delete(obj=obj, actor=request.user)
