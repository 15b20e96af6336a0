"""The cell value forms of WORKBOOK.md: dates, booleans, numbers, choices, lists, text."""

import datetime
from decimal import Decimal

import pytest

from cells.workbook.registry import Column
from cells.workbook.values import BadValue, ColumnParser


def parse(kind, value, **column):
    return ColumnParser(Column("x", "X", type=kind, **column))(value)


@pytest.mark.parametrize(
    "value",
    [datetime.datetime(2024, 3, 5), datetime.date(2024, 3, 5), "2024-03-05", "05/03/2024", "5/3/2024", " 2024-3-5 "],
)
def test_dates_are_excel_dates_iso_or_day_first(value):
    assert parse(Column.DATE, value) == datetime.date(2024, 3, 5)


@pytest.mark.parametrize("value", ["03/05/24", "2024/03/05", "hôm qua", "31/02/2024"])
def test_other_dates_are_refused(value):
    with pytest.raises(BadValue):
        parse(Column.DATE, value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("No", False),
        ("có", True),
        ("KHÔNG", False),
        ("true", True),
        ("false", False),
        ("1", True),
        (0, False),
        (1, True),
        ("x", True),
        ("X", True),
        (True, True),
    ],
)
def test_booleans(value, expected):
    assert parse(Column.BOOL, value) is expected


def test_other_booleans_are_refused():
    with pytest.raises(BadValue, match="không phải “có lẽ”"):
        parse(Column.BOOL, "có lẽ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal(12)),
        (12.5, Decimal("12.5")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("-3", Decimal(-3)),
    ],
)
def test_numbers_take_a_point_or_a_comma(value, expected):
    assert parse(Column.DECIMAL, value) == expected


@pytest.mark.parametrize("value", ["1.000,5", "12 điểm", "", "1,2,3"])
def test_other_numbers_are_refused(value):
    with pytest.raises(BadValue):
        parse(Column.DECIMAL, value)


def test_whole_numbers():
    assert parse(Column.INT, 2024.0) == 2024
    assert parse(Column.INT, "2024") == 2024
    with pytest.raises(BadValue, match="số nguyên"):
        parse(Column.INT, "2,5")


def test_text_keeps_codes_typed_as_numbers_as_they_look_and_normalizes_unicode():
    assert parse(Column.TEXT, 123.0) == "123"
    assert parse(Column.TEXT, "  Chi bo\u0302  ") == "Chi bô"


def test_choices_match_the_value_or_the_vietnamese_label_ignoring_case_and_diacritics():
    choices = (("official", "Chính thức"), ("probationary", "Dự bị"))
    assert parse(Column.CHOICE, "OFFICIAL", choices=choices) == "official"
    assert parse(Column.CHOICE, "du bi", choices=choices) == "probationary"
    with pytest.raises(BadValue, match="official, probationary"):
        parse(Column.CHOICE, "khác", choices=choices)


def test_lists_are_comma_separated_and_checked():
    choices = (("residential", "Khu dân cư"), ("enterprise", "Doanh nghiệp"))
    assert parse(Column.LIST, "residential, Doanh nghiệp", choices=choices) == ("residential", "enterprise")
    assert parse(Column.LIST, "a, b") == ("a", "b")
    with pytest.raises(BadValue):
        parse(Column.LIST, "residential, school", choices=choices)
