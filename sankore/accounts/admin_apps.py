"""The admin's app config, kept apart from ``admin_site`` because INSTALLED_APPS imports it
before the models are ready."""

from django.contrib.admin.apps import AdminConfig


class SankoreAdminConfig(AdminConfig):
    default_site = "sankore.accounts.admin_site.SankoreAdminSite"
