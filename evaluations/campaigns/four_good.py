"""The four-good year of a cell as its committee sees it before a meeting (seed 004 B5), computed from its
campaign through the campaign's own selector (:func:`.selectors.registration_sheet`, the one scoring), and
handed to the meetings part through its registry (evaluations/meetings/four_good.py)."""

from __future__ import annotations

import datetime

from cells.models import Organization
from criteria.models import Comparator, FrameworkKind

from ..meetings.four_good import FourGoodStatus, GoodLine, IndicatorLine, register_progress_provider
from .models import PARTICIPANT_STATUSES, Registration
from .selectors import registration_sheet


@register_progress_provider
def four_good_progress(cell: Organization, day: datetime.date) -> FourGoodStatus | None:
    """The cell's four-good year as it stands (its campaign of ``day``'s year), or None when it takes part in none."""
    registration = (
        Registration.objects.filter(
            organization=cell,
            campaign__year=day.year,
            campaign__framework__kind=FrameworkKind.FOUR_GOOD,
            status__in=PARTICIPANT_STATUSES,
        )
        .select_related("campaign", "framework", "organization__cell_type")
        .order_by("campaign_id")
        .first()
    )
    if registration is None:
        return None
    _rubric, lines, result = registration_sheet(registration)
    goods: list[GoodLine] = []
    indicators: list[IndicatorLine] = []
    for line in lines:
        criterion = line.criterion
        achieved = bool(result.achieved.get(criterion.code))
        if line.depth == 0:
            goods.append(GoodLine(criterion.code, criterion.title, achieved))
        elif criterion.is_leaf and not achieved and goods:
            goods[-1].at_risk.append(criterion.title)
        if criterion.is_indicator:
            answer = line.answer
            indicators.append(
                IndicatorLine(
                    code=criterion.code,
                    title=criterion.title,
                    comparator=dict(Comparator.choices).get(criterion.comparator, criterion.comparator),
                    target=answer.target if answer and answer.target is not None else criterion.target,
                    actual=answer.actual if answer else None,
                    unit=criterion.unit,
                    met=achieved,
                )
            )
    for good in goods:
        if not good.achieved and not good.at_risk:
            good.at_risk.append(good.title)
    return FourGoodStatus(registration.campaign.name, goods, indicators)
