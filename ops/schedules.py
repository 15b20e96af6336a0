"""Celery beat entries of the operations side, merged into CELERY_BEAT_SCHEDULE by config/settings/base.py.

The heartbeat runs always. The daily backup is off unless CHIBO_BACKUP_DIR is set (see README,
"Backups"): CHIBO_BACKUP_HOUR (default 2, local time) and CHIBO_BACKUP_KEEP (default 14 archives).
"""

from __future__ import annotations

from celery.schedules import crontab

from .health import HEARTBEAT_SECONDS


def beat_schedule(*, backup_dir: str, backup_hour: int) -> dict:
    schedule = {
        "ops-heartbeat": {
            "task": "ops.tasks.heartbeat",
            "schedule": float(HEARTBEAT_SECONDS),
            "options": {"expires": HEARTBEAT_SECONDS * 2},
        },
    }
    if backup_dir:
        schedule["ops-backup"] = {
            "task": "ops.tasks.scheduled_backup",
            "schedule": crontab(minute=15, hour=backup_hour),
        }
    return schedule
