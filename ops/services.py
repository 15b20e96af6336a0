"""Every write of the operations side: the rows that record failed tasks and live workers."""

from __future__ import annotations

import datetime

from .models import TaskFailure, WorkerHeartbeat


def task_failure_create(**fields) -> TaskFailure:
    """Store one failed background task (``ops.failures`` works out its subject, organisation and user)."""
    return TaskFailure.objects.create(**fields)


def worker_heartbeat_record(*, hostname: str, pid: int, seen_at: datetime.datetime) -> WorkerHeartbeat:
    """One row per worker, its time updated: "a worker is alive and beat is sending"."""
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": seen_at, "pid": pid}
    )
    return heartbeat
