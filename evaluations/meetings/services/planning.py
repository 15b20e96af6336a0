"""What committees organise around the meetings: supervision teams and assignments (Y4, L7, F6),
monthly content guidance (Y3), model-meeting designations (L1) and cells' thematic plans (L5)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import Organization
from cells.people import leadership_only
from cells.scoping import Action, require_scope
from cells.selectors import cell_officer_users
from cells.services import audit_record, stored_user

from ..models import (
    ContentGuidance,
    ModelMeetingDesignation,
    SupervisionAssignment,
    SupervisionTeam,
    ThematicPlanItem,
)

# --- Supervision ---------------------------------------------------------------------------------


@transaction.atomic
def supervision_team_create(
    *, owner: Organization, name: str, members: Iterable, basis: str = "", acting_user
) -> SupervisionTeam:
    require_scope(acting_user, Action.MANAGE, owner)
    members = list(members)
    _refuse_leadership(members, "members")
    team = SupervisionTeam(owner=owner, name=name.strip(), basis=basis.strip())
    team.full_clean()
    team.save()
    team.members.set(members)
    audit_record(
        acting_user=acting_user,
        action="supervision_team.create",
        instance=team,
        organization=owner,
        after={"name": team.name, "members": sorted(m.pk for m in team.members.all())},
    )
    return team


def _refuse_leadership(users, field: str) -> None:
    """Leadership reads the subtree; it is never a cell's supervisor (a leader who is also staff may be)."""
    leaders = leadership_only(users)
    if leaders:
        raise ValidationError(
            {
                field: _("%(names)s is in the leadership and cannot be assigned to supervise.")
                % {"names": ", ".join(user.get_full_name() or user.username for user in leaders)}
            }
        )


def _refuse_own_officers(organization: Organization, supervisor, team: SupervisionTeam | None) -> None:
    """Separation of duties: a cell's own officers record its meetings, so they never supervise it."""
    officers = set(cell_officer_users(organization).values_list("user_id", flat=True))
    if supervisor is not None and supervisor.pk in officers:
        raise ValidationError(
            {
                "supervisor": _("%(user)s holds this cell's office and cannot supervise it.")
                % {"user": supervisor.get_full_name() or supervisor.username}
            }
        )
    if team is not None and officers & set(team.members.values_list("pk", flat=True)):
        raise ValidationError({"team": _("A member of this team holds the cell's office and cannot supervise it.")})


@transaction.atomic
def supervision_assign(
    *,
    organization: Organization,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    supervisor=None,
    team: SupervisionTeam | None = None,
    acting_user,
) -> SupervisionAssignment:
    """Assign a supervisor or a team to a cell for a period; staff of the cell's subtree do it."""
    require_scope(acting_user, Action.MANAGE, organization)
    if team is not None and not organization.path.startswith(team.owner.path):
        raise ValidationError({"team": _("The team belongs to another committee.")})
    _refuse_own_officers(organization, supervisor, team)
    _refuse_leadership([supervisor], "supervisor")
    assignment = SupervisionAssignment(
        organization=organization, supervisor=supervisor, team=team, valid_from=valid_from, valid_to=valid_to
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        acting_user=acting_user,
        action="supervision.assign",
        instance=assignment,
        organization=organization,
        after={
            "supervisor": supervisor.pk if supervisor else None,
            "team": team.pk if team else None,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
        },
    )
    return assignment


@transaction.atomic
def supervision_end(
    *, assignment: SupervisionAssignment, valid_to: datetime.date, acting_user
) -> SupervisionAssignment:
    require_scope(acting_user, Action.MANAGE, assignment.organization)
    before = {"valid_to": assignment.valid_to.isoformat() if assignment.valid_to else None}
    assignment.valid_to = max(valid_to, assignment.valid_from)
    assignment.full_clean()
    assignment.save(update_fields=["valid_to"])
    audit_record(
        acting_user=acting_user,
        action="supervision.end",
        instance=assignment,
        organization=assignment.organization,
        before=before,
        after={"valid_to": assignment.valid_to.isoformat()},
    )
    return assignment


# --- Guidance, model meetings, thematic plans ----------------------------------------------------


@transaction.atomic
def guidance_issue(
    *, organization: Organization, year: int, month: int, title: str, body: str, acting_user
) -> ContentGuidance:
    """A committee issues content guidance for a month's meetings of the cells below it (Y3)."""
    require_scope(acting_user, Action.MANAGE, organization)
    guidance = ContentGuidance(
        organization=organization,
        year=year,
        month=month,
        title=title.strip(),
        body=body.strip(),
        issued_by=stored_user(acting_user),
    )
    guidance.full_clean()
    guidance.save()
    audit_record(
        acting_user=acting_user,
        action="guidance.issue",
        instance=guidance,
        organization=organization,
        after={"year": year, "month": month, "title": guidance.title},
    )
    return guidance


@transaction.atomic
def guidance_send_up(*, guidance: ContentGuidance, acting_user) -> ContentGuidance:
    """The issuing committee sends its month's guidance up to the committee above, which consolidates it (Y3)."""
    guidance = ContentGuidance.objects.select_for_update().select_related("organization").get(pk=guidance.pk)
    require_scope(acting_user, Action.MANAGE, guidance.organization)
    if guidance.organization.parent_id is None:
        raise ValidationError(_("This committee has no committee above it to send to."))
    if guidance.sent_up_at is not None:
        raise ValidationError(
            _("This guidance was already sent up on %(date)s.")
            % {"date": f"{timezone.localtime(guidance.sent_up_at):%d/%m/%Y}"}
        )
    guidance.sent_up_at = timezone.now()
    guidance.sent_up_by = stored_user(acting_user)
    guidance.save(update_fields=["sent_up_at", "sent_up_by"])
    audit_record(
        acting_user=acting_user,
        action="guidance.send_up",
        instance=guidance,
        organization=guidance.organization,
        after={
            "year": guidance.year,
            "month": guidance.month,
            "title": guidance.title,
            "to": guidance.organization.parent_id,
        },
    )
    return guidance


@transaction.atomic
def designation_create(
    *,
    organization: Organization,
    designated_by: Organization,
    year: int,
    quarter: int,
    kind: str,
    invitees: str = "",
    acting_user,
) -> ModelMeetingDesignation:
    """Designate a cell to hold a model meeting in a quarter (L1)."""
    require_scope(acting_user, Action.MANAGE, designated_by)
    if not organization.path.startswith(designated_by.path):
        raise ValidationError({"organization": _("The cell is not under this committee.")})
    designation = ModelMeetingDesignation(
        organization=organization,
        designated_by=designated_by,
        year=year,
        quarter=quarter,
        kind=kind,
        invitees=invitees.strip(),
    )
    designation.full_clean()
    designation.save()
    audit_record(
        acting_user=acting_user,
        action="model_meeting.designate",
        instance=designation,
        organization=organization,
        after={"year": year, "quarter": quarter, "kind": kind},
    )
    return designation


@transaction.atomic
def thematic_plan_add(
    *, organization: Organization, year: int, quarter: int, topic, subject: str = "", acting_user
) -> ThematicPlanItem:
    """Add a thematic meeting to a cell's plan for the year (L5)."""
    require_scope(acting_user, Action.RECORD, organization)
    item = ThematicPlanItem(organization=organization, year=year, quarter=quarter, topic=topic, subject=subject.strip())
    item.full_clean()
    item.save()
    audit_record(
        acting_user=acting_user,
        action="thematic_plan.add",
        instance=item,
        organization=organization,
        after={"year": year, "quarter": quarter, "topic": topic.pk, "subject": item.subject},
    )
    return item


@transaction.atomic
def thematic_plan_remove(*, item: ThematicPlanItem, acting_user) -> None:
    require_scope(acting_user, Action.RECORD, item.organization)
    audit_record(
        acting_user=acting_user,
        action="thematic_plan.remove",
        instance=item,
        organization=item.organization,
        before={"year": item.year, "quarter": item.quarter, "topic": item.topic_id, "subject": item.subject},
    )
    item.delete()
