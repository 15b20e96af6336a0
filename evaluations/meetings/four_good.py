"""The month's four-good progress of a cell, seen by its committee before a meeting (seed 004 B5).

What this module holds: the shape of the status, the items it makes, and the registry through which the
campaigns part (evaluations/campaigns/four_good.py) computes it.

"Trước kỳ sinh hoạt chi bộ hằng tháng, chi ủy tổng hợp kết quả thực hiện mô hình 'Chi bộ bốn tốt' ... và
đưa vào dự thảo nghị quyết": the cell's year in its four-good campaign, read through the campaign's own
selector (:func:`evaluations.campaigns.selectors.registration_sheet`, the one scoring): each of the four
goods achieved or not, each indicator's actual value against the cell's own target, and the criteria at
risk. :func:`draft_items` turns it into the items of the draft resolution the members vote on."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from cells.models import Organization


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
    campaign_name: str
    goods: list[GoodLine]
    indicators: list[IndicatorLine]

    @property
    def at_risk(self) -> list[str]:
        return [title for good in self.goods for title in good.at_risk]


def _number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return format(value.normalize(), "f").replace(".", ",")


ProgressProvider = Callable[[Organization, datetime.date], "FourGoodStatus | None"]
_providers: list[ProgressProvider] = []


def register_progress_provider(provider: ProgressProvider) -> ProgressProvider:
    """The campaigns part gives the four-good year of a cell (it reads campaigns; meetings must not import
    them: campaigns already import the meeting rights). Registered from its hooks when the app is ready."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def four_good_status(cell: Organization, day: datetime.date) -> FourGoodStatus | None:
    """The cell's four-good year as it stands (its campaign of ``day``'s year), or None when it takes part in none."""
    for provider in _providers:
        status = provider(cell, day)
        if status is not None:
            return status
    return None


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
