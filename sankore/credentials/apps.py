from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "sankore.credentials"
    label = "credentials"
    verbose_name = _("Attestations et certificats")

    def ready(self) -> None:
        from sankore.assessments.events import passed_listener_register
        from sankore.credentials.listeners import learners_passed

        # Attestations follow the grades: issued when a learner passes a session.
        passed_listener_register(learners_passed)
