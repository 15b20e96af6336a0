"""``{% overdue_milestones user as late %}``: the milestones past their date, for the staff's home page."""

from django import template

from ..campaigns.selectors import overdue_milestones as _overdue_milestones

register = template.Library()


@register.simple_tag
def overdue_milestones(user):
    return _overdue_milestones(user)
