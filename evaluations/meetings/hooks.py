"""What the meetings part registers when the app is ready: the supervisor scope provider, the
framework usage check, and, by importing them, the demo extension, the workbook sheets and the Celery
tasks (Celery's autodiscovery looks only for ``<app>.tasks``; every process that loads Django, the
web, the worker and beat, runs this module)."""

from django.utils.translation import gettext_lazy as _

from cells.audit_history import register_audit_key
from cells.scoping import register_scope_provider
from criteria.models import register_usage_check
from criteria.selectors import LEVEL_LABELS

from . import demo, demo_minutes, rights, sheets, tasks  # noqa: F401
from .models import Meeting
from .selectors import supervision_scope_paths
from .services import summaries  # noqa: F401  (registers the tree listener and the rebuilder of the figures)

register_scope_provider(supervision_scope_paths)
# A meeting's levels are kept as codes: the audit history reads them by their labels ("Khá").
register_audit_key("self_level", values=LEVEL_LABELS)
register_audit_key("final_level", values=LEVEL_LABELS)
for _action in ("meeting.self_assess", "meeting.submit", "meeting.appraise"):
    register_audit_key("level", _("level"), LEVEL_LABELS, action=_action)
    register_audit_key("scores", _("points by criterion"), action=_action)
    register_audit_key("total", _("total points"), action=_action)


@register_usage_check
def framework_used_by_meetings(framework) -> bool:
    return Meeting.objects.filter(framework=framework).exists()
