from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Cell meetings and their scores, supervision, campaigns, registration, appraisal and recognition."""

    name = "evaluations"
    verbose_name = _("Evaluations")
