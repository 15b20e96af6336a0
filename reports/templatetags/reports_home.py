"""The reports app's panel on the home page: this year's meetings at a glance and the latest reports."""

from django import template
from django.db.models import Count
from django.utils import timezone

from cells.selectors import scope_roots
from criteria.selectors import top_levels
from evaluations.meetings.models import Meeting

from ..selectors import runs_visible_to

register = template.Library()


@register.inclusion_tag("reports/_home_panel.html", takes_context=True)
def reports_home_panel(context):
    """For leadership and staff: their topmost committee's meetings this year, and their latest reports."""
    user = context["request"].user
    roots = [org for org in scope_roots(user) if not org.is_cell][:1]
    if not roots:
        return {"show": False}
    organization, year = roots[0], timezone.localdate().year
    by_level = (
        Meeting.objects.filter(organization__path__startswith=organization.path, year=year)
        .order_by()
        .values("framework_id", "final_level")
        .annotate(n=Count("pk"))
    )
    figures = {"held": 0, "scored": 0, "good": 0}
    tops = top_levels({row["framework_id"] for row in by_level if row["framework_id"]})
    for row in by_level:
        figures["held"] += row["n"]
        if row["final_level"]:
            figures["scored"] += row["n"]
            # "Good" is the rubric's own top level (rank 1), whatever its code.
            figures["good"] += row["n"] if row["final_level"] == tops.get(row["framework_id"]) else 0
    return {
        "show": True,
        "organization": organization,
        "year": year,
        "figures": figures,
        "good_share": round(100 * figures["good"] / figures["scored"]) if figures["scored"] else None,
        "runs": list(runs_visible_to(user)[:3]),
    }
