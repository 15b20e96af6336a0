"""The campaign summaries: what a campaign's figures need of the tree's history, kept in rows.

:class:`~evaluations.campaigns.models.CampaignStanding` holds, for each organisation a campaign's figures
count, the level it had on its last day in the campaign's year and whether it stood in the owner's subtree
then (the history rule); :class:`~evaluations.campaigns.models.CampaignSummary` says for which owner, year
and tree they were worked out. Registrations, year ratings and the plan's rules are read as they are, so
only the tree can make the standings stale: the selectors compare the tree's stamp (how many organisations,
their latest change: every change of the tree's services touches an organisation) and count from the raw
rows, then rebuild, when it moved on. The campaign services rebuild or extend them in the transaction of
their change (a new plan, a new owner or year, a new participant)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Max

from cells.history import standings, stood_in_period
from cells.models import Organization

from ..models import Campaign, CampaignStanding, CampaignSummary, Registration


def year_bounds(campaign: Campaign) -> tuple[datetime.date, datetime.date]:
    return datetime.date(campaign.year, 1, 1), datetime.date(campaign.year + 1, 1, 1)


def tree_stamp() -> tuple[int, datetime.datetime | None]:
    """How many organisations there are and when the latest of them changed: one indexed-free aggregate that
    moves whenever the tree's services change a place, a name, a level, a cell type or the organisations."""
    found = Organization.objects.order_by().aggregate(size=Count("pk"), changed=Max("updated_at"))
    return found["size"], found["changed"]


def summary_is_current(campaign: Campaign, summary: tuple | None, stamp: tuple | None = None) -> bool:
    """Whether ``summary`` (owner id, year, tree size, tree change) was worked out for the campaign as it is."""
    if summary is None:
        return False
    return tuple(summary) == (campaign.owner_id, campaign.year, *(stamp or tree_stamp()))


def stored_summary(campaign: Campaign) -> tuple | None:
    return (
        CampaignSummary.objects.filter(campaign_id=campaign.pk)
        .values_list("owner_id", "year", "tree_size", "tree_changed_at")
        .first()
    )


def worked_out_standings(campaign: Campaign) -> dict[int, tuple[str, bool]]:
    """organisation id -> (level on its last day in the year or "", in the owner's subtree then), from the
    tree's history: the owner's subtree of the year, and every organisation registered for the campaign."""
    start, end = year_bounds(campaign)
    out = {standing.organization_id: (standing.level, True) for standing in standings(campaign.owner, start, end)}
    registered = set(Registration.objects.filter(campaign=campaign).values_list("organization_id", flat=True))
    elsewhere = registered - set(out)
    stood = stood_in_period(elsewhere, start, end) if elsewhere else {}
    for org_id in elsewhere:
        then = stood.get(org_id)
        out[org_id] = (then.level if then else "", False)
    return out


@transaction.atomic
def campaign_summary_rebuild(campaign: Campaign, *, unless_current: bool = False) -> bool:
    """Work the campaign's standings out again from the tree's history. ``unless_current``: leave them when
    they are current (a read that found them stale, while another request rebuilt them). The campaign's row
    is locked meanwhile, so two requests never rebuild the same campaign at once. Returns whether it rebuilt."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    stamp = tree_stamp()
    if unless_current and summary_is_current(campaign, stored_summary(campaign), stamp):
        return False
    rows = [
        CampaignStanding(campaign=campaign, organization_id=org_id, level=level, in_subtree=in_subtree)
        for org_id, (level, in_subtree) in worked_out_standings(campaign).items()
    ]
    CampaignStanding.objects.filter(campaign=campaign).delete()
    CampaignStanding.objects.bulk_create(rows, batch_size=2000)
    CampaignSummary.objects.update_or_create(
        campaign=campaign,
        defaults={
            "owner_id": campaign.owner_id,
            "year": campaign.year,
            "tree_size": stamp[0],
            "tree_changed_at": stamp[1],
        },
    )
    return True


def campaign_summaries_rebuild(campaigns=None) -> int:
    """Rebuild every campaign's summary (or those given): the rebuild command. Returns how many."""
    campaigns = Campaign.objects.order_by("pk") if campaigns is None else campaigns
    done = 0
    for campaign in campaigns:
        campaign_summary_rebuild(campaign)
        done += 1
    return done


def participants_added(campaign: Campaign, organization_ids) -> None:
    """New registrations: their organisations' standings join the summary, in the registering transaction
    (a summary that is not current is left alone: the next read rebuilds it whole)."""
    if not summary_is_current(campaign, stored_summary(campaign)):
        return
    known = set(
        CampaignStanding.objects.filter(campaign=campaign, organization_id__in=organization_ids).values_list(
            "organization_id", flat=True
        )
    )
    new = set(organization_ids) - known
    if not new:
        return
    start, end = year_bounds(campaign)
    stood = stood_in_period(new, start, end)
    CampaignStanding.objects.bulk_create(
        [
            CampaignStanding(
                campaign=campaign, organization_id=org_id, level=stood[org_id].level if org_id in stood else ""
            )
            for org_id in new
        ],
        ignore_conflicts=True,
    )
