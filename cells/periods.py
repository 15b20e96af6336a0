"""Periods: a month (2024-03), a quarter (2024-Q1), a half year (2024-H1) or a year (2024).

The one period of the product: the ranking, the supervision summary, the reports and the beat schedule
all read it. A period covers the days [start, end): ``start`` is its first day and ``end`` the day
after its last, the same half-open convention as every interval of :mod:`cells.history`, so a query
reads ``date__gte=period.start, date__lt=period.end``. ``last_day`` is the last day itself (what a
document prints, the day a report's state is read on).

Pure code: parsing, the bounds, the label printed in documents, and the period just ended on a given
day (what the beat schedule reports on).
"""

from __future__ import annotations

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
FROM_ROMAN = {roman: number for number, roman in ROMAN.items()}
# As people write a period (cells/periods.py reads these too): "Quý IV/2026", "quý 4 năm 2026", "tháng 12/2026",
# "12/2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "năm 2026". Diacritics are optional.
_YEAR = r"(?:/|\s*năm\s*|\s*nam\s*|\s+)(\d{4})"
_WRITTEN = [
    ("quarter", re.compile(r"^(?:quý|quy)\s*(IV|I{1,3}|[1-4])" + _YEAR + "$", re.IGNORECASE)),
    ("month", re.compile(r"^(?:(?:tháng|thang)\s*)?(\d{1,2})" + _YEAR + "$", re.IGNORECASE)),
    ("half", re.compile(r"^6\s*(?:tháng|thang)\s*(đầu|dau|cuối|cuoi)" + _YEAR + "$", re.IGNORECASE)),
    ("year", re.compile(r"^(?:năm|nam)\s*(\d{4})$", re.IGNORECASE)),
]
# How many months a period of each kind lasts.
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}
ONE_DAY = datetime.timedelta(days=1)


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Half year")
    YEAR = "year", gettext_lazy("Year")


@dataclass(frozen=True)
class Period:
    """One period. ``index`` is the month (1–12), quarter (1–4) or half (1–2); 0 for a year."""

    kind: str
    year: int
    index: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period as people write it ("Quý IV/2026", "tháng 12/2026", "6 tháng đầu năm 2026", "năm
        2026") or by its code ("2024-03", "2024-Q1", "2024-H1", "2024"); ValueError for anything else (never
        a wider period than the one written)."""
        text = " ".join((text or "").split())
        found = cls._read(text)
        if found is None:
            raise ValueError(
                _("Not a period: “%(text)s”. Write it as Tháng 3/2024, Quý I/2024, 6 tháng đầu năm 2024 or Năm 2024.")
                % {"text": text}
            )
        kind, year, index = found
        check_year(year)
        return cls(kind, year, index)

    @staticmethod
    def _read(text: str) -> tuple[str, int, int] | None:
        for kind, pattern in _PATTERNS:
            match = pattern.match(text)
            if match:
                index = int(match.group(2)) if kind != "year" else 0
                return (kind, int(match.group(1)), index) if kind != "month" or 1 <= index <= 12 else None
        for kind, pattern in _WRITTEN:
            match = pattern.match(text)
            if not match:
                continue
            if kind == "year":
                return ("year", int(match.group(1)), 0)
            first, year = match.group(1), int(match.group(2))
            if kind == "quarter":
                return ("quarter", year, FROM_ROMAN.get(first.upper()) or int(first))
            if kind == "half":
                return ("half", year, 1 if first.lower() in {"đầu", "dau"} else 2)
            return ("month", year, int(first)) if 1 <= int(first) <= 12 else None
        return None

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
    def month_count(self) -> int:
        return MONTHS_IN[self.kind]

    @property
    def first_month(self) -> int:
        return (max(self.index, 1) - 1) * self.month_count + 1

    @property
    def start(self) -> datetime.date:
        """The first day of the period."""
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """The day after the last day of the period (the period is [start, end))."""
        month_index = self.year * 12 + self.first_month - 1 + self.month_count
        return datetime.date(month_index // 12, month_index % 12 + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        """The last day of the period (inclusive): what a document prints as the period's end."""
        return self.end - ONE_DAY

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

    @property
    def display(self) -> str:
        """As people write it on its own (a page, a list, a picker): "Tháng 12/2026", "Quý IV/2026",
        "6 tháng đầu năm 2026", "Năm 2026"."""
        if self.kind == "month":
            return _("Month %(month)s/%(year)s") % {"month": self.index, "year": self.year}
        if self.kind == "quarter":
            return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[self.index], "year": self.year}
        if self.kind == "half":
            if self.index == 1:
                return _("First six months of %(year)s") % {"year": self.year}
            return _("Last six months of %(year)s") % {"year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1)
        count = 12 // self.month_count
        if self.index == 1:
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.index - 1)


def period_label(value) -> str:
    """A period (or its code) as people write it; a text that is no period is returned as it is."""
    if isinstance(value, Period):
        return value.display
    try:
        return Period.parse(str(value)).display
    except ValueError:
        return str(value or "")


def period_choices(
    today: datetime.date, kinds: tuple[str, ...] = ("month", "quarter", "half", "year"), years: int = 3
) -> list[tuple[str, str]]:
    """(code, as people write it) for the periods of ``kinds`` from this one back ``years`` years, newest
    first within each kind: what a period picker offers."""
    choices = []
    for kind in kinds:
        period = period_containing(kind, today)
        while period.year > today.year - years:
            choices.append((period.code, period.display))
            period = period.previous()
    return choices


def period_containing(kind: str, day: datetime.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == "year":
        return Period("year", day.year)
    return Period(kind, day.year, (day.month - 1) // MONTHS_IN[kind] + 1)


def last_ended(kind: str, day: datetime.date) -> Period:
    """The latest period of ``kind`` that ended before ``day`` (a report after the quarter's end)."""
    return period_containing(kind, day).previous()


def report_as_of(period: Period, today: datetime.date) -> datetime.date:
    """The day a report's state is read on: the period's last day, or today for a period still running."""
    return min(period.last_day, today)
