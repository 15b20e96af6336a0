"""What `manage.py status` and the staff's background-task page read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from .models import TaskFailure, WorkerHeartbeat

RECENT = datetime.timedelta(days=7)


def queue_lengths() -> dict[str, int | None]:
    """Messages waiting in each queue the workers consume (None: the broker did not answer)."""
    from config.celery import app

    names = {app.conf.task_default_queue} | {queue.name for queue in (app.conf.task_queues or [])}
    lengths: dict[str, int | None] = {}
    try:
        with app.connection_for_write(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for name in sorted(names):
                lengths[name] = channel._size(name)  # the virtual transports (Redis, filesystem) count here
    except Exception:  # noqa: BLE001 - shown as unknown; the broker check says why
        return dict.fromkeys(sorted(names))
    return lengths


@dataclass
class JobCounts:
    """Report runs or imports: how many wait or run now, and the failures of the last days (newest first)."""

    waiting: int = 0
    running: int = 0
    failed_recently: list = field(default_factory=list)


def report_runs(now: datetime.datetime) -> JobCounts:
    from reports.models import ReportRun, RunStatus

    counts = dict(ReportRun.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    failed = ReportRun.objects.filter(status=RunStatus.FAILED, requested_at__gte=now - RECENT).select_related(
        "organization"
    )
    return JobCounts(counts.get(RunStatus.QUEUED, 0), counts.get(RunStatus.RUNNING, 0), list(failed[:10]))


def imports(now: datetime.datetime) -> JobCounts:
    from cells.workbook.models import ImportJob

    counts = dict(ImportJob.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    failed = ImportJob.objects.filter(status=ImportJob.Status.FAILED, created_at__gte=now - RECENT)
    return JobCounts(counts.get(ImportJob.Status.QUEUED, 0), counts.get(ImportJob.Status.RUNNING, 0), list(failed[:10]))


def heartbeats() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.all()[:20])


def recent_failures(now: datetime.datetime, user=None, limit: int = 10) -> list[TaskFailure]:
    failures = TaskFailure.objects.filter(failed_at__gte=now - RECENT)
    if user is not None:
        failures = failures.for_user(user)
    return list(failures.select_related("organization")[:limit])


def now() -> datetime.datetime:
    return timezone.now()
