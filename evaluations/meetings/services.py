"""Every write about cell meetings, their scores, supervision, guidance, model meetings and thematic plans.

Each service validates, writes inside a transaction and leaves an audit entry (who, when, before,
after). Views, the workbook import and the demo builder all come through here.

Scores: the secretary's self-assessment and the supervisor's appraisal are kept side by side on
:class:`MeetingScore`; the final answer of a criterion is the appraised value when given, else the
self-assessed one. Totals and levels come only from :func:`criteria.scoring.score`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import Member, Organization
from cells.scoping import Action, user_scope
from cells.services import audit_record
from criteria.scoring import Answer, Result, Rubric, score, to_decimal
from criteria.selectors import applicable_framework, load_rubric

from .models import (
    AgendaItem,
    Attendance,
    ContentGuidance,
    Meeting,
    MeetingKind,
    MeetingScore,
    MeetingStatus,
    ModelMeetingDesignation,
    Presence,
    SupervisionAssignment,
    SupervisionTeam,
    ThematicPlanItem,
)

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
    "guests",
    "attending_supervisor",
    "minutes_text",
    "lessons_learned",
    "designation",
]


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _snapshot(meeting: Meeting) -> dict:
    data = {name: _plain(getattr(meeting, name)) for name in MEETING_FIELDS}
    data["minutes_file"] = meeting.minutes_file.name if meeting.minutes_file else ""
    return data


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
        points, achieved = row.self_points, row.self_achieved
        if final:
            if row.appraised_points is not None:
                points = row.appraised_points
            if row.appraised_achieved is not None:
                achieved = row.appraised_achieved
        answers[row.code] = Answer(points=points, achieved=achieved)
    return answers


def score_meeting(meeting: Meeting, answers: Mapping[str, Answer], rubric: Rubric | None = None) -> Result | None:
    """The one scoring function applied to a meeting's cell."""
    rubric = rubric or meeting_rubric(meeting)
    if rubric is None:
        return None
    cell_type = meeting.organization.cell_type.code if meeting.organization.cell_type_id else None
    return score(rubric, answers, cell_type=cell_type, org_level=meeting.organization.level)


def _store_totals(meeting: Meeting) -> None:
    """Recompute the self and final totals from the score rows and store them on the meeting row."""
    rows = list(meeting.scores.all())
    self_result = score_meeting(meeting, answers_from_scores(rows, final=False))
    final_result = score_meeting(meeting, answers_from_scores(rows, final=True))
    meeting.self_total = self_result.total if self_result else None
    meeting.self_level = (self_result.level_code or "") if self_result else ""
    meeting.final_total = final_result.total if final_result else None
    meeting.final_level = (final_result.level_code or "") if final_result else ""
    meeting.final_key_full = bool(final_result and final_result.key_full)
    meeting.final_all_achieved = bool(final_result is None or final_result.all_achieved)


# --- Recording -----------------------------------------------------------------------------------


def _check(user, action: str, organization: Organization) -> None:
    if user is not None and not user_scope(user, action).covers(organization.path):
        raise PermissionDenied(_("You may not do this for %(org)s.") % {"org": organization})


def _apply_attendance(meeting: Meeting, attendance: Mapping[int, str] | None) -> None:
    """Per-member presence replaces the counts; the totals are derived from it."""
    if attendance is None:
        return
    member_ids = set(
        Member.objects.filter(organization=meeting.organization, pk__in=list(attendance)).values_list("pk", flat=True)
    )
    unknown = set(attendance) - member_ids
    if unknown:
        raise ValidationError(_("Some members are not on this cell's roster."))
    bad = {value for value in attendance.values() if value not in Presence.values}
    if bad:
        raise ValidationError(_("Unknown presence value."))
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=mid, presence=presence) for mid, presence in attendance.items()]
    )
    values = list(attendance.values())
    meeting.members_total = len(values)
    meeting.members_present = values.count(Presence.PRESENT)
    meeting.members_excused = values.count(Presence.EXCUSED)
    meeting.members_unexcused = values.count(Presence.UNEXCUSED)


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
    _check(acting_user, Action.RECORD, organization)
    meeting = Meeting(organization=organization, kind=kind, date=date, created_by=_user(acting_user), **fields)
    meeting.framework = framework or framework_for(organization, kind, date.year, fields.get("designation"))
    if minutes_file:
        meeting.minutes_file = minutes_file
    if attendance is not None:
        meeting.members_total = len(attendance)
        meeting.members_present = meeting.members_excused = meeting.members_unexcused = 0
    meeting.full_clean()
    meeting.save()
    _apply_attendance(meeting, attendance)
    _apply_agenda(meeting, agenda)
    _store_totals(meeting)
    meeting.full_clean()
    meeting.save()
    audit_record(
        acting_user=acting_user,
        action="meeting.create",
        instance=meeting,
        organization=organization,
        after=_snapshot(meeting),
    )
    return meeting


def framework_for(organization: Organization, kind: str, year: int, designation=None):
    """The meeting-quality rubric for a meeting: a model meeting is rated as the kind it was designated
    (regular or thematic) unless a framework exists for model meetings themselves."""
    found = applicable_framework(organization, "meeting", year, meeting_kind=kind)
    if found is None and kind == MeetingKind.MODEL:
        rated_as = designation.kind if designation is not None else MeetingKind.REGULAR
        found = applicable_framework(organization, "meeting", year, meeting_kind=rated_as)
    return found


def _locked(meeting: Meeting) -> Meeting:
    """The meeting re-read and locked for this transaction (only its own row: the cell type is outer-joined)."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("organization__cell_type").get(pk=meeting.pk)


def _user(user):
    return user if getattr(user, "pk", None) else None


def _refuse_locked(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise ValidationError(_("This meeting has been appraised and is locked. Staff can reopen it."))


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    acting_user,
    attendance: Mapping[int, str] | None = None,
    agenda: Iterable[AgendaLine] | None = None,
    minutes_file=None,
    **changes,
) -> Meeting:
    """Change what was recorded about a meeting that is not yet appraised."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _check(acting_user, Action.RECORD, meeting.organization)
    _refuse_locked(meeting)
    before = _snapshot(meeting)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"meeting_update cannot change {sorted(unknown)}")
    for key, value in changes.items():
        setattr(meeting, key, value)
    if minutes_file:
        meeting.minutes_file = minutes_file
    _apply_attendance(meeting, attendance)
    _apply_agenda(meeting, agenda)
    meeting.full_clean()
    meeting.save()
    after = _snapshot(meeting)
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


def _validate_value(criterion, points, achieved) -> None:
    if criterion.is_scored and points is not None:
        if points < 0 or points > criterion.max_points:
            raise ValidationError(
                {criterion.code: _("Between 0 and %(max)s points.") % {"max": criterion.max_points.normalize()}}
            )


@transaction.atomic
def meeting_self_assess(
    *,
    meeting: Meeting,
    values: Mapping[str, object],
    submit: bool = False,
    acting_user,
) -> Meeting:
    """Save the secretary's points for the rubric's leaf criteria (``code -> points`` or ``code -> bool``).

    Saved as a draft; with ``submit`` the meeting goes to its supervisor's queue.
    """
    meeting = _locked(meeting)
    _check(acting_user, Action.RECORD, meeting.organization)
    _refuse_locked(meeting)
    rubric = meeting_rubric(meeting)
    if rubric is None:
        raise ValidationError(_("No meeting-quality framework applies to this cell for this year."))
    leaves = {c.code: c for c in rubric.leaves()}
    existing = {row.code: row for row in meeting.scores.all()}
    before = {
        code: _plain(row.self_points if row.self_points is not None else row.self_achieved)
        for code, row in existing.items()
    }
    after = {}
    for code, raw in values.items():
        criterion = leaves.get(code)
        if criterion is None:
            raise ValidationError(_("%(code)s is not an item of this rubric.") % {"code": code})
        points = to_decimal(raw) if criterion.is_scored and not isinstance(raw, bool) else None
        achieved = bool(raw) if not criterion.is_scored and raw is not None else None
        _validate_value(criterion, points, achieved)
        row = existing.get(code) or MeetingScore(meeting=meeting, code=code)
        row.self_points, row.self_achieved = points, achieved
        row.save()
        after[code] = _plain(points if criterion.is_scored else achieved)
    _store_totals(meeting)
    if submit:
        meeting.status = MeetingStatus.SUBMITTED
        meeting.submitted_at = timezone.now()
        meeting.submitted_by = _user(acting_user)
    meeting.save(
        update_fields=[
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
    audit_record(
        acting_user=acting_user,
        action="meeting.submit" if submit else "meeting.self_assess",
        instance=meeting,
        organization=meeting.organization,
        before={"scores": before},
        after={"scores": {**before, **after}, "total": _plain(meeting.self_total), "level": meeting.self_level},
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
) -> Meeting:
    """A supervisor assigned to the cell (or staff) confirms the score, changing items with a reason.

    Only items whose value differs from the self-assessment are recorded as appraised; each needs a
    reason. The meeting is then locked.
    """
    meeting = _locked(meeting)
    _check(acting_user, Action.APPRAISE, meeting.organization)
    if meeting.status == MeetingStatus.APPRAISED:
        raise ValidationError(_("This meeting has already been appraised."))
    if meeting.status != MeetingStatus.SUBMITTED:
        raise ValidationError(_("The cell has not submitted its self-assessment yet."))
    rubric = meeting_rubric(meeting)
    leaves = {c.code: c for c in rubric.leaves()}
    existing = {row.code: row for row in meeting.scores.all()}
    errors, audit_before, audit_after = {}, {}, {}
    for code, change in changes.items():
        criterion = leaves.get(code)
        if criterion is None:
            raise ValidationError(_("%(code)s is not an item of this rubric.") % {"code": code})
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
                audit_before[code] = _plain(row.appraised_points if criterion.is_scored else row.appraised_achieved)
                audit_after[code] = None
                row.appraised_points = row.appraised_achieved = None
                row.reason = ""
                row.save()
            continue
        if not change.reason.strip():
            errors[code] = _("Give the reason for changing this item.")
            continue
        audit_before[code] = _plain(self_value if criterion.is_scored else bool(row.self_achieved))
        audit_after[code] = _plain(value)
        if criterion.is_scored:
            row.appraised_points = value
        else:
            row.appraised_achieved = value
        row.reason = change.reason.strip()
        row.save()
    if errors:
        raise ValidationError(errors)
    _store_totals(meeting)
    meeting.status = MeetingStatus.APPRAISED
    meeting.appraised_at = timezone.now()
    meeting.appraised_by = _user(acting_user)
    meeting.appraisal_note = note.strip()
    meeting.save()
    audit_record(
        acting_user=acting_user,
        action="meeting.appraise",
        instance=meeting,
        organization=meeting.organization,
        before={"scores": audit_before, "total": _plain(meeting.self_total), "level": meeting.self_level},
        after={"scores": audit_after, "total": _plain(meeting.final_total), "level": meeting.final_level},
        reason=note.strip(),
    )
    return meeting


@transaction.atomic
def meeting_reopen(*, meeting: Meeting, reason: str, acting_user) -> Meeting:
    """Staff reopen an appraised meeting (with a reason); the appraisal stays visible until redone."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _check(acting_user, Action.MANAGE, meeting.organization)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if meeting.status != MeetingStatus.APPRAISED:
        raise ValidationError(_("Only an appraised meeting can be reopened."))
    meeting.status = MeetingStatus.SUBMITTED
    meeting.save(update_fields=["status", "updated_at"])
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


# --- Supervision ---------------------------------------------------------------------------------


@transaction.atomic
def supervision_team_create(
    *, owner: Organization, name: str, members: Iterable, basis: str = "", acting_user
) -> SupervisionTeam:
    _check(acting_user, Action.MANAGE, owner)
    team = SupervisionTeam(owner=owner, name=name.strip(), basis=basis.strip())
    team.full_clean()
    team.save()
    team.members.set(list(members))
    audit_record(
        acting_user=acting_user,
        action="supervision_team.create",
        instance=team,
        organization=owner,
        after={"name": team.name, "members": sorted(m.pk for m in team.members.all())},
    )
    return team


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
    _check(acting_user, Action.MANAGE, organization)
    if team is not None and not organization.path.startswith(team.owner.path):
        raise ValidationError({"team": _("The team belongs to another committee.")})
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
    _check(acting_user, Action.MANAGE, assignment.organization)
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
    _check(acting_user, Action.MANAGE, organization)
    guidance = ContentGuidance(
        organization=organization,
        year=year,
        month=month,
        title=title.strip(),
        body=body.strip(),
        issued_by=_user(acting_user),
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
    _check(acting_user, Action.MANAGE, designated_by)
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
    _check(acting_user, Action.RECORD, organization)
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
    _check(acting_user, Action.RECORD, item.organization)
    audit_record(
        acting_user=acting_user,
        action="thematic_plan.remove",
        instance=item,
        organization=item.organization,
        before={"year": item.year, "quarter": item.quarter, "topic": item.topic_id, "subject": item.subject},
    )
    item.delete()


__all__ = [
    "AgendaLine",
    "AppraisalChange",
    "MeetingKind",
    "answers_from_scores",
    "designation_create",
    "guidance_issue",
    "meeting_appraise",
    "meeting_create",
    "meeting_reopen",
    "meeting_rubric",
    "meeting_self_assess",
    "meeting_update",
    "score_meeting",
    "supervision_assign",
    "supervision_end",
    "supervision_team_create",
    "thematic_plan_add",
    "thematic_plan_remove",
]


# --- Reminders -----------------------------------------------------------------------------------


def send_meeting_reminders(*, today: datetime.date | None = None) -> dict:
    """Email secretaries whose cell has no regular meeting for last month, and supervisors with
    appraisals waiting. Run by celery beat on the reminder day; returns what it sent."""
    from django.conf import settings
    from django.core.mail import send_mass_mail
    from django.utils import translation

    from . import selectors

    today = today or timezone.localdate()
    year, month = selectors.previous_month(today)
    missing = list(selectors.cells_without_meeting(None, year, month).only("pk", "name"))
    secretaries = selectors.secretaries_of([cell.pk for cell in missing])
    waiting = selectors.appraisals_waiting_by_supervisor()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        per_user: dict = {}
        for cell in missing:
            for user in secretaries.get(cell.pk, []):
                per_user.setdefault(user, []).append(cell.name)
        for user, names in per_user.items():
            if user.email:
                body = _("No meeting has been recorded for %(month)s for: %(cells)s. Please record it.") % {
                    "month": f"{month:02d}/{year}",
                    "cells": ", ".join(names),
                }
                messages.append((_("Reminder: record the cell meeting"), body, None, [user.email]))
        for user, count in waiting.items():
            if user.email:
                body = _("%(count)s meetings are waiting for your appraisal.") % {"count": count}
                messages.append((_("Reminder: meetings waiting for appraisal"), body, None, [user.email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"cells_missing": len(missing), "secretaries": len(per_user), "supervisors": len(waiting)}
