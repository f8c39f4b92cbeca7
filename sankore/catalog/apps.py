from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sankore.catalog"
    label = "catalog"
