from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Cell meetings and their scores, supervision, campaigns, registration, appraisal and recognition."""

    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # Each part of the app hooks itself up (scope providers, demo, workbook sheets) in its own module.
        from .campaigns import hooks as campaigns_hooks  # noqa: F401
        from .meetings import hooks as meetings_hooks  # noqa: F401
