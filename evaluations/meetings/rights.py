"""The rights on meetings (see cells/rights.py): recording, self-assessing, appraising, reopening.

A secretary records and self-assesses but never appraises; a supervisor appraises but never records
(the roles' actions in cells.models.ROLE_ACTIONS and the supervision scope provider); nobody
appraises a meeting they recorded, self-assessed (changed a self-assessed value: a draft save, a submit,
an imported ``self_points``) or submitted, nor one of a cell whose office they hold. The pages and the
``meeting_scores`` import ask these same rights (services/recording.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cells import rights
from cells.models import RoleAssignment
from cells.scoping import Action, user_scope
from cells.selectors import is_cell_officer

from .models import MeetingStatus


def _not_locked(user, meeting) -> str | None:
    if meeting.is_locked:
        return _("This meeting has been appraised and is locked. Staff can reopen it.")
    return None


def _waiting_for_appraisal(user, meeting) -> str | None:
    if meeting.status == MeetingStatus.APPRAISED:
        return _("This meeting has already been appraised.")
    if meeting.status != MeetingStatus.SUBMITTED:
        return _("The cell has not submitted its self-assessment yet.")
    return None


def self_assessed_by(user, meeting) -> bool:
    """Whether ``user`` changed the meeting's self-assessed values at some point (nobody never did)."""
    return not rights.is_nobody(user) and meeting.self_assessors.filter(pk=user.pk).exists()


def holds_office(user, organization) -> bool:
    """Whether ``user`` holds the organisation's own office: a cell's secretary's account, or a current
    role on a grassroots organisation itself (its office records its meetings, so never appraises them)."""
    if organization.is_cell:
        return is_cell_officer(user, organization)
    return RoleAssignment.objects.current().filter(user=user, organization=organization).exists()


def _not_its_recorder(user, meeting) -> str | None:
    """Separation of duties: the author, every self-assessor, the submitter and the organisation's own
    officers do not appraise."""
    if (
        rights.same_person(user, meeting.created_by_id)
        or rights.same_person(user, meeting.submitted_by_id)
        or holds_office(user, meeting.organization)
        or self_assessed_by(user, meeting)
    ):
        return _("You recorded or self-assessed this meeting (or hold the cell's office): someone else appraises it.")
    return None


def _appraised(user, meeting) -> str | None:
    if meeting.status != MeetingStatus.APPRAISED:
        return _("Only an appraised meeting can be reopened.")
    return None


def _organization(meeting):
    return meeting.organization


def appraised_from(organization):
    """Where a meeting of ``organization`` is appraised from: a cell's meetings within the cell's scope (its
    supervisors, staff above); a grassroots organisation's by the committee above it, never from its own
    office (WORKBOOK v3: its office records, the committee above appraises). None: nobody but a superuser."""
    return organization if organization.is_cell else organization.parent


def _from_above(action: str):
    def check(user, meeting) -> str | None:
        where = appraised_from(meeting.organization)
        scope = user_scope(user, action)
        if scope.everything or (where is not None and scope.covers(where.path)):
            return None
        return _("You may not do this for %(org)s.") % {"org": meeting.organization}

    return check


RECORD = rights.declare("meeting.record", Action.RECORD, organization_of=_organization, state=_not_locked)
APPRAISE = rights.declare(
    "meeting.appraise",
    Action.APPRAISE,
    organization_of=_organization,
    state=_waiting_for_appraisal,
    duty=_not_its_recorder,
    scope=_from_above(Action.APPRAISE),
)
REOPEN = rights.declare(
    "meeting.reopen",
    Action.MANAGE,
    organization_of=_organization,
    state=_appraised,
    scope=_from_above(Action.MANAGE),
)
