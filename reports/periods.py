"""Report periods: a month (2024-03), a quarter (2024-Q1), a half year (2024-H1) or a year (2024).

Pure code: parsing, the first and last day, the label printed in documents, and the period just
ended on a given day (what the beat schedule reports on).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells.dates import check_year

_PATTERNS = [
    ("month", re.compile(r"^(\d{4})-(\d{1,2})$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)),
    ("half", re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)),
    ("year", re.compile(r"^(\d{4})$")),
]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Half year")
    YEAR = "year", gettext_lazy("Year")


@dataclass(frozen=True)
class Period:
    """One reporting period. ``index`` is the month (1–12), quarter (1–4) or half (1–2); 0 for a year."""

    kind: str
    year: int
    index: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2024-03", "2024-Q1", "2024-H1" or "2024"; ValueError for anything else."""
        text = (text or "").strip()
        for kind, pattern in _PATTERNS:
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if kind != "year" else 0
                if kind == "month" and not 1 <= index <= 12:
                    break
                check_year(year)
                return cls(kind, year, index)
        raise ValueError(_("Not a period: %(text)s. Write 2024-03, 2024-Q1, 2024-H1 or 2024.") % {"text": text})

    @property
    def code(self) -> str:
        return {
            "month": f"{self.year}-{self.index:02d}",
            "quarter": f"{self.year}-Q{self.index}",
            "half": f"{self.year}-H{self.index}",
            "year": f"{self.year}",
        }[self.kind]

    def __str__(self) -> str:
        return self.code

    @property
    def months(self) -> tuple[int, int]:
        """The first and last month of the period."""
        if self.kind == "month":
            return self.index, self.index
        if self.kind == "quarter":
            return 3 * self.index - 2, 3 * self.index
        if self.kind == "half":
            return 6 * self.index - 5, 6 * self.index
        return 1, 12

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        last_month = self.months[1]
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def month_list(self) -> list[tuple[int, int]]:
        first, last = self.months
        return [(self.year, month) for month in range(first, last + 1)]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """As printed in a title: "quý I năm 2024", "6 tháng đầu năm 2024"."""
        if self.kind == "month":
            return _("month %(month)s of %(year)s") % {"month": self.index, "year": self.year}
        if self.kind == "quarter":
            return _("quarter %(quarter)s of %(year)s") % {"quarter": ROMAN[self.index], "year": self.year}
        if self.kind == "half":
            if self.index == 1:
                return _("the first six months of %(year)s") % {"year": self.year}
            return _("the last six months of %(year)s") % {"year": self.year}
        return _("the year %(year)s") % {"year": self.year}

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1)
        count = {"month": 12, "quarter": 4, "half": 2}[self.kind]
        if self.index == 1:
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.index - 1)


def period_containing(kind: str, day: datetime.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == "month":
        return Period("month", day.year, day.month)
    if kind == "quarter":
        return Period("quarter", day.year, (day.month - 1) // 3 + 1)
    if kind == "half":
        return Period("half", day.year, 1 if day.month <= 6 else 2)
    return Period("year", day.year)


def last_ended(kind: str, day: datetime.date) -> Period:
    """The latest period of ``kind`` that ended before ``day`` (a report after the quarter's end)."""
    return period_containing(kind, day).previous()


def report_as_of(period: Period, today: datetime.date) -> datetime.date:
    """The day a report's state is read on: the period's last day, or today for a period still running."""
    return min(period.end, today)
