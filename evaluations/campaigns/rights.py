"""The rights on a campaign's registrations and annual results (see cells/rights.py).

A cell (its secretary, or staff recording for it) registers and self-assesses; the board, staff of
the campaign's owning committee, decides, appraises and confirms. Nobody appraises or confirms a
result they self-assessed, nor decides a registration they submitted, nor acts as the board of a
cell whose office they hold. A decided or confirmed registration no longer changes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cells import rights
from cells.scoping import Action

from ..meetings.rights import holds_office
from .models import PARTICIPANT_STATUSES, RegistrationStatus


def _open_result(user, registration) -> str | None:
    if registration.status not in PARTICIPANT_STATUSES:
        return _("Only an approved or maintaining cell records its year's results.")
    if registration.is_locked:
        return _("The result has been confirmed and can no longer change.")
    return None


def _undecided(user, registration) -> str | None:
    if registration.is_locked:
        return _("The result has been confirmed and can no longer change.")
    if registration.pk and registration.status != RegistrationStatus.SUBMITTED:
        return _("This registration has been decided (%(status)s) and can no longer change.") % {
            "status": registration.get_status_display()
        }
    return None


def _submitted(user, registration) -> str | None:
    if registration.status != RegistrationStatus.SUBMITTED:
        return _("Only a submitted registration can be decided.")
    return None


def _confirmed(user, registration) -> str | None:
    if not registration.is_locked:
        return _("Only a confirmed result can be reopened.")
    return None


def _not_its_self_assessor(user, registration) -> str | None:
    """Separation of duties: whoever self-assessed (changed a self-assessed answer or submitted, on the page
    or from a workbook) or holds the cell's office does not appraise or confirm."""
    if (
        rights.same_person(user, registration.self_assessed_by_id)
        or holds_office(user, registration.organization)
        or registration.self_assessors.filter(pk=user.pk).exists()
    ):
        return _("You self-assessed this result (or hold the cell's office): someone else appraises it.")
    return None


def _not_its_submitter(user, registration) -> str | None:
    if rights.same_person(user, registration.submitted_by_id) or holds_office(user, registration.organization):
        return _("You submitted this registration (or hold the cell's office): someone else decides it.")
    return None


def _cell(registration):
    return registration.organization


def _board(registration):
    return registration.campaign.owner


SELF_ASSESS = rights.declare("registration.self_assess", Action.RECORD, organization_of=_cell, state=_open_result)
CHANGE = rights.declare("registration.change", Action.MANAGE, organization_of=_board, state=_undecided)
DECIDE = rights.declare(
    "registration.decide", Action.MANAGE, organization_of=_board, state=_submitted, duty=_not_its_submitter
)
APPRAISE = rights.declare(
    "registration.appraise", Action.MANAGE, organization_of=_board, state=_open_result, duty=_not_its_self_assessor
)
CONFIRM = rights.declare(
    "registration.confirm", Action.MANAGE, organization_of=_board, state=_open_result, duty=_not_its_self_assessor
)
REOPEN = rights.declare("registration.reopen", Action.MANAGE, organization_of=_board, state=_confirmed)
