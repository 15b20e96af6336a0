"""Notices under the bell about a cell's meetings, written by the service that appraises a meeting.

Texts are stored in Vietnamese, the product's language; ``key`` makes each event notify once."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cells.selectors import secretary_users
from cells.services import notify


def _level_label(meeting) -> str:
    """The meeting's final level as people read it ("Khá"), never its code."""
    from criteria.selectors import effective_levels

    if not meeting.final_level:
        return ""
    labels = {level.code: level.label for level in effective_levels(meeting.framework)}
    return labels.get(meeting.final_level) or meeting.final_level


def meeting_appraised(meeting) -> None:
    """Tell the cell's secretaries and whoever recorded and submitted it that the meeting is appraised."""
    users = {meeting.created_by, meeting.submitted_by, *secretary_users([meeting.organization_id])}
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=users,
            kind="meeting-appraised",
            title=_("The meeting of %(date)s has been appraised") % {"date": f"{meeting.date:%d/%m/%Y}"},
            body=_("%(cell)s · final points %(total)s %(level)s. %(note)s")
            % {
                "cell": meeting.organization.name,
                "total": meeting.final_total if meeting.final_total is not None else "—",
                "level": _level_label(meeting),
                "note": meeting.appraisal_note,
            },
            url=reverse("evaluations:meetings:detail", args=[meeting.pk]),
            key=f"meeting:{meeting.pk}:appraised:{meeting.version}",
        )
