"""Notices under the bell about campaigns: a registration approved or returned (written by the service
that decides it), a deadline three days ahead and a milestone three days ahead (the daily task).

Texts are stored in Vietnamese, the product's language; ``key`` makes each event notify once."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cells.selectors import secretary_users
from cells.services import notify


def registration_decided(registration, decision: str) -> None:
    """Tell the cell that its registration was approved or returned (with the board's reason)."""
    titles = {
        "approve": lambda: _("Registration approved: %(campaign)s"),
        "return": lambda: _("Registration returned for changes: %(campaign)s"),
    }
    if decision not in titles:
        return
    users = {registration.submitted_by, *secretary_users([registration.organization_id])}
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=users,
            kind=f"registration-{decision}",
            title=titles[decision]() % {"campaign": registration.campaign.name},
            body=registration.decision_reason,
            url=reverse("evaluations:registration_detail", args=[registration.pk]),
            key=f"registration:{registration.pk}:{decision}:{registration.version}",
        )


DEADLINE_NOTICE_DAYS = 3


def campaign_deadlines(today: datetime.date | None = None) -> int:
    """Tell secretaries, three days ahead, of a campaign deadline their cell has not met: registering
    (cells under the owner with no registration) and self-assessing (participants not yet submitted).
    Run daily by celery beat; a second run the same day notifies nobody twice. Returns how many were told."""
    from django.utils import timezone

    from cells.models import CELL_LEVELS, Organization

    from .models import PARTICIPANT_STATUSES, Campaign, Registration

    today = today or timezone.localdate()
    due = today + datetime.timedelta(days=DEADLINE_NOTICE_DAYS)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for campaign in Campaign.objects.filter(registration_deadline=due).select_related("owner"):
            registered = Registration.objects.filter(campaign=campaign).values("organization_id")
            cells = (
                Organization.objects.filter(path__startswith=campaign.owner.path, level__in=CELL_LEVELS, is_active=True)
                .exclude(pk__in=registered)
                .values_list("pk", flat=True)
            )
            told += len(
                notify(
                    users=secretary_users(cells),
                    kind="deadline",
                    title=_("%(days)s days left to register: %(campaign)s")
                    % {"days": DEADLINE_NOTICE_DAYS, "campaign": campaign.name},
                    body=_("The registration deadline is %(date)s.") % {"date": f"{due:%d/%m/%Y}"},
                    url=reverse("evaluations:campaign_register", args=[campaign.pk]),
                    key=f"deadline:campaign:{campaign.pk}:register:{due.isoformat()}",
                )
            )
        for campaign in Campaign.objects.filter(self_assessment_deadline=due):
            for registration in Registration.objects.filter(
                campaign=campaign, status__in=PARTICIPANT_STATUSES, self_assessed_at__isnull=True
            ):
                told += len(
                    notify(
                        users=secretary_users([registration.organization_id]),
                        kind="deadline",
                        title=_("%(days)s days left to self-assess: %(campaign)s")
                        % {"days": DEADLINE_NOTICE_DAYS, "campaign": campaign.name},
                        body=_("The self-assessment deadline is %(date)s.") % {"date": f"{due:%d/%m/%Y}"},
                        url=reverse("evaluations:registration_assess", args=[registration.pk]),
                        key=f"deadline:registration:{registration.pk}:self-assess:{due.isoformat()}",
                    )
                )
        told += _milestone_reminders(due)
    return told


def _milestone_reminders(due: datetime.date) -> int:
    """Tell the staff of a campaign's committee, three days ahead, of a milestone not yet done (T9)."""
    from cells.models import Role
    from cells.selectors import current_role_users

    from .models import CampaignMilestone

    told = 0
    milestones = CampaignMilestone.objects.filter(due_on=due, done_on__isnull=True).select_related("campaign__owner")
    for milestone in milestones:
        told += len(
            notify(
                users=current_role_users([milestone.campaign.owner], roles=[Role.STAFF]),
                kind="deadline",
                title=_("%(days)s days to the milestone “%(title)s”: %(campaign)s")
                % {"days": DEADLINE_NOTICE_DAYS, "title": milestone.title, "campaign": milestone.campaign.name},
                body=_("Due on %(date)s. Mark it done on the campaign page once it is.") % {"date": f"{due:%d/%m/%Y}"},
                url=reverse("evaluations:campaign_detail", args=[milestone.campaign_id]) + "#milestones",
                key=f"deadline:milestone:{milestone.pk}:{due.isoformat()}",
            )
        )
    return told
