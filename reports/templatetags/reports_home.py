"""The reports app's panel on the home page: the briefing of the user's committee (reports/briefing.py)."""

from django import template
from django.utils import timezone

from cells.selectors import scope_roots

from ..briefing import briefing

register = template.Library()


@register.inclusion_tag("reports/_home_panel.html", takes_context=True)
def reports_home_panel(context):
    """For leadership and staff: their topmost committee's briefing, this year unless ?year= says otherwise."""
    request = context["request"]
    roots = [org for org in scope_roots(request.user) if not org.is_cell][:1]
    if not roots:
        return {"show": False}
    today = timezone.localdate()
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= today.year else today.year
    board = briefing(request.user, roots[0], year, today)
    return {
        "show": True,
        "board": board,
        "organization": board.organization,
        "year": year,
        "years": range(today.year - 2, today.year + 1),
        "chart_data": board.chart_data(),
    }
