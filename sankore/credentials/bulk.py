"""Bulk jobs of a session's credentials: issue to every learner who passed, or make new
documents after a template change, in batches that any worker takes."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.credentials.models import (
    BulkIssue,
    BulkStatus,
    Credential,
    CredentialKind,
    CredentialStatus,
    IssueBasis,
)
from sankore.credentials.services import (
    DOCUMENTS_PER_TASK,
    CredentialError,
    credential_document_make,
    credential_issue,
    passed_without_credential,
    refuse_unless_offered,
)

logger = logging.getLogger(__name__)


def bulk_issue_request(
    *, course_run: CourseRun, kind: str, requested_by: User, regenerate: bool = False
) -> BulkIssue:
    """Issue the credentials of a whole session (or, with ``regenerate``, make new documents
    for those issued) in the background; the job's page shows its progress."""
    if not regenerate:
        refuse_unless_offered(course_run=course_run, kind=kind)
    _bulk_stale_fail(course_run=course_run, kind=kind)
    try:
        with transaction.atomic():
            job = BulkIssue.objects.create(
                course_run=course_run, kind=kind, requested_by=requested_by,
                regenerate=regenerate,
            )  # fmt: skip
    except IntegrityError:
        # One job at a time per session and kind (a constraint: two clicks make one job).
        raise CredentialError(
            _("Une délivrance groupée est déjà en cours pour cette session."), code="running"
        ) from None
    from sankore.credentials.tasks import bulk_issue_task

    transaction.on_commit(lambda: bulk_issue_task.enqueue(job.pk))
    return job


BULK_STALE_AFTER = datetime.timedelta(minutes=30)


def _bulk_stale_fail(*, course_run: CourseRun, kind: str) -> None:
    """A job whose batches stopped coming (no worker, a crash) for half an hour is failed,
    so that it no longer blocks a new one."""
    limit = timezone.now() - BULK_STALE_AFTER
    BulkIssue.objects.filter(
        course_run=course_run, kind=kind, status__in=[BulkStatus.QUEUED, BulkStatus.RUNNING],
        heartbeat_at__lt=limit,
    ).update(
        status=BulkStatus.FAILED, finished_at=timezone.now(),
        error="Interrompue : aucun lot traité depuis 30 minutes.",
    )  # fmt: skip


def bulk_issue_run(*, job_id: int) -> BulkIssue:
    """Start a bulk job (the task calls it; a second call does nothing): the learners (or,
    to regenerate, the credentials) are listed once, then cut into batches that any
    worker takes, each issuing and making its documents."""
    with transaction.atomic():
        job = BulkIssue.objects.select_for_update().get(pk=job_id)
        if job.status != BulkStatus.QUEUED:
            return job
        if job.regenerate:
            ids = list(
                Credential.objects.filter(
                    course_run_id=job.course_run_id, kind=job.kind, status=CredentialStatus.VALID
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        else:
            ids = list(passed_without_credential(course_run_id=job.course_run_id, kind=job.kind))
        job.status = BulkStatus.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.total = len(ids)
        job.save(update_fields=["status", "started_at", "heartbeat_at", "total"])
        from sankore.credentials.tasks import bulk_batch_task

        def enqueue() -> None:
            for start in range(0, len(ids), DOCUMENTS_PER_TASK):
                bulk_batch_task.enqueue(job_id, ids[start : start + DOCUMENTS_PER_TASK])

        transaction.on_commit(enqueue)
    _bulk_finish_if_complete(bulk_id=job.pk)
    job.refresh_from_db()
    return job


def bulk_batch_run(*, job_id: int, ids: Sequence[int]) -> None:
    """One batch of a bulk job: issue and make the documents (or only new documents). A
    learner refused or a document failing is counted and logged; the others go on."""
    job = BulkIssue.objects.select_related("course_run__course", "requested_by").get(pk=job_id)
    issued = documents = failed = documents_failed = 0
    try:
        for item in ids:
            try:
                if job.regenerate:
                    credential_id = item
                else:
                    credential, created = _bulk_issue_one(job=job, user_id=item)
                    if not created:
                        continue  # issued meanwhile (automatically): that path made its document
                    issued += 1
                    credential_id = credential.pk
            except CredentialError as error:
                logger.warning("bulk %s: learner %s refused: %s", job_id, item, error.code)
                failed += 1
                continue
            except Exception:  # one learner's failure must not stop the batch; logged
                logger.exception("bulk %s: learner %s failed", job_id, item)
                failed += 1
                continue
            try:
                credential_document_make(credential_id=credential_id, replace=job.regenerate)
            except Exception:  # one bad document must not stop the batch; logged with its id
                logger.exception("bulk %s: document of credential %s failed", job_id, credential_id)
                documents_failed += 1
            else:
                documents += 1
    finally:
        # Counted whatever happened, so the job always ends.
        BulkIssue.objects.filter(pk=job_id).update(
            processed=F("processed") + len(ids), issued=F("issued") + issued,
            documents=F("documents") + documents, failed=F("failed") + failed,
            documents_failed=F("documents_failed") + documents_failed,
            heartbeat_at=timezone.now(),
        )  # fmt: skip
        _bulk_finish_if_complete(bulk_id=job_id)


def _bulk_issue_one(*, job: BulkIssue, user_id: int) -> tuple[Credential, bool]:
    holder = User.objects.filter(pk=user_id).first()
    if holder is None:
        raise CredentialError(_("Ce compte n'existe plus."), code="no_account")
    if job.kind == CredentialKind.ATTESTATION:
        return credential_issue(
            holder=holder, course_run=job.course_run, kind=job.kind, basis=IssueBasis.GRADE,
            make_document=False,
        )  # fmt: skip
    # Certificates for the learners who passed, by decision of the course team.
    return credential_issue(
        holder=holder, course_run=job.course_run, kind=job.kind, basis=IssueBasis.TEAM,
        issued_by=job.requested_by, make_document=False,
    )  # fmt: skip


def _bulk_finish_if_complete(*, bulk_id: int) -> None:
    BulkIssue.objects.filter(
        pk=bulk_id, status=BulkStatus.RUNNING, total__lte=F("processed")
    ).update(status=BulkStatus.DONE, finished_at=timezone.now())
