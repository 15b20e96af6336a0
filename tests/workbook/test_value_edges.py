"""The cell values at their edges, with the exact message each refusal gives (found by make mutation:
a refusal with a wrong or empty message passed the tests that only expected BadValue)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from cells.workbook.registry import Column
from cells.workbook.values import BadValue, ColumnParser, as_text, parse_bool, parse_date, parse_decimal, parse_int


def parse(kind, value, **column):
    return ColumnParser(Column("x", "X", type=kind, **column))(value)


def refusal(function, *args) -> str:
    with translation.override("en"), pytest.raises(BadValue) as excinfo:
        function(*args)
    return str(excinfo.value)


def test_text_reads_as_it_looks():
    assert (as_text(True), as_text(False)) == ("1", "0")
    assert as_text(12.0) == "12" and as_text(12.5) == "12.5"
    assert as_text(datetime.datetime(2024, 3, 5)) == "2024-03-05"
    assert as_text(datetime.datetime(2024, 3, 5, 8, 30)) == "2024-03-05T08:30:00"
    assert as_text(datetime.date(2024, 3, 5)) == "2024-03-05"
    assert as_text("  Chi bộ  ") == "Chi bộ"


def test_numbers_ignore_spaces_and_say_what_they_refuse():
    assert parse_decimal("1 234,5") == Decimal("1234.5")
    assert parse_decimal("1\u00a0234") == Decimal("1234")
    assert parse_decimal(0.1) == Decimal("0.1")
    assert refusal(parse_decimal, True) == "Expected a number."
    assert refusal(parse_decimal, "mười") == "Expected a number (e.g. 12 or 12,5), not “mười”."
    assert refusal(parse_decimal, "12,5,1") == "Expected a number (e.g. 12 or 12,5), not “12,5,1”."
    assert refusal(parse_int, "12,5") == "Expected a whole number, not “12,5”."
    assert refusal(parse_int, 2.5) == "Expected a whole number, not “2.5”."
    assert parse_int(3.0) == 3


def test_dates_say_what_they_refuse():
    assert refusal(parse_date, "31/02/2024") == "“31/02/2024” is not a real date."
    assert refusal(parse_date, "2024-02-30") == "“2024-02-30” is not a real date."
    assert refusal(parse_date, "hôm qua") == "Expected a date (dd/mm/yyyy or yyyy-mm-dd), not “hôm qua”."


def test_booleans_read_0_and_1_only_as_numbers():
    assert parse_bool(1) is True and parse_bool(0) is False and parse_bool(1.0) is True and parse_bool(0.0) is False
    assert parse_bool(True) is True and parse_bool(False) is False
    assert refusal(parse_bool, 2) == "Expected yes/no (có/không, x or empty), not “2”."
    assert refusal(parse_bool, "có lẽ") == "Expected yes/no (có/không, x or empty), not “có lẽ”."


def test_a_choice_says_which_values_are_allowed():
    choices = (("official", "Chính thức"), ("probationary", "Dự bị"))
    assert parse(Column.CHOICE, "Dự bị", choices=choices) == "probationary"
    assert parse(Column.CHOICE, " OFFICIAL ", choices=choices) == "official"
    column = Column("x", "X", type=Column.CHOICE, choices=choices)
    assert refusal(ColumnParser(column), "khác") == "“khác” is not allowed; use one of: official, probationary."
    assert parse(Column.LIST, "official; Dự bị", choices=choices) == ("official", "probationary")
    assert parse(Column.LIST, "a, b;c") == ("a", "b", "c")
