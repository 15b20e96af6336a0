"""A meeting's record and its score: recording, the secretary's self-assessment, the supervisor's
appraisal (which locks it) and reopening.

Scores: the self-assessment and the appraisal are kept side by side on :class:`MeetingScore`; the
final answer of a criterion is the appraised value when given, else the self-assessed one. Totals
and levels come only from :func:`criteria.scoring.score`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.concurrency import bump_version, check_version
from cells.models import Member, Organization
from cells.scoping import Action, require_scope
from cells.services import audit_record, audit_snapshot, audit_value, stored_user
from criteria.models import MeetingScope
from criteria.scoring import Answer, MeetingFacts, Result, Rubric, final_answer, score, to_decimal
from criteria.selectors import applicable_framework, load_rubric
from criteria.templatetags.criteria_tags import num

from ...evidence import validate_evidence
from .. import notices
from .. import rights as meeting_rights  # noqa: F401  (declares the meeting rights)
from ..models import (
    DATE_FACTS,
    FACT_FIELDS,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingScore,
    MeetingStatus,
    Presence,
)
from . import summaries

MEETING_FIELDS = [
    "kind",
    "date",
    "topic",
    "subject",
    "duration_minutes",
    "members_total",
    "members_present",
    "members_excused",
    "members_unexcused",
    "members_spoke",
    "documents_sent_on",
    "minutes_filed_on",
    "guests",
    "attending_supervisor",
    "minutes_text",
    "lessons_learned",
    "designation",
]
# The audit entry of a record also names the minutes file it keeps.
AUDITED_FIELDS = [*MEETING_FIELDS, "minutes_file"]


@dataclass(frozen=True)
class AgendaLine:
    title: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


# --- Scoring -------------------------------------------------------------------------------------


def meeting_rubric(meeting: Meeting) -> Rubric | None:
    """The rubric of the meeting's framework (cached on the instance for the rest of the request)."""
    if meeting.framework_id is None:
        return None
    cached = meeting.__dict__.get("_rubric")
    if cached is None or cached.framework_id != meeting.framework_id:
        cached = load_rubric(meeting.framework)
        meeting.__dict__["_rubric"] = cached
    return cached


def answers_from_scores(scores: Iterable[MeetingScore], *, final: bool) -> dict[str, Answer]:
    """Answers keyed by criterion code: the self-assessment, or (``final``) the appraisal over it."""
    answers = {}
    for row in scores:
        if final:
            answers[row.code] = final_answer(
                self_points=row.self_points,
                self_achieved=row.self_achieved,
                appraised_points=row.appraised_points,
                appraised_achieved=row.appraised_achieved,
            )
        else:
            answers[row.code] = Answer(points=row.self_points, achieved=row.self_achieved)
    return answers


def meeting_facts(meeting: Meeting, *, final: bool) -> MeetingFacts:
    """The facts a rubric's measures read: as recorded, or (``final``) with the appraiser's corrections."""
    facts = meeting.final_facts() if final else meeting.recorded_facts()
    return MeetingFacts(date=meeting.date, **facts)


def score_meeting(
    meeting: Meeting,
    answers: Mapping[str, Answer],
    rubric: Rubric | None = None,
    *,
    final: bool = True,
    facts: MeetingFacts | None = None,
) -> Result | None:
    """The one scoring function applied to a meeting: its cell, its kind and its facts (as recorded for the
    self-assessment, corrected for the final score; ``facts`` given: those, e.g. a page's unsaved values)."""
    rubric = rubric or meeting_rubric(meeting)
    if rubric is None:
        return None
    cell_type = meeting.organization.cell_type.code if meeting.organization.cell_type_id else None
    return score(
        rubric,
        answers,
        cell_type=cell_type,
        org_level=meeting.organization.level,
        meeting_kind=meeting.kind,
        facts=facts or meeting_facts(meeting, final=final),
    )


def _store_totals(meeting: Meeting) -> None:
    """Recompute the self and final totals from the score rows and the facts and store them on the meeting."""
    rows = list(meeting.scores.all())
    self_result = score_meeting(meeting, answers_from_scores(rows, final=False), final=False)
    final_result = score_meeting(meeting, answers_from_scores(rows, final=True), final=True)
    meeting.self_total = self_result.total if self_result else None
    meeting.self_level = (self_result.level_code or "") if self_result else ""
    meeting.final_total = final_result.total if final_result else None
    meeting.final_level = (final_result.level_code or "") if final_result else ""
    meeting.final_key_full = bool(final_result and final_result.key_full)
    meeting.final_all_achieved = bool(final_result is None or final_result.all_achieved)


TOTAL_FIELDS = ["self_total", "self_level", "final_total", "final_level", "final_key_full", "final_all_achieved"]


def rescored(meeting: Meeting) -> list[str]:
    """After a service changed a fact the rubric may read (the checklist's documents day, the signed
    minutes' filing day): the stored totals scored again; returns the fields to add to its ``update_fields``."""
    _store_totals(meeting)
    return TOTAL_FIELDS


# --- Recording -----------------------------------------------------------------------------------


def _count_attendance(meeting: Meeting, attendance: Mapping[int, str] | None) -> None:
    """Per-member presence replaces the counts. Members exempt from meetings are left out of every count
    (WORKBOOK ``members_total``: the members expected to attend), whatever presence was ticked for them.
    Checks that each member is on the cell's roster; writes nothing."""
    if attendance is None:
        return
    exempt_of = dict(
        Member.objects.filter(organization=meeting.organization, pk__in=list(attendance)).values_list("pk", "exempt")
    )
    unknown = set(attendance) - set(exempt_of)
    if unknown:
        raise ValidationError(_("Some members are not on this cell's roster."))
    bad = {value for value in attendance.values() if value not in Presence.values}
    if bad:
        raise ValidationError(_("Unknown presence value."))
    counts = attendance_counts(attendance, {mid for mid, exempt in exempt_of.items() if exempt})
    meeting.members_total, meeting.members_present, meeting.members_excused, meeting.members_unexcused = counts


def attendance_counts(attendance: Mapping[int, str], exempt_ids: set[int]) -> tuple[int, int, int, int]:
    """(expected, present, absent with leave, absent without leave) from per-member presence, the members
    exempt from meetings left out: the record's counts, and the record page's live preview of them."""
    values = [presence for mid, presence in attendance.items() if mid not in exempt_ids]
    return (
        len(values),
        values.count(Presence.PRESENT),
        values.count(Presence.EXCUSED),
        values.count(Presence.UNEXCUSED),
    )


def _write_attendance(meeting: Meeting, attendance: Mapping[int, str] | None) -> None:
    """The presence rows behind the counts (after :func:`_count_attendance` checked them)."""
    if attendance is None:
        return
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=mid, presence=presence) for mid, presence in attendance.items()]
    )


def _apply_agenda(meeting: Meeting, agenda: Iterable[AgendaLine] | None) -> None:
    if agenda is None:
        return
    meeting.agenda.all().delete()
    items = []
    for order, line in enumerate(agenda, 1):
        if not line.title.strip():
            continue
        item = AgendaItem(
            meeting=meeting,
            order=order,
            title=line.title.strip(),
            votes_for=line.votes_for or 0,
            votes_against=line.votes_against or 0,
            votes_abstain=line.votes_abstain or 0,
        )
        item.full_clean(exclude=["meeting"])
        items.append(item)
    AgendaItem.objects.bulk_create(items)


@transaction.atomic
def meeting_create(
    *,
    organization: Organization,
    kind: str,
    date: datetime.date,
    acting_user,
    attendance: Mapping[int, str] | None = None,
    agenda: Iterable[AgendaLine] | None = None,
    minutes_file=None,
    framework=None,
    **fields,
) -> Meeting:
    """Record a meeting of a cell. The rubric is the meeting framework that applies to the cell that year."""
    require_scope(acting_user, Action.RECORD, organization)
    _check_minutes(minutes_file)
    meeting = Meeting(organization=organization, kind=kind, date=date, created_by=stored_user(acting_user), **fields)
    if framework is not None:
        rights.require(acting_user, "framework.use", framework)
    meeting.framework = framework or framework_for(organization, kind, date.year, fields.get("designation"))
    if minutes_file:
        meeting.minutes_file = minutes_file
    _count_attendance(meeting, attendance)
    meeting.full_clean()
    _save_holding_the_month(meeting)
    _write_attendance(meeting, attendance)
    _apply_agenda(meeting, agenda)
    _store_totals(meeting)
    meeting.full_clean()
    meeting.save()
    summaries.meeting_saved(meeting)
    audit_record(
        acting_user=acting_user,
        action="meeting.create",
        instance=meeting,
        organization=organization,
        after=audit_snapshot(meeting, AUDITED_FIELDS),
    )
    return meeting


def _check_minutes(minutes_file) -> None:
    """Minutes are checked like evidence: detected type (PDF, image, office document), size, not empty."""
    if minutes_file:
        try:
            validate_evidence(minutes_file)
        except ValidationError as exc:
            raise ValidationError({"minutes_file": exc.messages}) from exc


def _save_holding_the_month(meeting: Meeting) -> None:
    """Save, turning a lost race for the month (or the day and kind) into the form's message.

    ``full_clean`` already refused a month or a day that is taken, but two submissions at the same
    moment both pass that check; the database constraint then refuses the second insert (on PostgreSQL
    it waits for the first to commit). That refusal reads as the same message, not as a server error."""
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        taken = Meeting.taken_refusal(meeting.organization_id, meeting.date, meeting.kind, meeting.pk)
        if not taken:
            raise
        raise ValidationError({"date": taken}) from None


# The meeting kinds whose rubric a framework names differently: a grassroots organisation's general
# meeting (WORKBOOK v3 ``general``) is rated on a rubric for "party organisation meetings".
RUBRIC_SCOPE = {MeetingKind.GENERAL: MeetingScope.ORGANIZATION}


def framework_for(organization: Organization, kind: str, year: int, designation=None):
    """The meeting-quality rubric for a meeting: a model meeting is rated as the kind it was designated
    (regular or thematic) unless a framework exists for model meetings themselves; a grassroots
    organisation's meetings by the rubric for its level and that kind (``org_levels``, ``meeting_kind``)."""
    found = applicable_framework(organization, "meeting", year, meeting_kind=RUBRIC_SCOPE.get(kind, kind))
    if found is None and kind == MeetingKind.MODEL:
        rated_as = designation.kind if designation is not None else MeetingKind.REGULAR
        found = applicable_framework(organization, "meeting", year, meeting_kind=rated_as)
    return found


def _locked(meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """The meeting re-read and locked for this transaction (only its own row: the cell type is outer-joined).

    With ``expected_version`` (the version the user's page was drawn from), a meeting saved by someone
    else since then is refused (cells/concurrency.py)."""
    locked = (
        Meeting.objects.select_for_update(of=("self",)).select_related("organization__cell_type").get(pk=meeting.pk)
    )
    check_version(locked, expected_version, what=_("meeting"))
    return summaries.remember(locked)


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    acting_user,
    attendance: Mapping[int, str] | None = None,
    agenda: Iterable[AgendaLine] | None = None,
    minutes_file=None,
    framework=None,
    expected_version: int | None = None,
    **changes,
) -> Meeting:
    """Change what was recorded about a meeting that is not yet appraised.

    ``framework``: another published rubric the user may use (a workbook names it); the totals are
    scored again on it. ``expected_version``: the version the user's page showed; a meeting saved since
    is refused."""
    meeting = _locked(meeting, expected_version)
    rights.require(acting_user, "meeting.record", meeting)
    before = audit_snapshot(meeting, [*AUDITED_FIELDS, "framework"])
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"meeting_update cannot change {sorted(unknown)}")
    for key, value in changes.items():
        setattr(meeting, key, value)
    _check_minutes(minutes_file)
    if minutes_file:
        meeting.minutes_file = minutes_file
    _count_attendance(meeting, attendance)
    _write_attendance(meeting, attendance)
    _apply_agenda(meeting, agenda)
    if framework is not None and framework.pk != meeting.framework_id:
        rights.require(acting_user, "framework.use", framework)
        meeting.framework = framework
    _store_totals(meeting)  # the facts (or the rubric) may have changed: the computed items follow
    meeting.full_clean()
    bump_version(meeting)
    _save_holding_the_month(meeting)
    summaries.meeting_saved(meeting)
    after = audit_snapshot(meeting, [*AUDITED_FIELDS, "framework"])
    if before != after or agenda is not None:
        audit_record(
            acting_user=acting_user,
            action="meeting.update",
            instance=meeting,
            organization=meeting.organization,
            before=before,
            after=after,
        )
    return meeting


# --- Self-assessment -----------------------------------------------------------------------------


def points_refusal(criterion, points) -> str | None:
    """Why ``points`` cannot be a scored leaf's value (outside 0..max_points), or None."""
    if criterion.is_scored and points is not None and (points < 0 or points > criterion.max_points):
        return _("Between 0 and %(max)s points.") % {"max": num(criterion.max_points)}
    return None


def computed_refusal(criterion) -> str | None:
    """Why nobody types points for ``criterion``: it is scored from the meeting's facts (WORKBOOK v3)."""
    if criterion.is_computed:
        return _("%(code)s is scored from the meeting's facts: correct the fact, not the points.") % {
            "code": criterion.code
        }
    return None


def _typed_leaf(leaves: Mapping, code: str):
    """The leaf ``code`` of the rubric that takes typed values; refuses an unknown code and a computed leaf."""
    criterion = leaves.get(code)
    if criterion is None:
        raise ValidationError(_("%(code)s is not an item of this rubric.") % {"code": code})
    if refusal := computed_refusal(criterion):
        raise ValidationError({code: refusal})
    return criterion


def _validate_value(criterion, points, achieved) -> None:
    if reason := points_refusal(criterion, points):
        raise ValidationError({criterion.code: reason})


@transaction.atomic
def meeting_self_assess(
    *,
    meeting: Meeting,
    values: Mapping[str, object],
    submit: bool = False,
    acting_user,
    expected_version: int | None = None,
) -> Meeting:
    """Save the secretary's points for the rubric's leaf criteria (``code -> points`` or ``code -> bool``).

    Saved as a draft; with ``submit`` the meeting goes to its supervisor's queue. ``expected_version``:
    the version the user's page showed; a meeting saved since is refused. Whoever changes a value or
    submits is kept among the meeting's self-assessors, a draft save included: none of them appraises it.
    """
    meeting = _locked(meeting, expected_version)
    rights.require(acting_user, "meeting.record", meeting)
    rubric = meeting_rubric(meeting)
    if rubric is None:
        raise ValidationError(_("No meeting-quality framework applies to this cell for this year."))
    leaves = {c.code: c for c in rubric.leaves()}
    existing = {row.code: row for row in meeting.scores.all()}
    before = {
        code: audit_value(row.self_points if row.self_points is not None else row.self_achieved)
        for code, row in existing.items()
    }
    after = {}
    for code, raw in values.items():
        criterion = _typed_leaf(leaves, code)
        points = to_decimal(raw) if criterion.is_scored and not isinstance(raw, bool) else None
        achieved = bool(raw) if not criterion.is_scored and raw is not None else None
        _validate_value(criterion, points, achieved)
        row = existing.get(code) or MeetingScore(meeting=meeting, code=code)
        row.self_points, row.self_achieved = points, achieved
        row.save()
        after[code] = audit_value(points if criterion.is_scored else achieved)
    _store_totals(meeting)
    if (submit or after != {code: before.get(code) for code in after}) and stored_user(acting_user):
        meeting.self_assessors.add(acting_user)
    if submit:
        meeting.status = MeetingStatus.SUBMITTED
        meeting.submitted_at = timezone.now()
        meeting.submitted_by = stored_user(acting_user)
    meeting.save(
        update_fields=[
            bump_version(meeting),
            "self_total",
            "self_level",
            "final_total",
            "final_level",
            "final_key_full",
            "final_all_achieved",
            "status",
            "submitted_at",
            "submitted_by",
            "updated_at",
        ]
    )
    summaries.meeting_saved(meeting)
    audit_record(
        acting_user=acting_user,
        action="meeting.submit" if submit else "meeting.self_assess",
        instance=meeting,
        organization=meeting.organization,
        before={"scores": before},
        after={"scores": {**before, **after}, "total": audit_value(meeting.self_total), "level": meeting.self_level},
    )
    return meeting


# --- Appraisal -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppraisalChange:
    value: object
    reason: str = ""


@transaction.atomic
def meeting_appraise(
    *,
    meeting: Meeting,
    changes: Mapping[str, AppraisalChange],
    note: str = "",
    acting_user,
    expected_version: int | None = None,
    facts: Mapping[str, AppraisalChange] | None = None,
) -> Meeting:
    """A supervisor assigned to the cell (or staff) confirms the score, changing items with a reason.

    Never the meeting's author or submitter, nor the cell's own officers (``meeting.appraise``).

    Only items whose value differs from the self-assessment are recorded as appraised; each needs a
    reason. ``facts`` (fact name -> value and reason) correct the recorded facts the computed items read
    (WORKBOOK v3: what is appraised is the fact); a correction needs a reason too, and the computed items'
    points follow. The meeting is then locked. ``expected_version`` as for :func:`meeting_self_assess`.
    """
    meeting = _locked(meeting, expected_version)
    rights.require(acting_user, "meeting.appraise", meeting)
    rubric = meeting_rubric(meeting)
    leaves = {c.code: c for c in rubric.leaves()}
    existing = {row.code: row for row in meeting.scores.all()}
    errors, audit_before, audit_after = {}, {}, {}
    facts_before, facts_after = _correct_facts(meeting, facts or {}, errors)
    for code, change in changes.items():
        criterion = _typed_leaf(leaves, code)
        row = existing.get(code) or MeetingScore(meeting=meeting, code=code)
        if criterion.is_scored:
            value = to_decimal(change.value)
            _validate_value(criterion, value, None)
            self_value = row.self_points if row.self_points is not None else Decimal(0)
            changed = value is not None and value != self_value
        else:
            value = bool(change.value)
            changed = value != bool(row.self_achieved)
        if not changed:
            if row.pk and (row.appraised_points is not None or row.appraised_achieved is not None):
                # A reopened meeting appraised again: an item back at the cell's value has no change.
                audit_before[code] = audit_value(
                    row.appraised_points if criterion.is_scored else row.appraised_achieved
                )
                audit_after[code] = None
                row.appraised_points = row.appraised_achieved = None
                row.reason = ""
                row.save()
            continue
        if not change.reason.strip():
            errors[code] = _("Give the reason for changing this item.")
            continue
        audit_before[code] = audit_value(self_value if criterion.is_scored else bool(row.self_achieved))
        audit_after[code] = audit_value(value)
        if criterion.is_scored:
            row.appraised_points = value
        else:
            row.appraised_achieved = value
        row.reason = change.reason.strip()
        row.save()
    if errors:
        raise ValidationError(errors)
    _store_totals(meeting)
    # Each corrected fact under its own field name (the history names it by its label), with the reasons.
    fact_audit: tuple[dict, dict] = (facts_before, dict(facts_after))
    reasons = [
        f"{Meeting._meta.get_field(name).verbose_name}: {meeting.fact_corrections[name]['reason']}"
        for name in facts_after
        if name in meeting.fact_corrections
    ]
    if reasons:
        fact_audit[1]["fact_reasons"] = "; ".join(reasons)
    meeting.status = MeetingStatus.APPRAISED
    meeting.appraised_at = timezone.now()
    meeting.appraised_by = stored_user(acting_user)
    meeting.appraisal_note = note.strip()
    bump_version(meeting)
    meeting.save()
    summaries.meeting_saved(meeting)
    audit_record(
        acting_user=acting_user,
        action="meeting.appraise",
        instance=meeting,
        organization=meeting.organization,
        before={
            "scores": audit_before,
            **fact_audit[0],
            "total": audit_value(meeting.self_total),
            "level": meeting.self_level,
        },
        after={
            "scores": audit_after,
            **fact_audit[1],
            "total": audit_value(meeting.final_total),
            "level": meeting.final_level,
        },
        reason=note.strip(),
    )
    notices.meeting_appraised(meeting)
    return meeting


def _fact_value(name: str, value):
    """A corrected fact as typed: a whole number of minutes or members, or a day; None is "not recorded"."""
    if value is None or value == "":
        return None
    if name in DATE_FACTS:
        if not isinstance(value, datetime.date):
            raise ValidationError({name: _("Enter a valid date.")})
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise ValidationError({name: _("Enter a whole number, 0 or more.")})
    return int(text)


def _correct_facts(meeting: Meeting, facts: Mapping[str, AppraisalChange], errors: dict) -> tuple[dict, dict]:
    """Apply the appraiser's fact corrections to ``meeting.fact_corrections`` (not saved here): a value other
    than the recorded one needs a reason and is kept with it; the recorded value again drops the correction.
    Refusals go into ``errors`` by fact name. Returns the audited (before, after) of the corrected facts."""
    corrections = dict(meeting.fact_corrections or {})
    before = {name: audit_value(value) for name, value in meeting.final_facts().items()}
    recorded = meeting.recorded_facts()
    for name, change in facts.items():
        if name not in FACT_FIELDS:
            raise ValueError(f"not a meeting fact: {name!r}")
        try:
            value = _fact_value(name, change.value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if value == recorded[name]:
            corrections.pop(name, None)
            continue
        if not change.reason.strip():
            errors[name] = _("Give the reason for correcting this fact.")
            continue
        stored = value.isoformat() if isinstance(value, datetime.date) else value
        corrections[name] = {"value": stored, "reason": change.reason.strip()}
    meeting.fact_corrections = corrections
    final = meeting.final_facts()
    for name, message in meeting.fact_errors(final).items():
        if name in facts or name in corrections:
            errors.setdefault(name, message)
    after = {name: audit_value(value) for name, value in final.items()}
    changed = {name for name in after if after[name] != before[name]}
    return {n: before[n] for n in changed}, {n: after[n] for n in changed}


# --- Scores from a workbook ----------------------------------------------------------------------


def imported_appraisal_reason() -> str:
    """The reason kept on each item a workbook appraises (the sheet has no reason column: the appraisal
    and its reasons were made on paper)."""
    return _("Appraised on paper, brought in from a workbook.")


@transaction.atomic
def meeting_scores_import(
    *,
    meeting: Meeting,
    self_values: Mapping[str, object],
    appraised_values: Mapping[str, object],
    acting_user,
) -> Meeting:
    """One meeting's rows of a ``meeting_scores`` sheet (WORKBOOK.md), through the pages' own services.

    ``self_values`` (criterion code -> points) are the cell's self-assessment made on paper: saved by
    :func:`meeting_self_assess` and submitted, since an imported self-assessment counts as submitted.
    ``appraised_values`` are the supervisor's appraisal: saved by :func:`meeting_appraise`, so only of a
    meeting waiting for appraisal, never by who recorded, self-assessed or submitted it, and it locks the
    meeting. One workbook may not bring both for one meeting. No version is expected (an import draws no
    page), but the version moves on, so a page drawn before the import refuses to save over it.

    Refusals come back as a ValidationError whose keys are the sheet's columns (``self_points``,
    ``appraised_points``); a refused scope reads the same (the meeting was visible to the importer)."""
    if self_values and appraised_values:
        raise ValidationError(
            {
                "appraised_points": _(
                    "This workbook also self-assesses the meeting: someone else must import its appraisal."
                )
            }
        )
    column = "self_points" if self_values else "appraised_points"
    try:
        if self_values:
            return meeting_self_assess(meeting=meeting, values=self_values, submit=True, acting_user=acting_user)
        reason = imported_appraisal_reason()
        return meeting_appraise(
            meeting=meeting,
            changes={code: AppraisalChange(value, reason) for code, value in appraised_values.items()},
            note=reason,
            acting_user=acting_user,
        )
    except PermissionDenied as exc:
        raise ValidationError({column: [str(exc)]}) from exc
    except ValidationError as exc:
        raise ValidationError({column: _item_messages(exc)}) from exc


def _item_messages(exc: ValidationError) -> list[str]:
    """The messages of a refusal, each item's prefixed with its criterion code ("1.1: Between 0 and 10")."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        message if key == NON_FIELD_ERRORS else f"{key}: {message}"
        for key, messages in exc.message_dict.items()
        for message in messages
    ]


@transaction.atomic
def meeting_reopen(*, meeting: Meeting, reason: str, acting_user) -> Meeting:
    """Staff reopen an appraised meeting (with a reason); the appraisal stays visible until redone."""
    meeting = summaries.remember(
        Meeting.objects.select_for_update(of=("self",)).select_related("organization").get(pk=meeting.pk)
    )
    require_scope(acting_user, Action.MANAGE, meeting.organization)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    rights.require(acting_user, "meeting.reopen", meeting)
    meeting.status = MeetingStatus.SUBMITTED
    meeting.save(update_fields=["status", bump_version(meeting), "updated_at"])
    summaries.meeting_saved(meeting)
    audit_record(
        acting_user=acting_user,
        action="meeting.reopen",
        instance=meeting,
        organization=meeting.organization,
        before={"status": MeetingStatus.APPRAISED},
        after={"status": MeetingStatus.SUBMITTED},
        reason=reason.strip(),
    )
    return meeting
