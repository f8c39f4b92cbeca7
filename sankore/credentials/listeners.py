"""What the credentials do when other apps tell them something (see ``apps.ready``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction


def learners_passed(course_run_id: int, user_ids: Sequence[int] | None) -> None:
    """Learners passed a session: their attestations are issued in the worker, once the
    grades that earned them are committed (a rolled-back grade issues nothing)."""
    from sankore.credentials.tasks import attestations_issue_task

    ids = list(user_ids) if user_ids is not None else None
    transaction.on_commit(lambda: attestations_issue_task.enqueue(course_run_id, ids))
