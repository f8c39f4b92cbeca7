from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "sankore.assessments"
    label = "assessments"
    verbose_name = _("Évaluations")

    def ready(self) -> None:
        # Problem types plug into the courseware's block registry.
        from sankore.assessments import block_types, peer_block  # noqa: F401
        from sankore.assessments.services import grades_after_publication
        from sankore.courseware.registry import publication_listener_register

        # Grades follow what counts in them when a session is published again.
        publication_listener_register(grades_after_publication)
