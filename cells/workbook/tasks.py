"""The background run of a large workbook import (check or import), by job id."""

from celery import shared_task


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30 * 60,
    time_limit=35 * 60,  # services.RUN_TIME_LIMIT
    ignore_result=True,
)
def run_import_job(job_id: int) -> None:
    """Idempotent: a finished job is left as it is; the import itself is all-or-nothing."""
    from .models import ImportJob
    from .services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        import_job_run(job=job)


@shared_task(acks_late=True, ignore_result=True)
def forget_unconfirmed_imports() -> int:
    """Beat entry point (hourly): delete the checked uploads nobody confirmed within a day."""
    from .services import import_jobs_forget_unconfirmed

    return import_jobs_forget_unconfirmed()
