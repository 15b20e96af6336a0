"""The campaign itself: a committee's plan for a year, carried over from last year's recognized cells,
with its targets, milestones and steering committee."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.models import Organization
from cells.scoping import Action, require_scope
from cells.services import audit_record, audit_snapshot
from criteria.models import Framework, FrameworkStatus
from criteria.scoring import Rubric, score
from criteria.selectors import load_rubric

from ..models import (
    Campaign,
    CampaignMilestone,
    CampaignTarget,
    Registration,
    RegistrationStatus,
    SteeringMember,
)
from . import summaries

CAMPAIGN_FIELDS = [
    "code",
    "name",
    "owner",
    "framework",
    "year",
    "legal_basis",
    "plan_number",
    "registration_deadline",
    "self_assessment_deadline",
    "recognition_deadline",
    "min_year_rating",
    "eligibility_good_years",
    "eligibility_all_members_completed",
    "selection_cap",
]

# --- Campaigns -----------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, acting_user, carry_over: bool = True, **fields) -> Campaign:
    """Create a campaign; cells recognized in last year's campaign of the same owner and kind come in as
    maintaining (Y2). Its framework must be published and visible to the user (``framework.use``)."""
    campaign = Campaign(**fields)
    if campaign.framework_id:
        rights.require(acting_user, "framework.use", campaign.framework)
    campaign.full_clean()
    campaign.save()
    audit_record(
        acting_user=acting_user,
        action="campaign.create",
        instance=campaign,
        organization=campaign.owner,
        after=audit_snapshot(campaign, CAMPAIGN_FIELDS),
    )
    if carry_over:
        campaign_carry_over(campaign=campaign, acting_user=acting_user)
    summaries.campaign_summary_rebuild(campaign)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, acting_user, **changes) -> Campaign:
    before = audit_snapshot(campaign, CAMPAIGN_FIELDS)
    new_framework = changes.get("framework")
    if new_framework is not None and new_framework.pk != campaign.framework_id:
        rights.require(acting_user, "framework.use", new_framework)
    for key, value in changes.items():
        if key not in CAMPAIGN_FIELDS:
            raise ValueError(f"campaign_update cannot change {key}")
        setattr(campaign, key, value)
    fixed = [k for k in ("owner", "framework", "year") if before[k] != audit_snapshot(campaign, [k])[k]]
    if fixed and campaign.registrations.exists():
        raise ValidationError(
            {k: _("Cells have registered: the committee, framework and year can no longer change.") for k in fixed}
        )
    campaign.full_clean()
    campaign.save()
    if fixed:  # another committee's subtree or another year: the standings the figures count change
        summaries.campaign_summary_rebuild(campaign)
    after = audit_snapshot(campaign, CAMPAIGN_FIELDS)
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="campaign.update",
            instance=campaign,
            organization=campaign.owner,
            before=before,
            after=after,
        )
    return campaign


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """Last year's campaign of the same owner on a framework of the same kind."""
    return (
        Campaign.objects.filter(
            owner_id=campaign.owner_id, year=campaign.year - 1, framework__kind=campaign.framework.kind
        )
        .exclude(pk=campaign.pk)
        .order_by("-pk")
        .first()
    )


def recognized_cell_ids(campaign: Campaign) -> list[int]:
    """Cells a recognition decision of ``campaign`` names."""
    return list(
        Registration.objects.filter(campaign=campaign, decisions__isnull=False)
        .values_list("organization_id", flat=True)
        .distinct()
    )


@transaction.atomic
def campaign_carry_over(*, campaign: Campaign, acting_user) -> int:
    """Register last year's recognized cells as maintaining; returns how many were added."""
    previous = previous_campaign(campaign)
    if previous is None:
        return 0
    existing = set(campaign.registrations.values_list("organization_id", flat=True))
    cells = Organization.objects.filter(pk__in=recognized_cell_ids(previous), is_active=True).exclude(pk__in=existing)
    cells = list(cells.select_related("cell_type"))
    own = own_frameworks(campaign, [cell.pk for cell in cells])
    registrations = [
        Registration(
            campaign=campaign,
            organization=cell,
            framework_id=own.get(cell.pk, campaign.framework_id),
            status=RegistrationStatus.MAINTAINING,
            registered_on=timezone.localdate(),
        )
        for cell in cells
    ]
    apply_initial_scores(registrations)
    created = Registration.objects.bulk_create(registrations)
    summaries.participants_added(campaign, [cell.pk for cell in cells])
    if created:
        audit_record(
            acting_user=acting_user,
            action="campaign.carry_over",
            instance=campaign,
            organization=campaign.owner,
            after={"maintaining": len(created), "from": previous.code},
        )
    return len(created)


def apply_initial_scores(registrations: list[Registration]) -> None:
    """Give new registrations (not saved yet, ``organization`` loaded) the scoring of no answers at all.

    For bulk inserts: one scoring per framework, cell type and level, not one per cell."""
    rubrics: dict[int, Rubric] = {}
    cache: dict[tuple, object] = {}
    for registration in registrations:
        fw = registration.framework_id
        if fw not in rubrics:
            rubrics[fw] = load_rubric(Framework.objects.get(pk=fw))
        organization = registration.organization
        type_code = organization.cell_type.code if organization.cell_type_id else None
        key = (fw, type_code, organization.level)
        if key not in cache:
            cache[key] = score(rubrics[fw], {}, cell_type=type_code, org_level=organization.level)
        result = cache[key]
        registration.total_points = result.total
        registration.level_code = result.level.code if result.level else ""
        registration.level_rank = result.level.rank if result.level else None
        registration.failed = ",".join(result.failed_groups)


def own_frameworks(campaign: Campaign, cell_ids: list[int]) -> dict[int, int]:
    """cell id -> id of the cell's own published framework derived from the campaign's (T2, B1)."""
    rows = Framework.objects.filter(
        owner_id__in=cell_ids, parent_id=campaign.framework_id, status=FrameworkStatus.PUBLISHED
    ).values_list("owner_id", "pk")
    return {owner_id: pk for owner_id, pk in rows}


@transaction.atomic
def target_set(
    *,
    campaign: Campaign,
    metric: str,
    cell_type,
    comparator: str,
    value: Decimal,
    acting_user,
    org_level: str = "",
    rating: str = "",
    due_year: int | None = None,
) -> CampaignTarget:
    """Set a target (matched on metric, cell type and organisation level); audited with its value before."""
    org_level = org_level or ""
    target = CampaignTarget.objects.filter(
        campaign=campaign, metric=metric, cell_type=cell_type, org_level=org_level
    ).first()
    before = (
        {} if target is None else {"comparator": target.comparator, "value": str(target.value), "rating": target.rating}
    )
    target = target or CampaignTarget(campaign=campaign, metric=metric, cell_type=cell_type, org_level=org_level)
    target.comparator, target.value, target.rating, target.due_year = comparator, value, rating or "", due_year
    target.full_clean(validate_constraints=False)
    target.save()
    audit_record(
        acting_user=acting_user,
        action="campaign.target",
        instance=campaign,
        organization=campaign.owner,
        before=before,
        after={
            "metric": metric,
            "cell_type": getattr(cell_type, "code", ""),
            "org_level": org_level,
            "comparator": comparator,
            "value": str(value),
            "rating": rating or "",
            "due_year": due_year,
        },
    )
    return target


@transaction.atomic
def milestone_add(*, campaign: Campaign, title: str, due_on: datetime.date, acting_user) -> CampaignMilestone:
    milestone = CampaignMilestone(campaign=campaign, title=title.strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    audit_record(
        acting_user=acting_user,
        action="campaign.milestone",
        instance=campaign,
        organization=campaign.owner,
        after={"title": milestone.title, "due_on": due_on.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_done(
    *, milestone: CampaignMilestone, done_on: datetime.date, acting_user, today: datetime.date | None = None
) -> CampaignMilestone:
    """Mark a step of the plan done on the day it was done (T9); a milestone done stays on the plan."""
    milestone = CampaignMilestone.objects.select_for_update().select_related("campaign__owner").get(pk=milestone.pk)
    require_scope(acting_user, Action.MANAGE, milestone.campaign.owner)
    if done_on > (today or timezone.localdate()):
        raise ValidationError({"done_on": _("A milestone cannot be done on a day still to come.")})
    before = {"done_on": milestone.done_on.isoformat() if milestone.done_on else None}
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["done_on"])
    audit_record(
        acting_user=acting_user,
        action="campaign.milestone_done",
        instance=milestone.campaign,
        organization=milestone.campaign.owner,
        before=before,
        after={"title": milestone.title, "due_on": milestone.due_on.isoformat(), "done_on": done_on.isoformat()},
    )
    return milestone


@transaction.atomic
def steering_member_add(
    *, campaign: Campaign, full_name: str, position: str = "", role: str = "", acting_user
) -> SteeringMember:
    member = SteeringMember(
        campaign=campaign,
        full_name=full_name.strip(),
        position=position,
        role=role,
        order=campaign.steering_members.count() + 1,
    )
    member.full_clean()
    member.save()
    audit_record(
        acting_user=acting_user,
        action="campaign.steering",
        instance=campaign,
        organization=campaign.owner,
        after={"full_name": member.full_name, "role": role},
    )
    return member
