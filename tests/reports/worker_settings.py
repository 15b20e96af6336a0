"""Settings of the worker processes the worker-killed test starts: the test settings, with Redis giving an
unacknowledged task back after a few seconds instead of two hours (kombu's visibility timeout), so a
second worker picks up the task the first one was killed in."""

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
