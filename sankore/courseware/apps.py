from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursewareConfig(AppConfig):
    name = "sankore.courseware"
    label = "courseware"
    verbose_name = _("Contenus de cours")

    def ready(self) -> None:
        # The built-in block types register themselves; later apps (assessments) add theirs
        # from their own ready().
        from sankore.courseware import block_types, checks  # noqa: F401
