"""Registration by grassroots committees (Y9): a grassroots committee proposes the list of its cells'
registrations, the board (staff of the campaign's committee) approves the list. Approving the list decides
each registration on it through :func:`registration_decide`, under its rules (the selection cap, the
eligibility rules and their reason, separation of duties, the audit, the cell's notice), all or nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.models import Organization
from cells.scoping import Action, require_scope
from cells.services import audit_record, stored_user

from ..models import Campaign, Registration, RegistrationProposal, RegistrationStatus
from .registration import registration_decide


def proposable(campaign: Campaign, committee: Organization):
    """The registrations a committee may put on a list: submitted, of its cells, on no list waiting."""
    on_open_lists = RegistrationProposal.registrations.through.objects.filter(
        registrationproposal__approved_at__isnull=True
    ).values("registration_id")
    return (
        Registration.objects.filter(
            campaign=campaign, status=RegistrationStatus.SUBMITTED, organization__path__startswith=committee.path
        )
        .exclude(pk__in=on_open_lists)
        .select_related("organization")
        .order_by("organization__name_folded")
    )


@transaction.atomic
def registration_propose(
    *,
    campaign: Campaign,
    committee: Organization,
    registrations: Iterable[Registration],
    reference: str = "",
    proposed_on: datetime.date | None = None,
    acting_user,
) -> RegistrationProposal:
    """A grassroots committee (its staff) sends the list of its cells' registrations up to the board."""
    require_scope(acting_user, Action.MANAGE, committee)
    if committee.is_cell or committee.pk == campaign.owner_id or not committee.path.startswith(campaign.owner.path):
        raise ValidationError(
            {"committee": _("Only a committee under the campaign's committee proposes its cells' registrations.")}
        )
    registrations = list(registrations)
    if not registrations:
        raise ValidationError({"registrations": _("Choose at least one registration.")})
    allowed = set(proposable(campaign, committee).values_list("pk", flat=True))
    refused = [r.organization.name for r in registrations if r.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "registrations": _(
                    "%(cells)s: only submitted registrations of this committee's cells not yet proposed can be put "
                    "on the list."
                )
                % {"cells": ", ".join(refused)}
            }
        )
    proposal = RegistrationProposal(
        campaign=campaign,
        committee=committee,
        reference=reference.strip(),
        proposed_on=proposed_on or timezone.localdate(),
        proposed_by=stored_user(acting_user),
    )
    proposal.full_clean()
    proposal.save()
    proposal.registrations.set(registrations)
    audit_record(
        acting_user=acting_user,
        action="registration.propose",
        instance=proposal,
        organization=committee,
        after={
            "campaign": campaign.code,
            "reference": proposal.reference,
            "cells": sorted(r.organization.code for r in registrations),
        },
    )
    return proposal


@transaction.atomic
def proposal_approve(*, proposal: RegistrationProposal, reason: str = "", acting_user) -> RegistrationProposal:
    """The board approves a committee's list: every registration on it still waiting is approved, or none is."""
    proposal = RegistrationProposal.objects.select_for_update().select_related("campaign__owner").get(pk=proposal.pk)
    require_scope(acting_user, Action.MANAGE, proposal.campaign.owner)
    if proposal.approved_at is not None:
        raise ValidationError(_("This list has already been approved."))
    if rights.same_person(acting_user, proposal.proposed_by_id):
        raise PermissionDenied(_("You proposed this list: someone else on the board approves it."))
    approved = []
    for registration in proposal.registrations.select_related("organization", "campaign").order_by(
        "organization__name_folded"
    ):
        if registration.status != RegistrationStatus.SUBMITTED:
            continue
        try:
            registration_decide(registration=registration, decision="approve", reason=reason, acting_user=acting_user)
        except ValidationError as exc:
            raise ValidationError(
                {"reason": [f"{registration.organization.name}: {message}" for message in exc.messages]}
            ) from exc
        approved.append(registration.organization.code)
    proposal.approved_at = timezone.now()
    proposal.approved_by = stored_user(acting_user)
    proposal.save(update_fields=["approved_at", "approved_by"])
    audit_record(
        acting_user=acting_user,
        action="registration.approve_list",
        instance=proposal,
        organization=proposal.committee,
        after={"approved": approved},
        reason=reason.strip(),
    )
    return proposal
