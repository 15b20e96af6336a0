"""Celery tasks of the meetings part: thin, they call the service."""

import datetime

from celery import shared_task

from .services.reminders import send_meeting_reminders as _send

__all__ = ["send_meeting_reminders"]


@shared_task(name="evaluations.meetings.tasks.send_meeting_reminders", acks_late=True, ignore_result=True)
def send_meeting_reminders(day: str | None = None) -> dict:
    """Email the month's reminders (idempotent enough: a second run sends the same reminders again)."""
    return _send(today=datetime.date.fromisoformat(day) if day else None)
