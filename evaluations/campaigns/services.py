"""Every write of the campaign cycle: plans, ratings, registration, self-assessment, appraisal, recognition.

Each service validates, writes in a transaction and leaves an audit entry (cells.services.audit_record).
The rules themselves (eligibility, result, status, targets) are in :mod:`evaluations.campaigns.rules`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import Organization
from cells.services import audit_record
from criteria.models import Criterion, Framework, FrameworkStatus
from criteria.scoring import Answer, Rubric, score
from criteria.selectors import load_rubric

from ..evidence import validate_evidence
from . import rules
from .models import (
    PARTICIPANT_STATUSES,
    AnnualAnswer,
    Award,
    AwardKind,
    Campaign,
    CampaignMilestone,
    CampaignTarget,
    Evidence,
    RecognitionDecision,
    Registration,
    RegistrationStatus,
    SteeringMember,
    YearRating,
)

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


def _snap(instance, fields) -> dict:
    data = {}
    for name in fields:
        value = getattr(instance, f"{name}_id", None) if hasattr(instance, f"{name}_id") else getattr(instance, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, bool | int | str | type(None)):
            value = str(value)
        data[name] = value
    return data


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- Campaigns -----------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, acting_user, carry_over: bool = True, **fields) -> Campaign:
    """Create a campaign; cells recognized in last year's campaign of the same owner and kind come in as
    maintaining (Y2)."""
    campaign = Campaign(**fields)
    campaign.full_clean()
    campaign.save()
    audit_record(
        acting_user=acting_user,
        action="campaign.create",
        instance=campaign,
        organization=campaign.owner,
        after=_snap(campaign, CAMPAIGN_FIELDS),
    )
    if carry_over:
        campaign_carry_over(campaign=campaign, acting_user=acting_user)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, acting_user, **changes) -> Campaign:
    before = _snap(campaign, CAMPAIGN_FIELDS)
    for key, value in changes.items():
        if key not in CAMPAIGN_FIELDS:
            raise ValueError(f"campaign_update cannot change {key}")
        setattr(campaign, key, value)
    fixed = [k for k in ("owner", "framework", "year") if before[k] != _snap(campaign, [k])[k]]
    if fixed and campaign.registrations.exists():
        raise ValidationError(
            {k: _("Cells have registered: the committee, framework and year can no longer change.") for k in fixed}
        )
    campaign.full_clean()
    campaign.save()
    after = _snap(campaign, CAMPAIGN_FIELDS)
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
    own = _own_frameworks(campaign, [cell.pk for cell in cells])
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


def _own_frameworks(campaign: Campaign, cell_ids: list[int]) -> dict[int, int]:
    """cell id -> id of the cell's own published framework derived from the campaign's (T2, B1)."""
    rows = Framework.objects.filter(
        owner_id__in=cell_ids, parent_id=campaign.framework_id, status=FrameworkStatus.PUBLISHED
    ).values_list("owner_id", "pk")
    return {owner_id: pk for owner_id, pk in rows}


@transaction.atomic
def target_set(
    *, campaign: Campaign, metric: str, cell_type, comparator: str, value: Decimal, acting_user
) -> CampaignTarget:
    target = CampaignTarget.objects.filter(campaign=campaign, metric=metric, cell_type=cell_type).first()
    target = target or CampaignTarget(campaign=campaign, metric=metric, cell_type=cell_type)
    target.comparator, target.value = comparator, value
    target.full_clean(validate_constraints=False)
    target.save()
    audit_record(
        acting_user=acting_user,
        action="campaign.target",
        instance=campaign,
        organization=campaign.owner,
        after={
            "metric": metric,
            "cell_type": getattr(cell_type, "code", ""),
            "comparator": comparator,
            "value": str(value),
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
def milestone_done(*, milestone: CampaignMilestone, done_on: datetime.date, acting_user) -> CampaignMilestone:
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit_record(
        acting_user=acting_user,
        action="campaign.milestone_done",
        instance=milestone.campaign,
        organization=milestone.campaign.owner,
        after={"title": milestone.title, "done_on": done_on.isoformat()},
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


# --- Year-end ratings ----------------------------------------------------------------------------


@transaction.atomic
def year_rating_set(
    *,
    organization: Organization,
    year: int,
    rating: str,
    members_total: int | None = None,
    members_completed: int | None = None,
    acting_user,
) -> YearRating:
    record = YearRating.objects.filter(organization=organization, year=year).first()
    before = _snap(record, ["rating", "members_total", "members_completed"]) if record else {}
    record = record or YearRating(organization=organization, year=year)
    record.rating, record.members_total, record.members_completed = rating, members_total, members_completed
    record.full_clean(validate_constraints=False)
    record.save()
    after = _snap(record, ["rating", "members_total", "members_completed"])
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="year_rating.set",
            instance=record,
            organization=organization,
            before=before,
            after={**after, "year": year},
        )
    return record


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
        raise ValidationError(_("Registration closed on %(date)s.") % {"date": dmy(campaign.registration_deadline)})
    if not organization.is_cell:
        raise ValidationError({"organization": _("Only a cell can register.")})
    if not organization.path.startswith(campaign.owner.path):
        raise ValidationError({"organization": _("The cell is not under the campaign's committee.")})
    registration = Registration.objects.filter(campaign=campaign, organization=organization).first()
    if registration and registration.status != RegistrationStatus.RETURNED:
        raise ValidationError(
            _("This cell is already registered (%(status)s).") % {"status": registration.get_status_display()}
        )
    check = eligibility_for(campaign, organization)
    registration = registration or Registration(
        campaign=campaign,
        organization=organization,
        framework_id=_own_frameworks(campaign, [organization.pk]).get(organization.pk, campaign.framework_id),
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
def registration_decide(*, registration: Registration, decision: str, reason: str = "", acting_user) -> Registration:
    """The board approves, returns (the cell may resubmit) or rejects a submitted registration."""
    if registration.status != RegistrationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted registration can be decided."))
    status = DECISIONS[decision]
    reason = reason.strip()
    if status != RegistrationStatus.APPROVED and not reason:
        raise ValidationError({"reason": _("Give the reason for returning or rejecting the registration.")})
    campaign = registration.campaign
    if status == RegistrationStatus.APPROVED:
        committee = committee_of(registration.organization)
        if rules.selection_cap_reached(cap=campaign.selection_cap, selected=selected_count(campaign, committee)):
            raise ValidationError(
                _("This committee has already selected %(cap)s cells, the most the campaign allows.")
                % {"cap": campaign.selection_cap}
            )
    before = registration.status
    registration.status = status
    registration.decision_reason = reason
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decision_reason", "decided_at"])
    audit_record(
        acting_user=acting_user,
        action=f"registration.{decision}",
        instance=registration,
        organization=registration.organization,
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
    return registration


# --- Self-assessment, appraisal, scoring ---------------------------------------------------------


def _require_open(registration: Registration) -> None:
    if registration.status not in PARTICIPANT_STATUSES:
        raise ValidationError(_("Only an approved or maintaining cell records its year's results."))
    if registration.is_locked:
        raise ValidationError(_("The result has been confirmed and can no longer change."))


def _criterion_in_rubric(registration: Registration, criterion: Criterion, rubric: Rubric) -> None:
    if criterion.pk not in {c.id for c in rubric.leaves()}:
        raise ValidationError(_("This criterion is not part of the cell's framework."))


def final_answers(answers) -> dict[str, Answer]:
    """criterion code -> the final answer: the appraisal over the self-assessment, item by item."""
    merged = {}
    for a in answers:
        points = a.appraised_points if a.appraised_points is not None else a.self_points
        achieved = a.appraised_achieved if a.appraised_achieved is not None else a.self_achieved
        merged[a.criterion.code] = Answer(points=points, achieved=achieved, actual=a.actual, target=a.target)
    return merged


def registration_rescore(registration: Registration, rubric: Rubric | None = None) -> Registration:
    """Score the final answers with criteria.scoring.score and keep the figures on the registration."""
    rubric = rubric or load_rubric(registration.framework)
    organization = registration.organization
    answers = AnnualAnswer.objects.filter(registration=registration).select_related("criterion")
    result = score(
        rubric,
        final_answers(answers),
        cell_type=organization.cell_type.code if organization.cell_type_id else None,
        org_level=organization.level,
    )
    registration.total_points = result.total
    registration.level_code = result.level.code if result.level else ""
    registration.level_rank = result.level.rank if result.level else None
    registration.failed = ",".join(result.failed_groups)
    registration.save(update_fields=["total_points", "level_code", "level_rank", "failed"])
    return registration


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@transaction.atomic
def _open_answer(registration: Registration, criterion: Criterion, rubric: Rubric | None, points):
    """Checks shared by the self-assessment and the appraisal of one criterion: the result is still open,
    the criterion belongs to the cell's rubric, and points lie within its range. Returns the rubric, the
    criterion as the rubric sees it, and the points as a Decimal."""
    _require_open(registration)
    rubric = rubric or load_rubric(registration.framework)
    _criterion_in_rubric(registration, criterion, rubric)
    rc = {c.id: c for c in rubric.criteria}[criterion.pk]
    points = _decimal(points)
    if points is not None and rc.max_points is not None and not (0 <= points <= rc.max_points):
        raise ValidationError({"points": _("Points must be between 0 and %(max)s.") % {"max": rc.max_points}})
    return rubric, rc, points


def answer_self_save(
    *,
    registration: Registration,
    criterion: Criterion,
    points=None,
    achieved: bool | None = None,
    comment: str = "",
    actual=None,
    target=None,
    acting_user,
    rubric: Rubric | None = None,
    rescore: bool = True,
) -> AnnualAnswer:
    """The cell's self-assessment of one criterion (and for an indicator, its own target and actual value)."""
    rubric, rc, points = _open_answer(registration, criterion, rubric, points)
    if target is not None and rc.is_indicator and not rc.target_settable_by_cell and rc.target is not None:
        if _decimal(target) != rc.target:
            raise ValidationError({"target": _("This indicator's target is set by the framework.")})
    answer, _created = AnnualAnswer.objects.get_or_create(registration=registration, criterion=criterion)
    before = _snap(answer, ["self_points", "self_achieved", "actual", "target", "comment"])
    answer.self_points = points
    answer.self_achieved = achieved
    answer.comment = comment.strip()
    answer.actual = _decimal(actual)
    answer.target = _decimal(target)
    answer.full_clean(validate_constraints=False)
    answer.save()
    after = _snap(answer, ["self_points", "self_achieved", "actual", "target", "comment"])
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="annual.self",
            instance=answer,
            organization=registration.organization,
            before=before,
            after={**after, "criterion": criterion.code},
        )
    if rescore:
        registration_rescore(registration, rubric)
    return answer


@transaction.atomic
def self_assessment_submit(*, registration: Registration, acting_user) -> Registration:
    _require_open(registration)
    registration.self_assessed_at = timezone.now()
    registration.save(update_fields=["self_assessed_at"])
    audit_record(
        acting_user=acting_user,
        action="annual.self_submit",
        instance=registration,
        organization=registration.organization,
    )
    return registration


@transaction.atomic
def evidence_add(*, answer: AnnualAnswer, upload, acting_user) -> Evidence:
    """Attach a document to an answer after checking its content type and size."""
    _require_open(answer.registration)
    mime = validate_evidence(upload)
    evidence = Evidence(
        answer=answer,
        original_name=upload.name[:255],
        content_type=mime,
        size=upload.size,
        uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit_record(
        acting_user=acting_user,
        action="annual.evidence",
        instance=evidence,
        organization=answer.registration.organization,
        after={"criterion": answer.criterion.code, "name": evidence.original_name, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def answer_appraise(
    *,
    registration: Registration,
    criterion: Criterion,
    points=None,
    achieved: bool | None = None,
    actual=None,
    reason: str = "",
    acting_user,
    rubric: Rubric | None = None,
    rescore: bool = True,
) -> AnnualAnswer:
    """The board's appraisal of one criterion. A change from the cell's own value needs a reason (audited)."""
    rubric, rc, points = _open_answer(registration, criterion, rubric, points)
    answer, _created = AnnualAnswer.objects.get_or_create(registration=registration, criterion=criterion)
    before = _snap(answer, ["appraised_points", "appraised_achieved", "actual"])
    changes_self = (points is not None and points != answer.self_points) or (
        achieved is not None and achieved != answer.self_achieved
    )
    actual = _decimal(actual)
    changes_actual = actual is not None and actual != answer.actual
    if (changes_self or changes_actual) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for changing the cell's own assessment.")})
    answer.appraised_points = points
    answer.appraised_achieved = achieved
    if changes_actual:
        answer.actual = actual
    answer.appraisal_reason = reason.strip()
    answer.appraised_by = acting_user if getattr(acting_user, "pk", None) else None
    answer.appraised_at = timezone.now()
    answer.save()
    after = _snap(answer, ["appraised_points", "appraised_achieved", "actual"])
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="annual.appraise",
            instance=answer,
            organization=registration.organization,
            before=before,
            after={**after, "criterion": criterion.code},
            reason=reason.strip(),
        )
    if rescore:
        registration_rescore(registration, rubric)
    return answer


def year_rating_of(registration: Registration) -> str | None:
    record = YearRating.objects.filter(
        organization_id=registration.organization_id, year=registration.campaign.year
    ).first()
    return record.rating if record else None


def compute_outcome(registration: Registration, rubric: Rubric, year_rating: str | None) -> tuple[str, str]:
    """(result, status) of a participant: the scored level through the campaign rules."""
    result = rules.result_for(
        level_rank=registration.level_rank,
        levels=rubric.levels,
        year_rating=year_rating,
        min_year_rating=registration.campaign.min_year_rating or None,
    )
    return result, rules.status_for(result=result, maintaining=registration.is_maintaining)


@transaction.atomic
def registration_confirm(*, registration: Registration, acting_user) -> Registration:
    """The board confirms the appraisal: the result and recognition status are frozen, the answers locked."""
    _require_open(registration)
    rubric = load_rubric(registration.framework)
    registration_rescore(registration, rubric)
    rating = year_rating_of(registration)
    result, outcome = compute_outcome(registration, rubric, rating)
    registration.year_rating = rating or ""
    registration.result = result
    registration.outcome = outcome
    registration.confirmed_at = timezone.now()
    registration.confirmed_by = acting_user if getattr(acting_user, "pk", None) else None
    registration.save(update_fields=["year_rating", "result", "outcome", "confirmed_at", "confirmed_by"])
    audit_record(
        acting_user=acting_user,
        action="annual.confirm",
        instance=registration,
        organization=registration.organization,
        after={
            "total_points": str(registration.total_points) if registration.total_points is not None else None,
            "level": registration.level_code,
            "year_rating": rating,
            "result": result,
            "status": outcome,
        },
    )
    return registration


@transaction.atomic
def registration_reopen(*, registration: Registration, reason: str, acting_user) -> Registration:
    """Unlock a confirmed result (a correction), with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the result.")})
    if registration.decisions.exists():
        raise ValidationError(_("A recognition decision names this cell; its result can no longer be reopened."))
    registration.confirmed_at = None
    registration.result = registration.outcome = ""
    registration.save(update_fields=["confirmed_at", "result", "outcome"])
    audit_record(
        acting_user=acting_user,
        action="annual.reopen",
        instance=registration,
        organization=registration.organization,
        reason=reason.strip(),
    )
    return registration


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
) -> RecognitionDecision:
    """The committee's recognition decision: only confirmed, passing participants may be named."""
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
        campaign=campaign, number=number.strip(), decided_on=decided_on, signer=signer.strip()
    )
    decision.full_clean()
    decision.save()
    decision.registrations.set(registrations)
    audit_record(
        acting_user=acting_user,
        action="recognition.decide",
        instance=decision,
        organization=campaign.owner,
        after={"number": decision.number, "cells": [r.organization.code for r in registrations]},
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
    """A commendation or reward for a recognized cell (Y8), or support to a residential model cell (Y7)."""
    if not registration.decisions.exists():
        raise ValidationError(_("Only a recognized cell can be commended, rewarded or supported."))
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
        after={"description": award.description, "amount": str(amount) if amount is not None else None},
    )
    return award


@transaction.atomic
def registration_import(
    *,
    campaign: Campaign,
    organization: Organization,
    status: str,
    registered_on: datetime.date | None,
    registration: Registration | None = None,
    acting_user,
) -> Registration:
    """A registration from a workbook: the board's own list, so no deadline applies (history is imported too)."""
    before = registration.status if registration else None
    registration = registration or Registration(
        campaign=campaign,
        organization=organization,
        framework_id=_own_frameworks(campaign, [organization.pk]).get(organization.pk, campaign.framework_id),
    )
    registration.status = status
    if registered_on:
        registration.registered_on = registered_on
    registration.full_clean(validate_constraints=False)
    registration.save()
    registration_rescore(registration)
    audit_record(
        acting_user=acting_user,
        action="registration.import",
        instance=registration,
        organization=organization,
        before={"status": before} if before else {},
        after={"status": status, "campaign": campaign.code},
    )
    return registration
