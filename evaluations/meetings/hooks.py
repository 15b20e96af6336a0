"""What the meetings part registers when the app is ready: the supervisor scope provider, the
framework usage check, and, by importing them, the demo extension, the workbook sheets and the Celery
tasks (Celery's autodiscovery looks only for ``<app>.tasks``; every process that loads Django, the
web, the worker and beat, runs this module)."""

from cells.scoping import register_scope_provider
from criteria.models import register_usage_check

from . import demo, demo_minutes, rights, sheets, tasks  # noqa: F401
from .models import Meeting
from .selectors import supervision_scope_paths

register_scope_provider(supervision_scope_paths)


@register_usage_check
def framework_used_by_meetings(framework) -> bool:
    return Meeting.objects.filter(framework=framework).exists()
