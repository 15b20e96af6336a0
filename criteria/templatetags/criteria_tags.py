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


@register.filter
def measure_rule(criterion) -> str:
    """A computed criterion in words (WORKBOOK v3): its measure's label and its bands, e.g.
    "Tỷ lệ đảng viên có mặt trên số phải dự: ≥ 90 → 4; ≥ 80 → 3"; empty for a typed one."""
    from criteria.models import Measure

    if not getattr(criterion, "measure", ""):
        return ""
    bands = "; ".join(f"{SIGNS.get(b.op, b.op)} {num(b.value)} → {num(b.points)}" for b in criterion.bands)
    return f"{Measure(criterion.measure).label}: {bands}"


@register.filter
def kinds_rule(criterion) -> str:
    """The meeting kinds a criterion is limited to, by label, and what it counts elsewhere; empty for all."""
    from django.utils.translation import gettext

    from criteria.models import MeetingKindScope, NotApplicable

    if not getattr(criterion, "kinds", None):
        return ""
    names = ", ".join(str(MeetingKindScope(k).label) for k in MeetingKindScope.values if k in criterion.kinds)
    elsewhere = NotApplicable(criterion.not_applicable).label if criterion.not_applicable else ""
    return gettext("only for %(kinds)s meetings (otherwise: %(elsewhere)s)") % {"kinds": names, "elsewhere": elsewhere}
