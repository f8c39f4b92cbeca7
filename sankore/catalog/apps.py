from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "sankore.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from sankore.catalog.services import institution_changed
        from sankore.institutions.services import institution_change_hook_register

        institution_change_hook_register(institution_changed)
