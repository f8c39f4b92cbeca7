"""Background work of the credentials (Django's tasks API; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def attestations_issue_task(course_run_id: int, user_ids: list[int] | None) -> int:
    """Attestations for learners who just passed (``None``: any of the session still without)."""
    from sankore.credentials.services import attestations_issue_for_passed

    return attestations_issue_for_passed(course_run_id=course_run_id, user_ids=user_ids).issued


@task()
def credential_documents_make_task(
    credential_ids: list[int], language: str | None, replace: bool
) -> int:
    from sankore.credentials.services import documents_make

    return documents_make(credential_ids=credential_ids, language=language, replace=replace)


@task()
def bulk_issue_task(job_id: int) -> None:
    from sankore.credentials.bulk import bulk_issue_run

    bulk_issue_run(job_id=job_id)


@task()
def bulk_batch_task(job_id: int, ids: list[int]) -> None:
    from sankore.credentials.bulk import bulk_batch_run

    bulk_batch_run(job_id=job_id, ids=ids)
