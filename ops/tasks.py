"""Background tasks of the operations side: the worker heartbeat and the scheduled backup."""

from __future__ import annotations

import logging
import os

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="ops.tasks.heartbeat", ignore_result=True, expires=60, acks_late=False)
def heartbeat() -> None:
    """Say "a worker is alive and beat is sending": one row per worker, its time updated."""
    from .services import worker_heartbeat_record

    hostname = heartbeat.request.hostname or "unknown"
    worker_heartbeat_record(hostname=hostname, pid=os.getpid(), seen_at=timezone.now())


@shared_task(name="ops.tasks.scheduled_backup", acks_late=True, soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def scheduled_backup() -> str:
    """The daily backup (only scheduled when CHIBO_BACKUP_DIR is set): write one archive, keep the newest N."""
    from django.conf import settings

    from .backup import BackupError, backup_create, backup_prune

    if not settings.CHIBO_BACKUP_DIR:
        raise BackupError("CHIBO_BACKUP_DIR is not set: the scheduled backup has nowhere to write")
    archive = backup_create(settings.CHIBO_BACKUP_DIR)
    removed = backup_prune(settings.CHIBO_BACKUP_DIR, keep=settings.CHIBO_BACKUP_KEEP)
    logger.info("backup written to %s; %s older archives removed", archive, len(removed))
    return str(archive)
