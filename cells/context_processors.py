"""What the navigation needs to show each role only what it can use."""

from .models import Notification, Role
from .scoping import Action, user_scope
from .selectors import user_roles


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "nav_roles": roles,
        "nav_can_manage": not user_scope(user, Action.MANAGE).is_empty,
        "nav_can_appraise": not user_scope(user, Action.APPRAISE).is_empty,
        "nav_can_record": not user_scope(user, Action.RECORD).is_empty,
        "nav_is_secretary": Role.SECRETARY in roles,
        "nav_is_leadership": Role.LEADERSHIP in roles or user.is_superuser,
        # Evaluated only where the bell is drawn: one COUNT on an indexed column.
        "nav_unread_notifications": lambda: Notification.objects.for_recipient(user).unread().count(),
    }
