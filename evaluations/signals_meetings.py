"""What the meetings part registers when the app is ready: the supervisor scope provider, the
framework usage check, the demo extension and the workbook sheets (these two register on import)."""

from cells.scoping import register_scope_provider
from criteria.models import register_usage_check

from . import demo_meetings, sheets_meetings  # noqa: F401
from .models.meetings import Meeting
from .selectors_meetings import supervision_scope_paths

register_scope_provider(supervision_scope_paths)


@register_usage_check
def framework_used_by_meetings(framework) -> bool:
    return Meeting.objects.filter(framework=framework).exists()
