import datetime

import pytest

from cells.periods import Period, last_ended, period_containing, report_as_of


@pytest.mark.parametrize(
    ("text", "start", "last_day", "months"),
    [
        ("2024-03", datetime.date(2024, 3, 1), datetime.date(2024, 3, 31), 1),
        ("2024-3", datetime.date(2024, 3, 1), datetime.date(2024, 3, 31), 1),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 1),
        ("2023-02", datetime.date(2023, 2, 1), datetime.date(2023, 2, 28), 1),
        ("2024-12", datetime.date(2024, 12, 1), datetime.date(2024, 12, 31), 1),
        ("2024-Q1", datetime.date(2024, 1, 1), datetime.date(2024, 3, 31), 3),
        ("2024-q2", datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), 3),
        ("2024-q4", datetime.date(2024, 10, 1), datetime.date(2024, 12, 31), 3),
        ("2024-H1", datetime.date(2024, 1, 1), datetime.date(2024, 6, 30), 6),
        ("2024-h2", datetime.date(2024, 7, 1), datetime.date(2024, 12, 31), 6),
        (" 2024 ", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), 12),
    ],
)
def test_a_period_covers_its_first_to_its_last_day(text, start, last_day, months):
    period = Period.parse(text)
    assert (period.start, period.last_day, period.month_count) == (start, last_day, months)
    assert Period.parse(period.code) == period


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2024-03", datetime.date(2024, 4, 1)),
        ("2024-12", datetime.date(2025, 1, 1)),
        ("2024-Q4", datetime.date(2025, 1, 1)),
        ("2024-H1", datetime.date(2024, 7, 1)),
        ("2024", datetime.date(2025, 1, 1)),
    ],
)
def test_the_end_is_the_day_after_the_last_so_a_period_is_half_open(text, end):
    """[start, end), as every interval of the history: the next period starts on this one's end."""
    period = Period.parse(text)
    assert period.end == end == period.last_day + datetime.timedelta(days=1)


def test_consecutive_periods_meet_without_a_gap_or_an_overlap():
    for kind in ("month", "quarter", "half", "year"):
        period = Period.parse("2025") if kind == "year" else Period(kind, 2025, 1)
        before = period.previous()
        assert before.end == period.start, kind
        assert before.year == 2024, kind


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-0", "2024-Q5", "2024-Q0", "2024-H3", "24", "", "2024/03", "Q1-2024", "1899", "2024-Q1x"]
)
def test_anything_else_is_not_a_period(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_the_quarter_just_ended_is_reported_after_its_end():
    assert last_ended("quarter", datetime.date(2024, 4, 3)) == Period("quarter", 2024, 1)
    assert last_ended("quarter", datetime.date(2024, 1, 3)) == Period("quarter", 2023, 4)
    assert period_containing("year", datetime.date(2024, 12, 15)) == Period("year", 2024)
    assert period_containing("half", datetime.date(2024, 7, 1)) == Period("half", 2024, 2)


def test_a_running_period_is_read_as_of_today():
    period = Period.parse("2024-Q2")
    assert report_as_of(period, datetime.date(2024, 5, 10)) == datetime.date(2024, 5, 10)
    assert report_as_of(period, datetime.date(2025, 1, 1)) == datetime.date(2024, 6, 30)


def test_labels_are_printed_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert Period.parse("2024-Q1").label == "quý I năm 2024"
        assert Period.parse("2024-H1").label == "6 tháng đầu năm 2024"
        assert Period.parse("2024-03").label == "tháng 3 năm 2024"
        assert Period.parse("2024").label == "năm 2024"
