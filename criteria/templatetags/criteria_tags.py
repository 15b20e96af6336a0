"""Small display helpers for criteria: the names of cell types and levels, comparator signs."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from cells.models import CellType, Level

register = template.Library()

SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


@register.simple_tag(takes_context=True)
def cell_type_names(context, codes) -> str:
    """The names of some cell types; one query per page, however many criteria name types."""
    if not codes:
        return ""
    # The context's bottom layer outlives the includes of the recursive tree: one query per page.
    shared = context.dicts[0]
    names = shared.get("criteria_cell_type_names")
    if names is None:
        names = dict(CellType.objects.values_list("code", "name"))
        shared["criteria_cell_type_names"] = names
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
