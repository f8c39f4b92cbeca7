"""Background work of the calls app (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def application_acknowledge_task(application_id: int) -> int:
    """E-mail the acknowledgement of receipt of a submitted application, with its PDF."""
    from sankore.calls.notifications import application_acknowledge

    return application_acknowledge(application_id=application_id)


@task()
def reviewers_notify_task(call_id: int, reviewer_ids: list[int]) -> int:
    """Tell the reviewers of a validated assignment what they have to review."""
    from sankore.calls.review_notifications import reviewers_notify

    return reviewers_notify(call_id=call_id, reviewer_ids=reviewer_ids)


@task()
def decisions_notify_task(call_id: int) -> int:
    """Send the applicants of a call their decisions with the anonymised reviews."""
    from sankore.calls.review_notifications import decisions_notify

    return decisions_notify(call_id=call_id)


@task()
def reviews_remind_task() -> int:
    """Remind the experts of the reviews still due (cron: ``manage.py call_reviews_remind``)."""
    from sankore.calls.reviewing import reviews_remind

    return reviews_remind()
