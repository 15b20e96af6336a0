from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    """Criteria frameworks (bộ tiêu chí), their rating levels and the one scoring function."""

    name = "criteria"
    verbose_name = _("Criteria frameworks")

    def ready(self) -> None:
        # The demo frameworks, the framework rights, and the frameworks' workbook sheets and export.
        from . import demo, rights, sheets  # noqa: F401
