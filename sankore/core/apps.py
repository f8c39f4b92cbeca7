from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sankore.core"
    label = "core"
