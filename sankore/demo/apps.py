from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for local runs and benchmarks (``manage.py seed_demo``); no models."""

    name = "sankore.demo"
    label = "demo"
