"""Recognition: the decision that names the recognized cells, and the awards that follow it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cells.scoping import Action, require_scope
from cells.services import audit_record, audit_value, stored_user

from .. import rules
from ..models import (
    Award,
    AwardKind,
    Campaign,
    RecognitionDecision,
    Registration,
)

# --- Recognition ---------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    campaign: Campaign,
    number: str,
    decided_on: datetime.date,
    signer: str,
    registrations: list[Registration],
    acting_user,
    proposal: str = "",
) -> RecognitionDecision:
    """The committee's recognition decision: only confirmed, passing participants may be named.

    It names who decided (``signer``, the leader who signed) and who proposed it (``acting_user``, the
    staff member who puts it forward and records it, with the proposal's reference)."""
    require_scope(acting_user, Action.MANAGE, campaign.owner)
    if not signer.strip():
        raise ValidationError({"signer": _("Name who decided and signed.")})
    if not registrations:
        raise ValidationError({"registrations": _("Choose the cells the decision recognizes.")})
    bad = [r for r in registrations if r.campaign_id != campaign.pk or not r.is_locked or r.result != rules.DAT]
    if bad:
        raise ValidationError(
            {
                "registrations": _("Only confirmed cells that passed can be recognized: %(cells)s")
                % {"cells": ", ".join(r.organization.name for r in bad)}
            }
        )
    decision = RecognitionDecision(
        campaign=campaign,
        number=number.strip(),
        decided_on=decided_on,
        signer=signer.strip(),
        proposal=proposal.strip(),
        proposed_by=stored_user(acting_user),
    )
    decision.full_clean()
    decision.save()
    decision.registrations.set(registrations)
    audit_record(
        acting_user=acting_user,
        action="recognition.decide",
        instance=decision,
        organization=campaign.owner,
        after={
            "number": decision.number,
            "cells": [r.organization.code for r in registrations],
            "decided_by": decision.signer,
            "proposed_by": audit_value(decision.proposed_by),
            "proposal": decision.proposal,
        },
    )
    return decision


@transaction.atomic
def award_add(
    *,
    registration: Registration,
    kind: str,
    description: str,
    granted_on: datetime.date,
    amount: Decimal | None = None,
    reference: str = "",
    acting_user,
) -> Award:
    """A commendation or reward for a recognized cell (Y8), or support to a residential model cell (Y7), by the
    board (staff of the campaign's committee), on the page or from the ``awards`` sheet.

    Recognition comes first (B4): nothing is granted before the cell's recognition decision."""
    require_scope(acting_user, Action.MANAGE, registration.campaign.owner)
    first = registration.decisions.order_by("decided_on").first()
    if first is None:
        raise ValidationError(_("Only a recognized cell can be commended, rewarded or supported."))
    if granted_on < first.decided_on:
        raise ValidationError(
            {
                "granted_on": _(
                    "Granted on %(granted)s, before the recognition decision %(number)s of %(decided)s: recognition "
                    "comes first."
                )
                % {
                    "granted": f"{granted_on:%d/%m/%Y}",
                    "number": first.number,
                    "decided": f"{first.decided_on:%d/%m/%Y}",
                }
            }
        )
    if kind == AwardKind.SUPPORT and registration.organization.cell_type.code != "residential":
        raise ValidationError({"kind": _("Support for cultural houses goes to residential cells.")})
    award = Award(
        registration=registration,
        kind=kind,
        description=description.strip(),
        amount=amount,
        granted_on=granted_on,
        reference=reference.strip(),
    )
    award.full_clean()
    award.save()
    audit_record(
        acting_user=acting_user,
        action=f"award.{kind}",
        instance=award,
        organization=registration.organization,
        after={
            "campaign": registration.campaign.code,
            "description": award.description,
            "amount": str(amount) if amount is not None else None,
            "granted_on": granted_on.isoformat(),
            "reference": award.reference,
        },
    )
    return award
