"""The year's answers: a cell's self-assessment with evidence, the board's appraisal, the scoring of
the final answers, and the confirmation that locks a result."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.concurrency import bump_version, check_version
from cells.services import audit_record, audit_snapshot, stored_user
from criteria.models import Criterion
from criteria.scoring import Answer, Rubric, final_answer, score
from criteria.selectors import load_rubric

from ...evidence import validate_evidence
from .. import rights as campaign_rights  # noqa: F401  (declares the registration rights)
from .. import rules
from ..models import (
    PARTICIPANT_STATUSES,
    AnnualAnswer,
    Evidence,
    Registration,
    YearRating,
)

# --- Self-assessment, appraisal, scoring ---------------------------------------------------------


def registration_for_edit(*, registration: Registration, expected_version: int | None) -> Registration:
    """The registration re-read in place and locked for this transaction, refused when someone saved it (or
    its answers) since the user's page was drawn at ``expected_version``. Every page that saves a
    registration's answers starts its transaction here (cells/concurrency.py)."""
    registration.refresh_from_db(from_queryset=Registration.objects.select_for_update(of=("self",)))
    check_version(registration, expected_version, what=_("registration"))
    return registration


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
        merged[a.criterion.code] = final_answer(
            self_points=a.self_points,
            self_achieved=a.self_achieved,
            appraised_points=a.appraised_points,
            appraised_achieved=a.appraised_achieved,
            actual=a.actual,
            target=a.target,
        )
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
    # The answers changed: the version moves on in the database (the instance may be an older read).
    Registration.objects.filter(pk=registration.pk).update(version=F("version") + 1)
    registration.version += 1
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
    rights.require(acting_user, "registration.self_assess", registration)
    rubric, rc, points = _open_answer(registration, criterion, rubric, points)
    if target is not None and rc.is_indicator and not rc.target_settable_by_cell and rc.target is not None:
        if _decimal(target) != rc.target:
            raise ValidationError({"target": _("This indicator's target is set by the framework.")})
    answer, _created = AnnualAnswer.objects.get_or_create(registration=registration, criterion=criterion)
    before = audit_snapshot(answer, ["self_points", "self_achieved", "actual", "target", "comment"])
    answer.self_points = points
    answer.self_achieved = achieved
    answer.comment = comment.strip()
    answer.actual = _decimal(actual)
    answer.target = _decimal(target)
    answer.full_clean(validate_constraints=False)
    answer.save()
    after = audit_snapshot(answer, ["self_points", "self_achieved", "actual", "target", "comment"])
    if before != after:
        _mark_self_assessor(registration, acting_user)
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


def _mark_self_assessor(registration: Registration, acting_user) -> None:
    """Keep who self-assessed: separation of duties keeps them off the appraisal and the confirmation."""
    user = stored_user(acting_user)
    if user is not None and registration.self_assessed_by_id != user.pk:
        registration.self_assessed_by = user
        registration.save(update_fields=["self_assessed_by"])


@transaction.atomic
def self_assessment_submit(*, registration: Registration, acting_user) -> Registration:
    rights.require(acting_user, "registration.self_assess", registration)
    registration.self_assessed_at = timezone.now()
    registration.self_assessed_by = stored_user(acting_user) or registration.self_assessed_by
    registration.save(update_fields=["self_assessed_at", "self_assessed_by", bump_version(registration)])
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
    rights.require(acting_user, "registration.self_assess", answer.registration)
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
    """The board's appraisal of one criterion. A change from the cell's own value needs a reason (audited).

    Never by who self-assessed the result, nor by the cell's own officers (``registration.appraise``)."""
    rights.require(acting_user, "registration.appraise", registration)
    rubric, rc, points = _open_answer(registration, criterion, rubric, points)
    answer, _created = AnnualAnswer.objects.get_or_create(registration=registration, criterion=criterion)
    before = audit_snapshot(answer, ["appraised_points", "appraised_achieved", "actual"])
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
    after = audit_snapshot(answer, ["appraised_points", "appraised_achieved", "actual"])
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
    rights.require(acting_user, "registration.confirm", registration)
    rubric = load_rubric(registration.framework)
    registration_rescore(registration, rubric)
    rating = year_rating_of(registration)
    result, outcome = compute_outcome(registration, rubric, rating)
    registration.year_rating = rating or ""
    registration.result = result
    registration.outcome = outcome
    registration.confirmed_at = timezone.now()
    registration.confirmed_by = acting_user if getattr(acting_user, "pk", None) else None
    registration.save(
        update_fields=["year_rating", "result", "outcome", "confirmed_at", "confirmed_by", bump_version(registration)]
    )
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
    rights.require(acting_user, "registration.reopen", registration)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the result.")})
    if registration.decisions.exists():
        raise ValidationError(_("A recognition decision names this cell; its result can no longer be reopened."))
    registration.confirmed_at = None
    registration.result = registration.outcome = ""
    registration.save(update_fields=["confirmed_at", "result", "outcome", bump_version(registration)])
    audit_record(
        acting_user=acting_user,
        action="annual.reopen",
        instance=registration,
        organization=registration.organization,
        reason=reason.strip(),
    )
    return registration
