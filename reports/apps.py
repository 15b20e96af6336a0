from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports built by Celery workers as PDF and Excel, and leadership dashboards."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Every report kind registers itself with the registry, and the build task with Celery in the web
        # process too (the services enqueue it by its name).
        from . import kinds, tasks  # noqa: F401
