"""Background work of the partnerships app (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def partnership_notify_task(partnership_id: int, event_id: int) -> int:
    """E-mail the people of both parties (but the one who acted) about a journal event."""
    from sankore.partnerships.notifications import partnership_notify

    return partnership_notify(partnership_id=partnership_id, event_id=event_id)
