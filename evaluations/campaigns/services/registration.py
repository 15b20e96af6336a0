"""Registration: eligibility, a cell's registration, the board's decision, and registrations from a workbook."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.concurrency import bump_version
from cells.models import Organization
from cells.scoping import Action, require_scope
from cells.services import audit_record, stored_user

from .. import notices, rules
from .. import rights as campaign_rights  # noqa: F401  (declares the registration rights)
from ..models import (
    PARTICIPANT_LEVELS,
    Campaign,
    Registration,
    RegistrationStatus,
    YearRating,
)
from . import summaries
from .answers import registration_for_edit, registration_rescore
from .plans import own_frameworks

# --- Registration --------------------------------------------------------------------------------


def eligibility_for(campaign: Campaign, organization: Organization) -> rules.Eligibility:
    """The campaign's eligibility rules (T4) applied to a cell's ratings of the years before."""
    years = range(campaign.year - max(campaign.eligibility_good_years, 1), campaign.year)
    ratings = {
        r.year: rules.YearRatingFacts(r.rating, r.members_total, r.members_completed)
        for r in YearRating.objects.filter(organization=organization, year__in=list(years))
    }
    return rules.eligibility(
        year=campaign.year,
        good_years=campaign.eligibility_good_years,
        all_members_completed=campaign.eligibility_all_members_completed,
        ratings=ratings,
    )


def describe_condition(reason: dict) -> str:
    """One eligibility condition as the registration page states it ("Năm 2023: xếp loại HTNV (cần HTTNV trở
    lên)")."""
    if reason["rule"] == "good_year":
        return _("Year %(year)s: rated %(rating)s (HTTNV or better needed)") % {
            "year": reason["year"],
            "rating": reason.get("rating") or "—",
        }
    return _("Year %(year)s: %(completed)s of %(total)s members rated HTNV or better (all needed)") % {
        "year": reason["year"],
        "completed": reason.get("completed") if reason.get("completed") is not None else "—",
        "total": reason.get("total") if reason.get("total") is not None else "—",
    }


def committee_of(organization: Organization) -> int | None:
    """The committee that selects a cell (T6): its parent, or itself for a grassroots cell."""
    return organization.pk if organization.level == "grassroots_cell" else organization.parent_id


def selected_count(campaign: Campaign, committee_id: int | None) -> int:
    """How many cells a committee already has selected (approved) in the campaign."""
    return (
        Registration.objects.filter(campaign=campaign, status=RegistrationStatus.APPROVED)
        .filter(organization__parent_id=committee_id)
        .count()
        + Registration.objects.filter(
            campaign=campaign, status=RegistrationStatus.APPROVED, organization_id=committee_id
        ).count()
    )


def _require_registrable(campaign: Campaign, organization: Organization) -> None:
    """Who may take part in a campaign (the page and the workbook): a cell, or a grassroots organisation or
    partial committee (WORKBOOK v2 registrations; seed 003's "đảng bộ cơ sở bốn tốt"), under the campaign's
    committee and not that committee itself."""
    if organization.level not in PARTICIPANT_LEVELS:
        raise ValidationError({"organization": _("Only a cell or a grassroots party organisation can register.")})
    if organization.pk == campaign.owner_id or not organization.path.startswith(campaign.owner.path):
        raise ValidationError({"organization": _("The organisation is not under the campaign's committee.")})


@transaction.atomic
def registration_submit(
    *,
    campaign: Campaign,
    organization: Organization,
    survey_report: str,
    expected_completion: datetime.date | None,
    acting_user,
    today: datetime.date | None = None,
) -> Registration:
    """Register a cell (or resubmit a returned registration) before the deadline, with its eligibility check."""
    today = today or timezone.localdate()
    if campaign.registration_deadline and today > campaign.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(date)s.") % {"date": f"{campaign.registration_deadline:%d/%m/%Y}"}
        )
    _require_registrable(campaign, organization)
    registration = Registration.objects.filter(campaign=campaign, organization=organization).first()
    if registration and registration.status != RegistrationStatus.RETURNED:
        raise ValidationError(
            _("This cell is already registered (%(status)s).") % {"status": registration.get_status_display()}
        )
    check = eligibility_for(campaign, organization)
    registration = registration or Registration(
        campaign=campaign,
        organization=organization,
        framework_id=own_frameworks(campaign, [organization.pk]).get(organization.pk, campaign.framework_id),
    )
    resubmitted = registration.pk is not None
    registration.status = RegistrationStatus.SUBMITTED
    registration.registered_on = today
    registration.survey_report = survey_report.strip()
    registration.expected_completion = expected_completion
    registration.eligibility = {"eligible": check.eligible, "reasons": check.reasons}
    registration.submitted_by = acting_user if getattr(acting_user, "pk", None) else None
    registration.full_clean(validate_constraints=False)
    registration.save()
    registration_rescore(registration)
    summaries.participants_added(campaign, [organization.pk])
    audit_record(
        acting_user=acting_user,
        action="registration.resubmit" if resubmitted else "registration.submit",
        instance=registration,
        organization=organization,
        after={"campaign": campaign.code, "eligible": check.eligible},
    )
    return registration


DECISIONS = {
    "approve": RegistrationStatus.APPROVED,
    "return": RegistrationStatus.RETURNED,
    "reject": RegistrationStatus.REJECTED,
}


@transaction.atomic
def registration_decide(
    *,
    registration: Registration,
    decision: str,
    reason: str = "",
    acting_user,
    expected_version: int | None = None,
) -> Registration:
    """The board approves, returns (the cell may resubmit) or rejects a submitted registration.

    Never by who submitted it, nor by the cell's own officers (``registration.decide``).
    ``expected_version``: the version the deciding page showed; a registration changed since is refused."""
    registration = registration_for_edit(registration=registration, expected_version=expected_version)
    rights.require(acting_user, "registration.decide", registration)
    status = DECISIONS[decision]
    reason = reason.strip()
    if status != RegistrationStatus.APPROVED and not reason:
        raise ValidationError({"reason": _("Give the reason for returning or rejecting the registration.")})
    campaign = registration.campaign
    after: dict = {"status": status}
    if status == RegistrationStatus.APPROVED:
        committee = committee_of(registration.organization)
        if rules.selection_cap_reached(cap=campaign.selection_cap, selected=selected_count(campaign, committee)):
            raise ValidationError(
                _("This committee has already selected %(cap)s cells, the most the campaign allows.")
                % {"cap": campaign.selection_cap}
            )
        # The eligibility rules (T4) as they stand today: ratings may have come in since the cell registered.
        check = eligibility_for(campaign, registration.organization)
        registration.eligibility = {"eligible": check.eligible, "reasons": check.reasons}
        if not check.eligible:
            failed = [describe_condition(r) for r in check.reasons if not r["ok"]]
            if not reason:
                raise ValidationError(
                    {
                        "reason": _(
                            "This cell does not meet the eligibility rules: %(failed)s. To approve it all the "
                            "same, give the reason."
                        )
                        % {"failed": "; ".join(failed)}
                    }
                )
            after["approved_although_not_eligible"] = failed
    before = registration.status
    registration.status = status
    registration.decision_reason = reason
    registration.decided_at = timezone.now()
    registration.decided_by = stored_user(acting_user)
    registration.save(
        update_fields=[
            "status", "eligibility", "decision_reason", "decided_at", "decided_by", bump_version(registration),
        ]
    )  # fmt: skip
    audit_record(
        acting_user=acting_user,
        action=f"registration.{decision}",
        instance=registration,
        organization=registration.organization,
        before={"status": before},
        after=after,
        reason=reason,
    )
    notices.registration_decided(registration, decision)
    return registration


@transaction.atomic
def registration_import(
    *,
    campaign: Campaign,
    organization: Organization,
    status: str,
    registered_on: datetime.date | None,
    registration: Registration | None = None,
    reason: str = "",
    acting_user,
) -> Registration:
    """A registration from a workbook: the board's own list, so no deadline applies (history is imported too).

    A new row is registered as submitted (with its eligibility check, as the page's submit keeps it) by the
    board; an approved, returned or rejected status is then the board's decision through
    :func:`registration_decide`, under the same rules as the page (who may decide, the selection cap, the
    version, the audit, the cell's notice), with the reason that it was decided on paper. A decided or
    confirmed registration does not change (``registration.change``). ``maintaining`` is not a decision:
    the cell was recognized last year and keeps its title."""
    if registration is not None:
        rights.require(acting_user, "registration.change", registration)
    else:
        require_scope(acting_user, Action.MANAGE, campaign.owner)
        _require_registrable(campaign, organization)
        check = eligibility_for(campaign, organization)
        registration = Registration(
            campaign=campaign,
            organization=organization,
            framework_id=own_frameworks(campaign, [organization.pk]).get(organization.pk, campaign.framework_id),
            status=RegistrationStatus.SUBMITTED,
            registered_on=registered_on or timezone.localdate(),
            eligibility={"eligible": check.eligible, "reasons": check.reasons},
        )
        registration.full_clean(validate_constraints=False)
        registration.save()
        registration_rescore(registration)
        summaries.participants_added(campaign, [organization.pk])
        audit_record(
            acting_user=acting_user,
            action="registration.import",
            instance=registration,
            organization=organization,
            after={"status": RegistrationStatus.SUBMITTED, "campaign": campaign.code},
        )
    if registered_on and registration.registered_on != registered_on:
        before = registration.registered_on
        registration.registered_on = registered_on
        registration.save(update_fields=["registered_on", bump_version(registration)])
        audit_record(
            acting_user=acting_user,
            action="registration.import",
            instance=registration,
            organization=organization,
            before={"registered_on": before},
            after={"registered_on": registered_on},
        )
    decision = {status: decision for decision, status in DECISIONS.items()}.get(status)
    if decision is not None:
        # The row's reason is the decision's; without one, an approval of a cell that fails the eligibility
        # rules is refused like on the page (a return or a rejection says it was decided on paper).
        reason = (reason or "").strip()
        if not reason and (decision != "approve" or eligibility_for(campaign, organization).eligible):
            reason = _("Decided on paper, brought in from a workbook.")
        return registration_decide(registration=registration, decision=decision, reason=reason, acting_user=acting_user)
    if status != registration.status:
        before = registration.status
        registration.status = status
        registration.decided_at, registration.decided_by = timezone.now(), stored_user(acting_user)
        registration.full_clean(validate_constraints=False)
        registration.save(update_fields=["status", "decided_at", "decided_by", bump_version(registration)])
        registration_rescore(registration)
        audit_record(
            acting_user=acting_user,
            action="registration.import",
            instance=registration,
            organization=organization,
            before={"status": before},
            after={"status": status, "campaign": campaign.code},
        )
    return registration
