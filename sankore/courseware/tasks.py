"""Background work of the courseware (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def asset_process_task(asset_id: int) -> None:
    from sankore.courseware.services import asset_process

    asset_process(asset_id=asset_id)
