"""Celery beat entries of the reports app, merged into CELERY_BEAT_SCHEDULE by config/settings/base.py.

After each quarter's end the quarterly report is requested for every committee; in December the
year-end report for the current year (seed 003 F5: the yearly report reaches the province before 30/12).
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "reports-quarterly": {
        "task": "reports.tasks.schedule_reports",
        # 06:00 on the 3rd of January, April, July and October: the quarter just ended.
        "schedule": crontab(minute=0, hour=6, day_of_month=3, month_of_year="1,4,7,10"),
        "kwargs": {"kind": "quarterly", "period_kind": "quarter", "which": "last_ended"},
    },
    "reports-year-end": {
        "task": "reports.tasks.schedule_reports",
        # 06:00 on 15 December: the year still running, in time for the 30/12 deadline.
        "schedule": crontab(minute=0, hour=6, day_of_month=15, month_of_year=12),
        "kwargs": {"kind": "year_end", "period_kind": "year", "which": "current"},
    },
}
