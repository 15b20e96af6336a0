"""Small display helpers for criteria: the names of cell types and levels, comparator signs."""

from django import template

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
