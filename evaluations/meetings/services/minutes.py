"""Writes of a meeting's preparation checklist, its minutes, the votes on its items and the minutes
template (issue 24: seed 001 L2 and L4, seed 004 B5).

Each service checks the right (``meeting.record`` for what the cell writes about its meeting; the scope
``manage`` on the committee for what a committee defines), writes in a transaction, moves the meeting's
version where the meeting changes, and leaves one audit entry (who, when, before, after)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells import rights
from cells.concurrency import bump_version
from cells.dates import check_day
from cells.models import Member, Organization
from cells.scoping import Action, require_scope
from cells.services import audit_record, audit_value, stored_user

from .. import rights as meeting_rights  # noqa: F401  (declares the meeting rights)
from ..minutes import PLACEHOLDERS, meeting_steps, unknown_placeholders
from ..minutes_models import MinutesTemplate, PreparationFact, PreparationStep, PreparationTick
from ..models import AgendaItem, Meeting
from . import summaries
from .recording import _check_minutes, _locked, rescored

# --- The checklist a committee defines, per rubric ---------------------------------------------------


@transaction.atomic
def preparation_step_save(
    *,
    framework,
    title: str,
    acting_user,
    fact: str = "",
    days_before: int | None = None,
    order: int | None = None,
    step: PreparationStep | None = None,
) -> PreparationStep:
    """Add a step to a rubric's checklist (or change ``step``): the staff of the committee that owns it.

    Steps are not scored, so a published (frozen) rubric keeps taking them; a step already ticked on a
    meeting keeps its ticks when its wording changes."""
    require_scope(acting_user, Action.MANAGE, framework.owner)
    if fact not in PreparationFact.values:
        raise ValidationError({"fact": _("Unknown meeting fact.")})
    if step is not None and step.framework_id != framework.pk:
        raise ValidationError(_("This step belongs to another rubric."))
    before = _step_values(step) if step else None
    step = step or PreparationStep(framework=framework)
    if order is None and step.pk is None:
        order = (framework.preparation_steps.count() + 1) * 10
    step.title = (title or "").strip()
    step.fact = fact
    step.days_before = days_before
    if order is not None:
        step.order = order
    if not step.title:
        raise ValidationError({"title": _("Name the step.")})
    if fact and framework.preparation_steps.filter(fact=fact, is_active=True).exclude(pk=step.pk).exists():
        raise ValidationError({"fact": _("Another step of this rubric already sets this fact.")})
    step.full_clean()
    step.save()
    audit_record(
        acting_user=acting_user,
        action="preparation_step.save",
        instance=step,
        organization=framework.owner,
        before=before,
        after=_step_values(step),
    )
    return step


def _step_values(step: PreparationStep) -> dict:
    return {"title": step.title, "fact": step.fact, "days_before": step.days_before, "order": step.order}


@transaction.atomic
def preparation_step_remove(*, step: PreparationStep, acting_user) -> None:
    """Take a step off the checklist. A step some meeting ticked stays on that meeting (retired, not deleted)."""
    require_scope(acting_user, Action.MANAGE, step.framework.owner)
    before = _step_values(step)
    if step.ticks.exists():
        step.is_active = False
        step.save(update_fields=["is_active"])
    else:
        step.delete()
    audit_record(
        acting_user=acting_user,
        action="preparation_step.remove",
        instance=step,
        organization=step.framework.owner,
        before=before,
        after=None,
    )


# --- The secretary ticks the steps of a meeting ------------------------------------------------------


@transaction.atomic
def meeting_preparation_save(
    *,
    meeting: Meeting,
    done: Mapping[int, datetime.date | None],
    acting_user,
    expected_version: int | None = None,
) -> Meeting:
    """Tick (step id -> the day it was done) or untick (-> None) the steps of the meeting's checklist (audited,
    with the documents' day when a step sets it).

    A step that stands for a meeting fact sets it: the "documents sent" step's day is the meeting's
    ``documents_sent_on`` (unticked, the fact is cleared). A day after the meeting is refused: preparation
    comes before."""
    meeting = _locked(meeting, expected_version)
    rights.require(acting_user, "meeting.record", meeting)
    steps = {step.pk: step for step in meeting_steps(meeting)}
    ticks = {tick.step_id: tick for tick in meeting.preparation.all()}
    before = {steps[pk].title if pk in steps else str(pk): audit_value(t.done_on) for pk, t in ticks.items()}
    documents_before = meeting.documents_sent_on
    errors = {}
    for step_id, day in done.items():
        step = steps.get(step_id)
        if step is None:
            raise ValidationError(_("This step is not on the meeting's checklist."))
        if day is not None:
            try:
                check_day(day)
            except ValidationError as exc:
                errors[f"step_{step_id}"] = exc.messages
                continue
            if day > meeting.date:
                errors[f"step_{step_id}"] = [_("A preparation step is done before the meeting, not after it.")]
                continue
        tick = ticks.get(step_id)
        if day is None:
            if tick is not None:
                tick.delete()
                ticks.pop(step_id)
        else:
            tick = tick or PreparationTick(meeting=meeting, step=step)
            tick.done_on, tick.ticked_by = day, stored_user(acting_user)
            tick.save()
            ticks[step_id] = tick
        if step.fact == PreparationFact.DOCUMENTS_SENT:
            meeting.documents_sent_on = day
    if errors:
        raise ValidationError(errors)
    after = {steps[pk].title if pk in steps else str(pk): audit_value(t.done_on) for pk, t in ticks.items()}
    meeting.save(update_fields=[bump_version(meeting), "updated_at", "documents_sent_on", *rescored(meeting)])
    summaries.meeting_saved(meeting)
    if after != before or meeting.documents_sent_on != documents_before:
        audit_record(
            acting_user=acting_user,
            action="meeting.prepare",
            instance=meeting,
            organization=meeting.organization,
            before={"steps": before, "documents_sent_on": audit_value(documents_before)},
            after={"steps": after, "documents_sent_on": audit_value(meeting.documents_sent_on)},
        )
    return meeting


# --- The minutes -------------------------------------------------------------------------------------

MINUTES_FIELDS = ["place", "started_at", "chair", "recorder", "minutes_text", "conclusions"]


@transaction.atomic
def meeting_minutes_update(*, meeting: Meeting, acting_user, expected_version: int | None = None, **changes) -> Meeting:
    """What the minutes print beside the record: place, time, who chaired and who kept the minutes (members
    of the cell's roster), the discussion and the conclusions."""
    meeting = _locked(meeting, expected_version)
    rights.require(acting_user, "meeting.record", meeting)
    unknown = set(changes) - set(MINUTES_FIELDS)
    if unknown:
        raise ValueError(f"meeting_minutes_update cannot change {sorted(unknown)}")
    for role in ("chair", "recorder"):
        member = changes.get(role)
        if member is not None and (not isinstance(member, Member) or member.organization_id != meeting.organization_id):
            raise ValidationError({role: _("Choose a member of this cell's roster.")})
    before = {name: audit_value(getattr(meeting, name)) for name in MINUTES_FIELDS}
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save(update_fields=[*changes, bump_version(meeting), "updated_at"])
    summaries.meeting_saved(meeting)  # no figure changes here: a no-op kept so every save is followed
    after = {name: audit_value(getattr(meeting, name)) for name in MINUTES_FIELDS}
    if after != before:
        audit_record(
            acting_user=acting_user,
            action="meeting.minutes",
            instance=meeting,
            organization=meeting.organization,
            before=before,
            after=after,
        )
    return meeting


@transaction.atomic
def meeting_signed_minutes_attach(
    *, meeting: Meeting, upload, acting_user, filed_on: datetime.date | None = None
) -> Meeting:
    """Attach the photo or scan of the signed minutes (checked like any evidence). The day it is filed
    (today unless given) is the meeting's ``minutes_filed_on``."""
    meeting = _locked(meeting)
    rights.require(acting_user, "meeting.record", meeting)
    if not upload:
        raise ValidationError({"minutes_file": _("Choose the photo or scan of the signed minutes.")})
    _check_minutes(upload)
    filed_on = filed_on or timezone.localdate()
    if filed_on < meeting.date:
        raise ValidationError({"filed_on": _("The minutes are filed on or after the day of the meeting.")})
    before = {
        "minutes_file": audit_value(meeting.minutes_file),
        "minutes_filed_on": audit_value(meeting.minutes_filed_on),
    }
    meeting.minutes_file = upload
    meeting.minutes_filed_on = filed_on
    meeting.save(
        update_fields=["minutes_file", "minutes_filed_on", bump_version(meeting), "updated_at", *rescored(meeting)]
    )
    summaries.meeting_saved(meeting)
    after = {"minutes_file": audit_value(meeting.minutes_file), "minutes_filed_on": audit_value(filed_on)}
    audit_record(
        acting_user=acting_user,
        action="meeting.minutes_filed",
        instance=meeting,
        organization=meeting.organization,
        before=before,
        after=after,
    )
    return meeting


# --- Votes on each item (B5) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


def vote_refusal(meeting: Meeting, vote: Vote) -> str | None:
    """Why a vote cannot stand, or None: counts are not negative, and no more members vote on an item than
    were present (when the attendance is recorded)."""
    counts = (vote.votes_for, vote.votes_against, vote.votes_abstain)
    if any(count is None or count < 0 for count in counts):
        return _("A vote count is a whole number, 0 or more.")
    if meeting.members_present and sum(counts) > meeting.members_present:
        return _("More votes (%(votes)s) than members present (%(present)s).") % {
            "votes": sum(counts),
            "present": meeting.members_present,
        }
    return None


@transaction.atomic
def meeting_votes_record(
    *, meeting: Meeting, votes: Mapping[int, Vote], acting_user, expected_version: int | None = None
) -> Meeting:
    """The members' vote on each item of the meeting (item id -> for, against, abstain), audited item by item."""
    meeting = _locked(meeting, expected_version)
    rights.require(acting_user, "meeting.record", meeting)
    items = {item.pk: item for item in meeting.agenda.all()}
    errors, before, after = {}, {}, {}
    for item_id, vote in votes.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError(_("This item is not on the meeting's agenda."))
        if refusal := vote_refusal(meeting, vote):
            errors[f"item_{item_id}"] = [refusal]
            continue
        old = [item.votes_for, item.votes_against, item.votes_abstain]
        new = [vote.votes_for, vote.votes_against, vote.votes_abstain]
        if old == new:
            continue
        before[item.title], after[item.title] = old, new
        item.votes_for, item.votes_against, item.votes_abstain = new
        item.save(update_fields=["votes_for", "votes_against", "votes_abstain"])
    if errors:
        raise ValidationError(errors)
    meeting.save(update_fields=[bump_version(meeting), "updated_at"])
    summaries.meeting_saved(meeting)  # no figure changes here: a no-op kept so every save is followed
    if after:
        audit_record(
            acting_user=acting_user,
            action="meeting.votes",
            instance=meeting,
            organization=meeting.organization,
            before={"votes": before},
            after={"votes": after},
        )
    return meeting


@transaction.atomic
def meeting_agenda_add(*, meeting: Meeting, titles: list[str], acting_user) -> list[AgendaItem]:
    """Put items on the meeting's agenda (the draft resolution's items, e.g. the month's four-good progress);
    an item already there by the same title is not added twice."""
    meeting = _locked(meeting)
    rights.require(acting_user, "meeting.record", meeting)
    existing = {item.title for item in meeting.agenda.all()}
    order = max((item.order for item in meeting.agenda.all()), default=0)
    added = []
    for title in titles:
        title = title.strip()[:500]
        if not title or title in existing:
            continue
        order += 1
        item = AgendaItem(meeting=meeting, order=order, title=title)
        item.full_clean(exclude=["meeting"])
        item.save()
        existing.add(title)
        added.append(item)
    meeting.save(update_fields=[bump_version(meeting), "updated_at"])
    summaries.meeting_saved(meeting)  # no figure changes here: a no-op kept so every save is followed
    if added:
        audit_record(
            acting_user=acting_user,
            action="meeting.agenda_add",
            instance=meeting,
            organization=meeting.organization,
            before=None,
            after={"items": [item.title for item in added]},
        )
    return added


# --- The committee's wording of the minutes ----------------------------------------------------------

TEMPLATE_FIELDS = ["title", "heading", "opening", "closing", "chair_label", "secretary_label"]


@transaction.atomic
def minutes_template_save(*, owner: Organization, acting_user, **values) -> MinutesTemplate:
    """A committee's wording of its cells' minutes; placeholders other than the known ones are refused."""
    require_scope(acting_user, Action.MANAGE, owner)
    if owner.is_cell:
        raise ValidationError(_("The wording of the minutes is kept by a committee, not a cell."))
    errors = {}
    for name in TEMPLATE_FIELDS:
        text = (values.get(name) or "").strip()
        if not text:
            errors[name] = [_("This field is required.")]
        elif bad := unknown_placeholders(text):
            errors[name] = [
                _("Unknown placeholder %(bad)s: use %(known)s.")
                % {
                    "bad": ", ".join("{" + b + "}" for b in bad),
                    "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS),
                }
            ]
    if errors:
        raise ValidationError(errors)
    template = MinutesTemplate.objects.select_for_update().filter(owner=owner).first()
    before = {name: getattr(template, name) for name in TEMPLATE_FIELDS} if template else None
    template = template or MinutesTemplate(owner=owner)
    for name in TEMPLATE_FIELDS:
        setattr(template, name, values[name].strip())
    template.updated_by = stored_user(acting_user)
    template.full_clean()
    template.save()
    audit_record(
        acting_user=acting_user,
        action="minutes_template.save",
        instance=template,
        organization=owner,
        before=before,
        after={name: getattr(template, name) for name in TEMPLATE_FIELDS},
    )
    return template
