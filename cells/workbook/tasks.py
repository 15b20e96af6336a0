"""The background run of a large workbook import (check or import), by job id.

Registered by CellsConfig.ready() in every process (Celery's autodiscovery looks only at ``cells.tasks``);
the services enqueue it by its name, ``services.RUN_IMPORT_TASK``."""

from celery import shared_task

from . import services
from .models import ImportJob


@shared_task(
    name=services.RUN_IMPORT_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30 * 60,
    time_limit=services.RUN_TIME_LIMIT,
    ignore_result=True,
)
def run_import_job(job_id: int) -> None:
    """Idempotent: a finished job is left as it is; the import itself is all-or-nothing."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_job_run(job=job)


@shared_task(acks_late=True, ignore_result=True)
def forget_unconfirmed_imports() -> int:
    """Beat entry point (hourly): delete the checked uploads nobody confirmed within a day."""
    return services.import_jobs_forget_unconfirmed()
