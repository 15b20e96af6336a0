"""The year's answers: a cell's self-assessment with evidence, the board's appraisal, the scoring of
the final answers, and the confirmation that locks a result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.concurrency import bump_version, check_version
from cells.services import audit_record, audit_snapshot, stored_user
from criteria.models import Criterion
from criteria.scoring import Answer, Rubric, final_answer, kept_unless_given, score
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
    if user is None:
        return
    registration.self_assessors.add(user)
    if registration.self_assessed_by_id != user.pk:
        registration.self_assessed_by = user
        registration.save(update_fields=["self_assessed_by"])


@transaction.atomic
def self_assessment_submit(*, registration: Registration, acting_user) -> Registration:
    rights.require(acting_user, "registration.self_assess", registration)
    registration.self_assessed_at = timezone.now()
    registration.save(update_fields=["self_assessed_at", bump_version(registration)])
    _mark_self_assessor(registration, acting_user)
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


# --- A whole page of answers, and a workbook's rows ----------------------------------------------


@dataclass(frozen=True)
class SelfAssessmentItem:
    """One criterion of the self-assessment page as the user typed it, with an evidence file if any."""

    criterion: Criterion
    points: object = None
    achieved: bool | None = None
    comment: str = ""
    actual: object = None
    target: object = None
    upload: object = None


class ItemsRefused(ValidationError):
    """Some items were refused, so nothing was saved. ``items``: criterion id -> the item's ValidationError
    (a refused evidence file under the key ``file``)."""

    def __init__(self, items: dict[int, ValidationError]):
        super().__init__(_("Nothing was saved. Correct the items marked below and send again."))
        self.items = items


def _each_in_a_savepoint(items, *, skip: set[int], apply) -> dict[int, ValidationError]:
    """``apply`` to every item not in ``skip`` (criterion ids), each in its own savepoint, so one refused
    item undoes only itself and every other is still checked: the pages show all the problems at once.
    Returns the refusals by criterion id."""
    refused: dict[int, ValidationError] = {}
    for item in items:
        if item.criterion.pk in skip:
            continue
        try:
            with transaction.atomic():
                apply(item)
        except ValidationError as exc:
            refused[item.criterion.pk] = exc
    return refused


def registration_self_assess(
    *,
    registration: Registration,
    items: Iterable[SelfAssessmentItem],
    unreadable: Iterable[int] = (),
    submit: bool = False,
    acting_user,
    expected_version: int | None = None,
    rubric: Rubric | None = None,
) -> Registration:
    """The cell's self-assessment page, all or nothing: every item through :func:`answer_self_save`, then
    each evidence file, the score, and with ``submit`` the submission.

    ``unreadable``: criterion ids whose values the page could not read (its own message is on the field);
    they are not saved and the submit is refused, but every other item is still checked so that all the
    problems show at once. When any item or file is refused nothing is written (:class:`ItemsRefused`),
    and the files already stored are deleted: a refused submit leaves none behind. ``expected_version``:
    the version the page was drawn from (cells/concurrency.py)."""
    items, unreadable = list(items), set(unreadable)
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            registration = registration_for_edit(registration=registration, expected_version=expected_version)
            refused: dict[int, ValidationError] = {}
            for item in items:
                if item.upload:
                    try:
                        validate_evidence(item.upload)
                    except ValidationError as exc:
                        refused[item.criterion.pk] = ValidationError({"file": exc.messages})
            refused |= _each_in_a_savepoint(
                items,
                skip=unreadable | set(refused),
                apply=lambda item: answer_self_save(
                    registration=registration,
                    criterion=item.criterion,
                    points=item.points,
                    achieved=item.achieved,
                    comment=item.comment,
                    actual=item.actual,
                    target=item.target,
                    acting_user=acting_user,
                    rubric=rubric,
                    rescore=False,
                ),
            )
            if refused or unreadable:
                raise ItemsRefused(refused)
            # Files are stored only once every item is accepted, so a refused submit leaves none behind.
            for item in items:
                if item.upload:
                    answer = AnnualAnswer.objects.get(registration=registration, criterion=item.criterion)
                    try:
                        stored.append(evidence_add(answer=answer, upload=item.upload, acting_user=acting_user))
                    except ValidationError as exc:
                        raise ItemsRefused({item.criterion.pk: ValidationError({"file": exc.messages})}) from exc
            registration_rescore(registration, rubric)
            if submit:
                self_assessment_submit(registration=registration, acting_user=acting_user)
    except ValidationError:
        for evidence in stored:  # the rows were rolled back; their files must not stay behind
            evidence.file.delete(save=False)
        raise
    return registration


@dataclass(frozen=True)
class AppraisalItem:
    """One criterion of the board's appraisal page (or an imported row), as given."""

    criterion: Criterion
    points: object = None
    achieved: bool | None = None
    actual: object = None
    reason: str = ""


def registration_appraise(
    *,
    registration: Registration,
    items: Iterable[AppraisalItem],
    unreadable: Iterable[int] = (),
    acting_user,
    expected_version: int | None = None,
    rubric: Rubric | None = None,
) -> Registration:
    """The board's appraisal page, all or nothing: every item through :func:`answer_appraise`, then the
    score. ``unreadable`` and the refusals as for :func:`registration_self_assess`."""
    items, unreadable = list(items), set(unreadable)
    with transaction.atomic():
        registration = registration_for_edit(registration=registration, expected_version=expected_version)
        refused = _each_in_a_savepoint(
            items,
            skip=unreadable,
            apply=lambda item: answer_appraise(
                registration=registration,
                criterion=item.criterion,
                points=item.points,
                achieved=item.achieved,
                actual=item.actual,
                reason=item.reason,
                acting_user=acting_user,
                rubric=rubric,
                rescore=False,
            ),
        )
        if refused or unreadable:
            raise ItemsRefused(refused)
        registration_rescore(registration, rubric)
    return registration


# The annual_results columns (WORKBOOK.md) that carry the cell's self-assessment, and the board's appraisal.
IMPORTED_SELF_FIELDS = ("self_points", "self_achieved", "actual", "target")
IMPORTED_APPRAISED_FIELDS = ("appraised_points", "appraised_achieved")


@dataclass(frozen=True)
class ImportedAnswer:
    """One ``annual_results`` row: the criterion and the values it gives by column key (None: the cell is
    empty or the column absent, which keeps what is stored: absent is not "no")."""

    criterion: Criterion
    values: dict


def imported_changes(answer: AnnualAnswer | None, values: dict) -> tuple[bool, bool]:
    """Whether a row changes (the self-assessment, the appraisal) of the stored answer."""

    def changes(fields) -> bool:
        return any(
            values.get(key) is not None and (answer is None or getattr(answer, key) != values[key]) for key in fields
        )

    return changes(IMPORTED_SELF_FIELDS), changes(IMPORTED_APPRAISED_FIELDS)


class RowsRefused(ValidationError):
    """Rows of an import refused: ``problems`` lists (criterion code, column key, message)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        super().__init__([message for _code, _column, message in problems])
        self.problems = problems


def _row_problems(exc: Exception, code: str, columns: dict[str, str], default: str) -> list[tuple[str, str, str]]:
    """A service's refusal of one row as (code, column, message): a field's messages under its column."""
    if isinstance(exc, PermissionDenied):
        return [(code, default, str(exc))]
    if not hasattr(exc, "error_dict"):
        return [(code, default, message) for message in exc.messages]
    return [
        (code, columns.get(name, default), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _kept_unless_given(answer: AnnualAnswer | None, values: dict, fields) -> dict:
    return {key: kept_unless_given(getattr(answer, key, None), values.get(key)) for key in fields}


@transaction.atomic
def annual_answers_import(
    *, registration: Registration, rows: Iterable[ImportedAnswer], acting_user, rubric: Rubric | None = None
) -> Registration:
    """A participant's rows of an ``annual_results`` sheet, through the pages' own services.

    The self values go through :func:`answer_self_save` (the cell's right, an open result, the framework's
    targets, the points' range), the appraised ones through :func:`answer_appraise` (the board's right,
    never by who self-assessed the result nor the cell's officers), each audited there; an empty cell keeps
    what is stored. One workbook brings the self-assessment or the appraisal of a result, not both
    (WORKBOOK.md, "Common rules"). A change of the cell's value keeps, as its reason, that it came from a
    workbook (the sheet has no reason column). The result is scored once; its version moves on, so a
    page drawn before the import refuses to save over it. Refusals: :class:`RowsRefused`."""
    registration = registration_for_edit(registration=registration, expected_version=None)
    rubric = rubric or load_rubric(registration.framework)
    stored = {a.criterion_id: a for a in AnnualAnswer.objects.filter(registration=registration)}
    assessing, appraising = [], []
    for row in rows:
        self_change, appraised_change = imported_changes(stored.get(row.criterion.pk), row.values)
        if self_change:
            assessing.append(row)
        if appraised_change:
            appraising.append(row)
    if assessing and appraising:
        message = _("This workbook also self-assesses the result: someone else imports its appraisal.")
        raise RowsRefused([(row.criterion.code, "appraised_points", message) for row in appraising])
    problems: list[tuple[str, str, str]] = []
    for row in assessing:
        answer = stored.get(row.criterion.pk)
        value = _kept_unless_given(answer, row.values, IMPORTED_SELF_FIELDS)
        try:
            with transaction.atomic():
                answer_self_save(
                    registration=registration,
                    criterion=row.criterion,
                    points=value["self_points"],
                    achieved=value["self_achieved"],
                    comment=answer.comment if answer else "",
                    actual=value["actual"],
                    target=value["target"],
                    acting_user=acting_user,
                    rubric=rubric,
                    rescore=False,
                )
        except (ValidationError, PermissionDenied) as exc:
            columns = {"points": "self_points", "achieved": "self_achieved", "actual": "actual", "target": "target"}
            problems += _row_problems(exc, row.criterion.code, columns, "self_points")
    reason = _("Appraised on paper, brought in from a workbook.")
    for row in appraising:
        answer = stored.get(row.criterion.pk)
        value = _kept_unless_given(answer, row.values, IMPORTED_APPRAISED_FIELDS)
        try:
            with transaction.atomic():
                answer_appraise(
                    registration=registration,
                    criterion=row.criterion,
                    points=value["appraised_points"],
                    achieved=value["appraised_achieved"],
                    reason=reason,
                    acting_user=acting_user,
                    rubric=rubric,
                    rescore=False,
                )
        except (ValidationError, PermissionDenied) as exc:
            columns = {"points": "appraised_points", "achieved": "appraised_achieved"}
            problems += _row_problems(exc, row.criterion.code, columns, "appraised_points")
    if problems:
        raise RowsRefused(problems)
    if assessing or appraising:
        registration_rescore(registration, rubric)
    return registration


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
