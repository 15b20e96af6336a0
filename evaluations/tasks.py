"""Celery tasks of the evaluations app, one module per part."""

from .tasks_meetings import *  # noqa: F403
