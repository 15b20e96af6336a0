"""Celery tasks of the reports app: thin wrappers that take an id and call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from cells.periods import last_ended, period_containing

from . import services
from .registry import get_kind

logger = logging.getLogger(__name__)


@shared_task(
    name=services.BUILD_REPORT_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,  # a worker killed mid-build puts the task back: the build is idempotent
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
    max_retries=3,
)
def build_report_run(self, run_id: int) -> None:
    """Build one report run's file. Safe to deliver twice: a finished run is left alone."""
    try:
        services.report_run_execute(run_id=run_id)
    except (OperationalError, InterfaceError) as exc:
        if self.request.retries >= self.max_retries:
            services.report_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")
            return
        raise self.retry(exc=exc, countdown=20 * (self.request.retries + 1)) from exc


@shared_task(acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def schedule_reports(kind: str, period_kind: str, which: str = "last_ended") -> int:
    """Beat entry point: request ``kind`` for every committee for the period just ended (or the current one)."""
    try:
        get_kind(kind)
    except LookupError:
        logger.warning("scheduled report kind %s is not registered; nothing requested", kind)
        return 0
    today = timezone.localdate()
    period = last_ended(period_kind, today) if which == "last_ended" else period_containing(period_kind, today)
    runs = services.report_runs_schedule(kind=kind, period=period.code)
    logger.info("scheduled %s runs of %s for %s", len(runs), kind, period.code)
    return len(runs)
