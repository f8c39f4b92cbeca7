from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "sankore.exams"
    label = "exams"
    verbose_name = _("Examens surveillés")

    def ready(self) -> None:
        from sankore.assessments.exam_gates import exam_gate_register
        from sankore.exams.exam_gate import sitting_exam_gate

        # Exam units sat at the centres: their staff open the window and give the code.
        exam_gate_register(sitting_exam_gate)
