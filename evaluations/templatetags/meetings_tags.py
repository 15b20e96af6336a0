"""The meetings panel of the home page: what to record, what is missing, what waits for appraisal."""

from django import template

from ..meetings.selectors import home_panel

register = template.Library()


@register.simple_tag
def meetings_home_panel(user):
    return home_panel(user)
