"""Small display helpers for criteria: the names of cell types and levels, comparator signs."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from cells.models import CellType, Level

register = template.Library()

SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


@register.simple_tag
def cell_type_names(codes) -> str:
    if not codes:
        return ""
    names = dict(CellType.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(names.get(code, code) for code in sorted(codes))


@register.filter
def level_names(codes) -> str:
    labels = dict(Level.choices)
    return ", ".join(str(labels.get(code, code)) for code in sorted(codes or ()))


@register.filter
def comparator_sign(value: str) -> str:
    return SIGNS.get(value, value)


@register.filter
def num(value) -> str:
    """A number as the locale writes it, without trailing zeros: 0.400 → "0,4", 100.000 → "100"."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return number_format(int(value))
    text = format(value.normalize(), "f")
    return number_format(Decimal(text), decimal_pos=len(text.split(".")[1]))
