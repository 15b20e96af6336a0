"""Celery beat entries of the campaign part, merged into CELERY_BEAT_SCHEDULE by config/settings/base.py:
every morning, secretaries hear of a campaign deadline three days ahead (evaluations/campaigns/notices.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "campaign-deadline-notices": {
        "task": "evaluations.campaigns.tasks.notify_campaign_deadlines",
        "schedule": crontab(minute=30, hour=6),
    },
}
