"""Background work of the catalog imports (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_task(job_id: int) -> None:
    from sankore.federation.services import import_job_run

    import_job_run(job_id=job_id)
