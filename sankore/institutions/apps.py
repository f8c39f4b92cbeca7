from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "sankore.institutions"
    label = "institutions"
