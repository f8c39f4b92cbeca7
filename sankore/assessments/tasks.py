"""Background work of the assessments (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def grades_recompute_task(recomputation_id: int) -> None:
    from sankore.assessments.services import grades_recompute_run

    grades_recompute_run(recomputation_id=recomputation_id)


@task()
def peer_deadlines_apply_task() -> int:
    """The delay rule of peer assessment for every response, and stale allocations
    released (``manage.py peer_deadlines_apply`` enqueues it; cron runs that)."""
    from sankore.assessments.peer import peer_deadlines_apply

    return peer_deadlines_apply()
