"""The days the product accepts: one range for every date typed on a page, read from a workbook or
asked for in a query (a year, a period), so no "01/01/0001" meeting and no year-9999 page.

The first year is the Party's founding (1930): an organisation's founding day, a member's joining day
and the oldest records all fall after it. The last is far enough ahead for any plan.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIRST_YEAR = 1930
LAST_YEAR = 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)


def year_message() -> str:
    return _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}


def check_year(year: int) -> int:
    """``year`` if the product knows it, else ValueError with the message for the user."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year_message())
    return year


def parse_year(text: str | None, default: int) -> int:
    """A year typed in a query (``?year=``): ``default`` when absent, ValueError with a message when wrong."""
    text = (text or "").strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 4:
        raise ValueError(year_message())
    return check_year(int(text))


def check_day(day: datetime.date | None) -> None:
    """The validator of every date input (forms and imports): ValidationError outside the range."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("The date must be between %(first)s and %(last)s.")
            % {
                "first": date_format(FIRST_DAY, "SHORT_DATE_FORMAT"),
                "last": date_format(LAST_DAY, "SHORT_DATE_FORMAT"),
            },
            code="date_out_of_range",
        )
