"""The message refusing points outside a scored item's range writes the maximum as people write it."""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from evaluations.meetings.services.recording import points_refusal


def _criterion(max_points: str) -> SimpleNamespace:
    return SimpleNamespace(is_scored=True, max_points=Decimal(max_points))


def test_a_whole_maximum_reads_as_a_whole_number_not_in_exponent_form():
    with translation.override("vi"):
        message = points_refusal(_criterion("10.00"), Decimal("11"))
    assert message == "Từ 0 đến 10 điểm."  # Decimal("10.00").normalize() printed "1E+1"


def test_a_fractional_maximum_uses_the_decimal_comma():
    with translation.override("vi"):
        assert points_refusal(_criterion("7.50"), Decimal("8")) == "Từ 0 đến 7,5 điểm."


def test_points_inside_the_range_are_not_refused():
    assert points_refusal(_criterion("10"), Decimal("10")) is None
    assert points_refusal(_criterion("10"), None) is None
