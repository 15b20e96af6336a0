from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the product: health checks, worker heartbeats, failed background tasks, backups."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import failures

        failures.connect()
