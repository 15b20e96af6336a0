"""Where Django finds the evaluations app's models (it imports ``evaluations.models``).

The models themselves live with their part of the work: ``evaluations.meetings.models`` (monthly
meetings, scores and appraisal, supervision, guidance, model meetings, thematic plans) and
``evaluations.campaigns.models`` (yearly plans, year ratings, registration, annual answers,
recognition), plus ``evaluations.meetings.summary_models`` (the figures kept on write). Import them from
there; this module only loads them into the app.
"""

from .campaigns import models as campaigns_models  # noqa: F401
from .meetings import (
    minutes_models,  # noqa: F401
    summary_models,  # noqa: F401
)
from .meetings import models as meetings_models  # noqa: F401
