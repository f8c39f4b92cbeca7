"""Background work of the exams app (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def convocation_send_task(registration_id: int) -> bool:
    """E-mail a confirmed registration's convocation (see ``convocation_send``)."""
    from sankore.exams.convocation import convocation_send

    return convocation_send(registration_id=registration_id)


@task()
def results_publish_task(sitting_id: int, by_id: int | None) -> dict[str, object]:
    """After the jury's validation: the certificates of those who passed, then an email to
    every candidate with a result (each once, however often this runs)."""
    from sankore.exams.results_publish import results_publish

    return results_publish(sitting_id=sitting_id, by_id=by_id).as_dict()
