"""``{% load options %}``; ``{% organization_options organizations selected %}``: the ``<option>``s of an
organisation picker (value: the id, text: the name; ``selected``, an organisation or an id, chosen).

A province's staff pick among hundreds of committees; a template loop costs a tenth of a millisecond an
option (each id and name resolved, localised and escaped), more than the rest of a list page."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

SELECTED = mark_safe(" selected")  # nosec B308


@register.simple_tag
def organization_options(organizations, selected=None) -> str:
    chosen = getattr(selected, "pk", selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((org.pk, SELECTED if org.pk == chosen else "", org.name) for org in organizations),
    )
