"""Celery beat entries of the workbook machinery, merged into CELERY_BEAT_SCHEDULE by config/settings/base.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "workbook-forget-unconfirmed": {
        "task": "cells.workbook.tasks.forget_unconfirmed_imports",
        # Every hour: a checked upload nobody confirmed is deleted about a day after its check.
        "schedule": crontab(minute=40),
    },
}
