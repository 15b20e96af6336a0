from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports built by Celery workers as PDF and Excel, and leadership dashboards."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Every report kind registers itself with the registry, and the build task with Celery in the web
        # process too (the services enqueue it by its name).
        # How a report request reads in the audit history: its kind's title and the period as people write it.
        from cells.audit_history import register_audit_key
        from cells.periods import period_label

        from . import kinds, tasks  # noqa: F401
        from .registry import get_kind

        def kind_title(code) -> str | None:
            try:
                return str(get_kind(str(code)).title)
            except LookupError:
                return None

        for action in ("report.request", "report.retry"):
            register_audit_key("kind", _("report"), kind_title, action=action)
            register_audit_key("period", _("period"), period_label, action=action)
