import datetime

import pytest

from reports.periods import Period, last_ended, period_containing, report_as_of


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-03", datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2024-Q1", datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        ("2024-q4", datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
        ("2024-H1", datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
        ("2024-H2", datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)),
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_a_period_covers_its_first_to_its_last_day(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert Period.parse(period.code) == period


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "2024-H3", "24", "", "2024/03", "Q1-2024"])
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
