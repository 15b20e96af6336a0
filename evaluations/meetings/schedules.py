"""Celery beat entries of the meetings part, merged into CELERY_BEAT_SCHEDULE by config/settings/base.py.

On the reminder day of each month (CHIBO_MEETING_REMINDER_DAY, default the 5th) cells that have not
recorded last month's regular meeting, and supervisors with appraisals waiting, are reminded by email.
"""

import os

from celery.schedules import crontab

MEETING_REMINDER_DAY = int(os.environ.get("CHIBO_MEETING_REMINDER_DAY", "5"))

BEAT_SCHEDULE = {
    "meetings-reminders": {
        "task": "evaluations.meetings.tasks.send_meeting_reminders",
        "schedule": crontab(minute=0, hour=7, day_of_month=MEETING_REMINDER_DAY),
    },
}
