"""The evaluations app's scope cases: the meetings part's and the campaigns part's."""

from .view_cases_campaigns import CASES as CAMPAIGNS_CASES
from .view_cases_meetings import CASES as MEETINGS_CASES

CASES = MEETINGS_CASES + CAMPAIGNS_CASES
