"""``{% secretary_month user as month %}`` and ``{% waiting_for_appraisal user as queue %}``: what is due, for
the home page (evaluations/due.py)."""

from django import template

from ..due import secretary_month as _secretary_month
from ..due import supervisor_queue

register = template.Library()


@register.simple_tag
def secretary_month(user):
    return _secretary_month(user)


@register.simple_tag
def waiting_for_appraisal(user):
    return supervisor_queue(user)
