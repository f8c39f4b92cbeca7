from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "sankore.syndication"
    label = "syndication"
