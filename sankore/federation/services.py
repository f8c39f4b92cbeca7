"""Catalog import jobs: a dry run on upload, then, once confirmed, the application in the
background (all or nothing) with its progress."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.core.errors import ConflictError, ServiceError
from sankore.federation.importers.openedx import openedx_read
from sankore.federation.importers.plan import ImportPlan, ImportRefused, import_apply, import_plan
from sankore.federation.importers.records import CourseRecord, RowError
from sankore.federation.importers.tabular import csv_read
from sankore.federation.models import ImportFormat, ImportJob, ImportStatus

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def import_read(
    *, format: str, content: bytes, platform: str
) -> tuple[list[CourseRecord], list[RowError]]:
    reader = openedx_read if format == ImportFormat.OPENEDX else csv_read
    return reader(content=content, platform=platform)


def import_dry_run(*, format: str, content: bytes, platform: str) -> ImportPlan:
    records, errors = import_read(format=format, content=content, platform=platform)
    return import_plan(records=records, read_errors=errors)


def import_now(*, format: str, content: bytes, platform: str) -> ImportPlan:
    """Read and apply a file at once (the management command): ImportRefused if any piece
    of it is refused, and then nothing is imported."""
    records, errors = import_read(format=format, content=content, platform=platform)
    return import_apply(records=records, read_errors=errors)


@transaction.atomic
def import_job_plan(
    *, format: str, platform: str, file_name: str, content: bytes, requested_by: User
) -> ImportJob:
    """Keep an uploaded file with its dry run, for the staff to read and confirm."""
    plan = import_dry_run(format=format, content=content, platform=platform)
    return ImportJob.objects.create(
        format=format, platform=platform, file_name=file_name[:255], content=content,
        requested_by=requested_by, plan=plan.as_json(), total=plan.writes,
    )  # fmt: skip


@transaction.atomic
def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Queue the application of a dry run without errors (twice: the second is refused)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportStatus.PLANNED:
        raise ConflictError(_("Cette importation est déjà lancée."), code="already_confirmed")
    if locked.plan.get("errors"):
        raise ServiceError(
            _("Corrigez les erreurs du fichier avant d'importer."), code="plan_has_errors"
        )
    locked.status = ImportStatus.QUEUED
    locked.save(update_fields=["status"])
    from sankore.federation.tasks import import_job_task

    transaction.on_commit(lambda: import_job_task.enqueue(locked.pk))
    return locked


def _progress_key(job_id: int) -> str:
    return f"federation:import:{job_id}:progress"


def import_job_progress(*, job: ImportJob) -> int:
    """How many writes are done. The import runs in one transaction, invisible to others
    until it ends: while it runs, its progress lives in the shared cache."""
    if job.status == ImportStatus.RUNNING:
        return int(cache.get(_progress_key(job.pk), 0))
    return job.processed


def import_job_run(*, job_id: int) -> ImportJob:
    """Apply a confirmed import (the task calls it; a second call does nothing)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportStatus.QUEUED:
            return job
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job_id), done, PROGRESS_SECONDS)

    records, errors = import_read(
        format=job.format, content=bytes(job.content), platform=job.platform
    )
    try:
        plan = import_apply(records=records, read_errors=errors, progress=progress)
    except ImportRefused as refused:
        _finish(job, ImportStatus.FAILED, refused.plan, str(refused.message))
    except Exception:  # the whole import rolled back; the job must still end, logged
        logger.exception("catalog import %s failed", job_id)
        _finish(job, ImportStatus.FAILED, None, "Échec imprévu : rien n'a été importé.")
    else:
        _finish(job, ImportStatus.DONE, plan, "")
    cache.delete(_progress_key(job_id))
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, status: str, plan: ImportPlan | None, error: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, result=plan.as_json() if plan else {}, error=error,
        processed=plan.writes if plan and status == ImportStatus.DONE else 0,
        total=plan.writes if plan else job.total, finished_at=timezone.now(),
    )  # fmt: skip


def import_jobs_recent(*, limit: int = 20) -> Sequence[ImportJob]:
    return list(
        ImportJob.objects.defer("content", "plan", "result").select_related("requested_by")[:limit]
    )
