"""Import jobs: create one from an upload, run its check or its import, confirm it."""

from __future__ import annotations

import datetime
import hashlib
import logging

from celery import signature
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .importer import run_import
from .models import ImportJob
from .reader import WorkbookRejected, estimate_rows

logger = logging.getLogger(__name__)

# Imports of more rows than this run in the background, with progress on the page.
LARGE_IMPORT_ROWS = 2000
# The task's hard time limit: a job RUNNING for longer than this lost its worker.
RUN_TIME_LIMIT = 35 * 60
# The Celery task that runs a job in a worker (cells/workbook/tasks.py registers it under this name).
RUN_IMPORT_TASK = "cells.workbook.tasks.run_import_job"


def _digest(chunks) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _waiting_job_with_content(waiting, upload) -> ImportJob | None:
    """The user's waiting job holding the same bytes as ``upload`` (same size first, then a hash)."""
    same_size = [job for job in waiting if job.size == (upload.size or 0) and job.file]
    if not same_size:
        return None
    wanted = _digest(upload.chunks())
    upload.seek(0)
    for job in same_size:
        with job.file.open("rb") as stored:
            if _digest(iter(lambda: stored.read(1 << 20), b"")) == wanted:
                return job
    return None


@transaction.atomic
def import_job_create(*, upload, acting_user) -> ImportJob:
    """Keep the uploaded file (privately, under MEDIA_ROOT) in a new job whose check is to run.

    The same file uploaded again while its job waits returns that job; a user has at most
    CHIBO_MAX_QUEUED_IMPORTS jobs waiting or running (ValidationError beyond)."""
    list(get_user_model().objects.select_for_update().filter(pk=acting_user.pk).values_list("pk", flat=True))
    waiting = list(ImportJob.objects.filter(user=acting_user, status__in=ImportJob.WAITING))
    same = _waiting_job_with_content(waiting, upload)
    if same is not None:
        same.merged = True  # already queued: import_job_start leaves it to the run that waits
        return same
    if len(waiting) >= settings.CHIBO_MAX_QUEUED_IMPORTS:
        raise ValidationError(
            _("You already have %(n)s imports waiting or running; upload more when they are done.")
            % {"n": len(waiting)}
        )
    job = ImportJob(user=acting_user, original_name=(upload.name or "workbook.xlsx")[:255], size=upload.size or 0)
    job.file.save("upload.xlsx", upload, save=False)
    try:
        rows = estimate_rows(job.file.path)
    except WorkbookRejected:
        rows = 0  # the check reports why at once
    job.progress_total = rows
    job.run_in_background = rows > LARGE_IMPORT_ROWS
    job.save()
    return job


def import_job_start(job: ImportJob) -> None:
    """Run the job now, or after commit in a worker when it is large (once: not a job merged into one waiting)."""
    if getattr(job, "merged", False):
        return
    if job.run_in_background:
        # By the task's name: the task module calls these services, so this module does not import it.
        job_id = job.pk
        transaction.on_commit(lambda: signature(RUN_IMPORT_TASK, args=(job_id,)).delay())
    else:
        import_job_run(job=job)


@transaction.atomic
def import_job_confirm(*, job: ImportJob, acting_user) -> bool:
    """Import a checked workbook: the same run, for real. Only a clean check can be confirmed, once:
    returns whether this call confirmed it (a second click finds it confirmed already)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not locked.can_confirm:
        return False
    locked.phase = ImportJob.Phase.IMPORT
    locked.status = ImportJob.Status.QUEUED
    locked.progress_done = 0
    locked.save(update_fields=["phase", "status", "progress_done"])
    job.refresh_from_db()
    return True


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run the job's phase: the check (a dry run) or the import. Idempotent: a finished job is left alone.

    A job caught RUNNING longer than a task may live (its worker died; the broker delivers the task
    again) runs again: the import is one transaction, so the lost run wrote nothing, and importing is
    idempotent anyway. A job RUNNING for less is left to the run in progress.
    """
    job.refresh_from_db()
    if not _claim(job):
        return job
    dry_run = job.phase == ImportJob.Phase.CHECK

    def progress(step: str, done: int, total: int) -> None:
        # Inside the import's transaction a write would be invisible (and rolled back): only the
        # reading, before it, reports row by row; the writing step is announced once.
        if step == "read" or done == 0:
            values = {"progress_step": step, "progress_done": done}
            if total:
                values["progress_total"] = total
            ImportJob.objects.filter(pk=job.pk).update(**values)

    try:
        result = run_import(job.file.path, user=job.user, dry_run=dry_run, progress=progress)
    except Exception as exc:  # noqa: BLE001 - whatever happens, the job says so instead of hanging
        logger.exception("workbook import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            message=_("The import stopped on an unexpected error; nothing was written.") + f" ({type(exc).__name__})",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        _forget_file(job)
        return job
    if result.errors:
        status = ImportJob.Status.INVALID
    else:
        status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        report=result.as_dict(),
        progress_step="done",
        progress_done=result.rows,
        progress_total=result.rows,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    if status != ImportJob.Status.CHECKED:
        _forget_file(job)
    return job


@transaction.atomic
def import_job_cancel(*, job: ImportJob, acting_user) -> bool:
    """The uploader cancels a checked (or refused) upload: its file is deleted now. Returns whether it was
    cancelled (a job importing or imported is not)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.phase != ImportJob.Phase.CHECK or locked.status not in (
        ImportJob.Status.CHECKED,
        ImportJob.Status.INVALID,
    ):
        return False
    _cancel(locked, _("Cancelled; the uploaded file was deleted."))
    job.refresh_from_db()
    return True


def import_jobs_forget_unconfirmed(*, now=None) -> int:
    """Delete the uploads checked more than CHIBO_UNCONFIRMED_UPLOAD_HOURS ago and never confirmed (the
    beat schedule runs it every hour). Returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.CHIBO_UNCONFIRMED_UPLOAD_HOURS)
    stale = ImportJob.objects.filter(
        phase=ImportJob.Phase.CHECK, status=ImportJob.Status.CHECKED, finished_at__lt=cutoff
    ).exclude(file="")
    count = 0
    for job in stale:
        _cancel(
            job,
            _(
                "Not imported within %(hours)s hours of its check: the uploaded file was deleted. "
                "Upload it again to import it."
            )
            % {"hours": settings.CHIBO_UNCONFIRMED_UPLOAD_HOURS},
        )
        count += 1
    return count


def _cancel(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CANCELLED, message=message)
    _forget_file(job)


def _claim(job: ImportJob) -> bool:
    """Mark the job RUNNING if it is this caller's to run (one UPDATE: two callers cannot both win)."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=RUN_TIME_LIMIT)
    claimed = (
        ImportJob.objects.filter(pk=job.pk)
        .filter(Q(status=ImportJob.Status.QUEUED) | Q(status=ImportJob.Status.RUNNING, started_at__lt=stale))
        .update(status=ImportJob.Status.RUNNING, started_at=now)
    )
    return claimed == 1


def _forget_file(job: ImportJob) -> None:
    """Delete the upload once it can no longer be confirmed: rosters are personal data, kept no longer
    than needed. The report (counts, changed rows, problems) stays in the job."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
