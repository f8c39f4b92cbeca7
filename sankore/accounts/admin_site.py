"""Who may use the admin: programme staff and superusers, as ``permissions`` says.

Django's stock site lets in whoever has ``is_staff``, a flag that would duplicate the
programme-staff role. ``SankoreAdminSite`` asks the role instead; ``admin_apps.SankoreAdminConfig``
replaces ``django.contrib.admin`` in ``INSTALLED_APPS``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_programme_staff, user_may_use_admin


class ProgrammeStaffAdminMixin:
    """Model admin rights from the programme-staff role, not from Django's permission table."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_is_programme_staff(user=request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return user_is_programme_staff(user=request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return user_is_programme_staff(user=request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return user_is_programme_staff(user=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return user_is_programme_staff(user=request.user)


class ProgrammeStaffReadOnlyMixin(ProgrammeStaffAdminMixin):
    """Programme staff read these rows; they change only through the platform's services."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ProgrammeStaffAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        if not isinstance(user, User) or not user_may_use_admin(user=user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SankoreAdminSite(admin.AdminSite):
    login_form = ProgrammeStaffAuthenticationForm
    site_header = _("Administration de Sankoré")
    site_title = _("Administration de Sankoré")

    def has_permission(self, request: HttpRequest) -> bool:
        return user_may_use_admin(user=request.user)
