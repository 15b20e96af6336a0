from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports built by Celery workers as PDF and Excel, and leadership dashboards."""

    name = "reports"
    verbose_name = _("Reports")
