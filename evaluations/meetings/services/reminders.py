"""The monthly reminders: secretaries whose cell has not recorded last month's meeting, and
supervisors with appraisals waiting."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

# --- Reminders -----------------------------------------------------------------------------------


def send_meeting_reminders(*, today: datetime.date | None = None) -> dict:
    """Email secretaries whose cell has no regular meeting for last month, and supervisors with
    appraisals waiting. Run by celery beat on the reminder day; returns what it sent."""
    from django.conf import settings
    from django.core.mail import send_mass_mail
    from django.utils import translation

    from cells.selectors import secretaries_of

    from .. import selectors

    today = today or timezone.localdate()
    year, month = selectors.previous_month(today)
    missing = list(selectors.cells_without_meeting(None, year, month).only("pk", "name"))
    secretaries = secretaries_of([cell.pk for cell in missing])
    waiting = selectors.appraisals_waiting_by_supervisor()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        per_user: dict = {}
        for cell in missing:
            for user in secretaries.get(cell.pk, []):
                per_user.setdefault(user, []).append(cell.name)
        for user, names in per_user.items():
            if user.email:
                body = _("No meeting has been recorded for %(month)s for: %(cells)s. Please record it.") % {
                    "month": f"{month:02d}/{year}",
                    "cells": ", ".join(names),
                }
                messages.append((_("Reminder: record the cell meeting"), body, None, [user.email]))
        for user, count in waiting.items():
            if user.email:
                body = _("%(count)s meetings are waiting for your appraisal.") % {"count": count}
                messages.append((_("Reminder: meetings waiting for appraisal"), body, None, [user.email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"cells_missing": len(missing), "secretaries": len(per_user), "supervisors": len(waiting)}
