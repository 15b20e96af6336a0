"""The evaluations app's scope cases: the meetings part's and the campaigns part's."""

from .campaigns.view_cases import CASES as CAMPAIGNS_CASES
from .meetings.view_cases import CASES as MEETINGS_CASES

CASES = MEETINGS_CASES + CAMPAIGNS_CASES
