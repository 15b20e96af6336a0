"""The month's four-good progress of a cell, seen by its committee before a meeting (seed 004 B5).

"Trước kỳ sinh hoạt chi bộ hằng tháng, chi ủy tổng hợp kết quả thực hiện mô hình 'Chi bộ bốn tốt' ... và
đưa vào dự thảo nghị quyết": the cell's year in its four-good campaign, read through the campaign's own
selector (:func:`evaluations.campaigns.selectors.registration_sheet`, the one scoring): each of the four
goods achieved or not, each indicator's actual value against the cell's own target, and the criteria at
risk. :func:`draft_items` turns it into the items of the draft resolution the members vote on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from cells.models import Organization
from criteria.models import Comparator, FrameworkKind

from ..campaigns.models import PARTICIPANT_STATUSES, Registration
from ..campaigns.selectors import registration_sheet


@dataclass
class IndicatorLine:
    code: str
    title: str
    comparator: str
    target: Decimal | None
    actual: Decimal | None
    unit: str
    met: bool


@dataclass
class GoodLine:
    code: str
    title: str
    achieved: bool
    at_risk: list[str] = field(default_factory=list)


@dataclass
class FourGoodStatus:
    registration: Registration
    goods: list[GoodLine]
    indicators: list[IndicatorLine]

    @property
    def at_risk(self) -> list[str]:
        return [title for good in self.goods for title in good.at_risk]


def _number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return format(value.normalize(), "f").replace(".", ",")


def four_good_status(cell: Organization, day: datetime.date) -> FourGoodStatus | None:
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
    return FourGoodStatus(registration, goods, indicators)


def draft_items(status: FourGoodStatus, day: datetime.date) -> list[str]:
    """One item of the draft resolution per good: the committee's assessment of the month, for the vote."""
    month = f"{day.month:02d}/{day.year}"
    items = []
    for good in status.goods:
        if good.achieved:
            text = _("Four-good, %(month)s: %(good)s: achieved.") % {"month": month, "good": good.title}
        else:
            text = _("Four-good, %(month)s: %(good)s: not yet achieved (at risk: %(risks)s); remedies.") % {
                "month": month,
                "good": good.title,
                "risks": "; ".join(good.at_risk),
            }
        items.append(text[:500])
    return items


def indicator_text(line: IndicatorLine) -> str:
    return f"{_number(line.actual)} / {line.comparator} {_number(line.target)}{(' ' + line.unit) if line.unit else ''}"
