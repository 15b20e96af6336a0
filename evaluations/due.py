"""What is due, for the home page: a secretary's month (this month's meeting and where it stands, the
quarter's thematic meeting, campaign deadlines with the days left, the month's guidance), and a
supervisor's queue with how long each meeting has waited.

Everything is read through the scoping mechanism: a secretary's cells are the cells they may record
for where they hold the secretary's role; campaigns are those visible to them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cells.models import Role, RoleAssignment
from cells.scoping import Action

from .campaigns.models import PARTICIPANT_STATUSES, Registration, RegistrationStatus
from .campaigns.selectors import campaigns_visible_to
from .meetings import selectors as meeting_selectors
from .meetings.models import Meeting, MeetingKind, MeetingStatus, ThematicPlanItem, quarter_of
from .meetings.services.recording import meeting_rubric

# The states of this month's meeting, as the home page names them. "waiting" (saved on the phone, not
# yet sent) is known only to the phone: static/js/outbox.js shows it over the server's state.
NOT_RECORDED, DRAFT, SUBMITTED, APPRAISED = "not_recorded", "draft", "submitted", "appraised"
STATE_LABELS = {
    NOT_RECORDED: lambda: _("Not recorded yet"),
    DRAFT: lambda: _("Recorded, not yet submitted for appraisal"),
    SUBMITTED: lambda: _("Submitted, waiting for appraisal"),
    APPRAISED: lambda: pgettext("meeting status", "Appraised"),
}
STATE_STYLES = {NOT_RECORDED: "warning", DRAFT: "info", SUBMITTED: "primary", APPRAISED: "success"}
DEADLINE_SOON_DAYS = 3


@dataclass
class Deadline:
    campaign: object
    what: str
    due_on: datetime.date
    days_left: int
    url: str
    done: bool = False
    note: str = ""

    @property
    def soon(self) -> bool:
        return not self.done and self.days_left <= DEADLINE_SOON_DAYS


@dataclass
class CellMonth:
    cell: object
    meeting: Meeting | None
    state: str
    level_label: str = ""
    reasons: list = field(default_factory=list)
    thematic_held: bool = False
    thematic_planned: list = field(default_factory=list)
    guidance: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]()

    @property
    def state_style(self) -> str:
        return STATE_STYLES[self.state]


@dataclass
class SecretaryMonth:
    cells: list[CellMonth]
    month_label: str
    quarter: int


def secretary_cells(user):
    """The cells the user is secretary of (and may record for), at most a handful."""
    own = RoleAssignment.objects.current().filter(user=user, role=Role.SECRETARY).values("organization_id")
    return list(meeting_selectors.recordable_cells(user).filter(pk__in=own)[:5])


def meeting_state(meeting: Meeting | None) -> str:
    if meeting is None:
        return NOT_RECORDED
    return {MeetingStatus.SUBMITTED: SUBMITTED, MeetingStatus.APPRAISED: APPRAISED}.get(meeting.status, DRAFT)


def _appraisal(meeting: Meeting) -> tuple[str, list[tuple[str, str]]]:
    """The level's label and the appraiser's reasons: their note, then each changed item's reason."""
    rubric = meeting_rubric(meeting)
    levels = {level.code: level for level in (rubric.levels if rubric else ())}
    titles = {c.code: c.title for c in (rubric.leaves() if rubric else ())}
    level = levels.get(meeting.final_level)
    reasons = [("", meeting.appraisal_note)] if meeting.appraisal_note else []
    for code, reason in meeting.scores.exclude(reason="").order_by("code").values_list("code", "reason"):
        reasons.append((f"{code}. {titles.get(code, '')}".strip(), reason))
    return (str(level) if level else meeting.final_level), reasons


def secretary_month(user, today: datetime.date | None = None) -> SecretaryMonth | None:
    today = today or timezone.localdate()
    cells = secretary_cells(user)
    if not cells:
        return None
    quarter = quarter_of(today.month)
    months = [m for m in range(1, 13) if quarter_of(m) == quarter]
    rows = []
    for cell in cells:
        meetings = list(
            Meeting.objects.for_user(user, Action.VIEW)
            .filter(organization=cell, year=today.year, month__in=months)
            .select_related("appraised_by")
            .order_by("-date", "-id")
        )
        regular = next(
            (m for m in meetings if m.kind == MeetingKind.REGULAR and m.month == today.month),
            None,
        )
        row = CellMonth(cell=cell, meeting=regular, state=meeting_state(regular))
        if row.state == APPRAISED:
            row.level_label, row.reasons = _appraisal(regular)
        row.thematic_held = any(m.kind == MeetingKind.THEMATIC for m in meetings)
        row.thematic_planned = list(
            ThematicPlanItem.objects.filter(organization=cell, year=today.year, quarter=quarter).select_related("topic")
        )
        row.guidance = meeting_selectors.guidance_for_cell(cell, today.year, today.month)
        row.deadlines = campaign_deadlines(user, cell, today)
        rows.append(row)
    return SecretaryMonth(cells=rows, month_label=f"{today.month:02d}/{today.year}", quarter=quarter)


def campaign_deadlines(user, cell, today: datetime.date) -> list[Deadline]:
    """Register and self-assess deadlines of the campaigns above the cell not yet passed, and a
    registration's decision (returned with the board's reason, or approved)."""
    from django.urls import reverse

    campaigns = list(
        campaigns_visible_to(user)
        .filter(owner_id__in=[int(p) for p in cell.path.strip("/").split("/") if p], year__gte=today.year - 1)
        .order_by("registration_deadline", "pk")
    )
    registrations = {
        r.campaign_id: r
        for r in Registration.objects.for_user(user, Action.VIEW).filter(
            organization=cell, campaign__in=[c.pk for c in campaigns]
        )
    }
    deadlines = []
    for campaign in campaigns:
        registration = registrations.get(campaign.pk)
        if registration is None or registration.status == RegistrationStatus.RETURNED:
            due = campaign.registration_deadline
            if due and due >= today:
                deadlines.append(
                    Deadline(
                        campaign,
                        _("Register"),
                        due,
                        (due - today).days,
                        reverse("evaluations:campaign_register", args=[campaign.pk]),
                        note=registration.decision_reason if registration else "",
                    )
                )
            continue
        if registration.status in PARTICIPANT_STATUSES:
            due = campaign.self_assessment_deadline
            if due and due >= today:
                deadlines.append(
                    Deadline(
                        campaign,
                        _("Self-assess"),
                        due,
                        (due - today).days,
                        reverse("evaluations:registration_assess", args=[registration.pk]),
                        done=registration.self_assessed_at is not None,
                    )
                )
    return deadlines


@dataclass
class Waiting:
    meeting: Meeting
    days: int


def supervisor_queue(user, limit: int = 10) -> list[Waiting]:
    """The meetings waiting for the user's appraisal, longest-waiting first, with the days waited."""
    now = timezone.now()
    return [
        Waiting(meeting, (now - (meeting.submitted_at or now)).days)
        for meeting in meeting_selectors.appraisal_queue(user)[:limit]
    ]
