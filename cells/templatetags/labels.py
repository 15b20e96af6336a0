"""How codes and numbers read on a page: periods as people write them, amounts and counts in Vietnamese form.

``{% load labels %}``; ``{{ period|period_label }}`` ("Quý IV/2026"), ``{{ amount|money }}`` ("20.000.000 đ"),
``{{ count|count }}`` ("1.250", never "1.250,0"), ``{% period_select "period" period kinds %}`` (a picker)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

from cells.periods import Period, period_choices, period_label

register = template.Library()


@register.filter(name="period_label")
def period_label_filter(value) -> str:
    return period_label(value)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def count(value) -> str:
    """A whole number with the thousands grouped: 1250 → "1.250"; a fraction keeps what it has: 2.5 → "2,5"."""
    return number_text(value)


def number_text(value) -> str:
    """A number as the locale writes it, grouped, without trailing zeros ("80.00" → "80", "4.50" → "4,5"); a
    text that is no number is returned as it is."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if number == number.to_integral():
        return number_format(int(number), force_grouping=True)
    text = format(number.normalize(), "f")
    return number_format(Decimal(text), decimal_pos=len(text.split(".")[1]), force_grouping=True)


@register.filter
def money(value) -> str:
    """An amount of đồng: 20000000 → "20.000.000 đ"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{count(number)} đ"


@register.simple_tag
def period_select(name: str, selected=None, kinds: str = "month,quarter,half,year", css: str = "form-select"):
    """A picker of periods as people write them (the value sent is the period's code); the selected period
    is offered even when it is older than the list."""
    chosen = selected.code if isinstance(selected, Period) else str(selected or "")
    choices = period_choices(timezone.localdate(), tuple(kinds.split(",")))
    if chosen and chosen not in {code for code, _label in choices}:
        choices.insert(0, (chosen, period_label(chosen)))
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, " selected" if code == chosen else "", label) for code, label in choices),
    )
    return format_html('<select class="{}" name="{}" id="id_{}">{}</select>', css, name, name, options)
