from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "sankore.learning"
    label = "learning"
