"""Who a workbook command acts as: ``--user USERNAME``, or an unsaved superuser (the whole tree)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def command_user(username: str | None):
    user_model = get_user_model()
    if not username:
        # Superuser-equivalent; unsaved, so audit entries show no actor ("—": the command line).
        return user_model(username="import_workbook", is_superuser=True, is_staff=True, is_active=True)
    user = user_model.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user %(name)s.") % {"name": username}, returncode=1)
    return user
