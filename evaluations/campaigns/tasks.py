"""Celery tasks of the campaign part: thin, they call the service."""

import datetime

from celery import shared_task

from . import notices

__all__ = ["notify_campaign_deadlines"]


@shared_task(name="evaluations.campaigns.tasks.notify_campaign_deadlines", acks_late=True, ignore_result=True)
def notify_campaign_deadlines(day: str | None = None) -> int:
    """Notify secretaries of the campaign deadlines three days ahead (idempotent: one notice per key)."""
    return notices.campaign_deadlines(datetime.date.fromisoformat(day) if day else None)
