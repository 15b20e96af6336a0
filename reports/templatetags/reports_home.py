"""The reports app's panel on the home page: this year's meetings at a glance and the latest reports."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from cells.selectors import scope_roots
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
    figures = Meeting.objects.filter(organization__path__startswith=organization.path, year=year).aggregate(
        held=Count("pk"), scored=Count("pk", filter=~Q(final_level="")), good=Count("pk", filter=Q(final_level="tot"))
    )
    return {
        "show": True,
        "organization": organization,
        "year": year,
        "figures": figures,
        "good_share": round(100 * figures["good"] / figures["scored"]) if figures["scored"] else None,
        "runs": list(runs_visible_to(user)[:3]),
    }
