"""Background work of the exams app (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def convocation_send_task(registration_id: int) -> bool:
    """E-mail a confirmed registration's convocation (see ``convocation_send``)."""
    from sankore.exams.convocation import convocation_send

    return convocation_send(registration_id=registration_id)
