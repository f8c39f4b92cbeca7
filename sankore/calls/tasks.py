"""Background work of the calls app (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def application_acknowledge_task(application_id: int) -> int:
    """E-mail the acknowledgement of receipt of a submitted application, with its PDF."""
    from sankore.calls.notifications import application_acknowledge

    return application_acknowledge(application_id=application_id)
