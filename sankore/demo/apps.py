from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for local runs and benchmarks (``manage.py seed_demo``); no models."""

    name = "sankore.demo"
    label = "demo"
    verbose_name = _("Démonstration")
