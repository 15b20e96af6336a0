"""Monthly cell meetings and everything around them.

A :class:`Meeting` is recorded by the cell's secretary (attendance, agenda and votes, minutes), then
self-assessed on the meeting-quality rubric that applies to the cell, then appraised by a supervisor
assigned to the cell. The final total, level code and whether every key criterion was full are
stored on the meeting row whenever a score changes, so rankings aggregate in SQL.

Supervision (assignments of supervisors or teams to cells), content guidance issued down the tree,
model-meeting designations and each cell's thematic plan live here too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cells.models import CELL_LEVELS, Level, Member, Organization
from cells.scoping import ScopedQuerySet

__all__ = [
    "AgendaItem",
    "Attendance",
    "ContentGuidance",
    "Meeting",
    "MeetingKind",
    "meeting_kinds_for",
    "MeetingScore",
    "MeetingStatus",
    "ModelMeetingDesignation",
    "Presence",
    "SupervisionAssignment",
    "SupervisionTeam",
    "ThematicPlanItem",
    "ThematicTopic",
]


# The recorded facts a rubric's measures read (criteria.scoring.FACTS), and which of them are days.
FACT_FIELDS = (
    "duration_minutes",
    "members_total",
    "members_present",
    "members_spoke",
    "documents_sent_on",
    "minutes_filed_on",
)
DATE_FACTS = ("documents_sent_on", "minutes_filed_on")


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


class ThematicTopic(models.Model):
    """One of the topic groups a thematic meeting takes its subject from (seed 001, section 3.2): data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("thematic topic group")
        verbose_name_plural = _("thematic topic groups")

    def __str__(self) -> str:
        return self.title


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    MODEL = "model", _("Model meeting")
    # A grassroots organisation's (or partial committee's) own meetings (WORKBOOK v3, seed 003 2.2.1, 2.2.2).
    COMMITTEE = "committee", _("Party committee meeting")
    GENERAL = "general", _("Whole-organisation meeting")


# Which kinds of meeting each kind of organisation holds: cells their regular, thematic and model
# meetings; a grassroots organisation or partial committee its committee's and its general meetings.
CELL_MEETING_KINDS = (MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.MODEL)
COMMITTEE_MEETING_KINDS = (MeetingKind.COMMITTEE, MeetingKind.GENERAL)
MEETING_ORG_LEVELS = (*CELL_LEVELS, Level.GRASSROOTS, Level.PARTIAL)


def meeting_kinds_for(organization) -> tuple[str, ...]:
    """The kinds of meeting ``organization`` records here (none for a province or district committee)."""
    if organization.is_cell:
        return CELL_MEETING_KINDS
    if organization.level in MEETING_ORG_LEVELS:
        return COMMITTEE_MEETING_KINDS
    return ()


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Recorded")
    SUBMITTED = "submitted", _("Self-assessed, waiting for appraisal")
    APPRAISED = "appraised", pgettext_lazy("meeting status", "Appraised")


class MeetingQuerySet(ScopedQuerySet):
    def waiting_for_appraisal(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.SUBMITTED)

    def in_period(self, start: datetime.date, end: datetime.date) -> MeetingQuerySet:
        """Meetings held on or after ``start`` and before ``end``."""
        return self.filter(date__gte=start, date__lt=end)


class Meeting(models.Model):
    """One meeting of a cell (sinh hoạt chi bộ): regular, thematic or a model meeting.

    ``year`` and ``month`` repeat the date so that "one regular meeting per cell per month" is a
    database constraint. ``self_*`` hold the secretary's score, ``final_*`` the score after
    appraisal (equal to the self-assessment until a supervisor appraises).
    """

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(editable=False)
    month = models.PositiveSmallIntegerField(editable=False)
    topic = models.ForeignKey(
        ThematicTopic, verbose_name=_("topic group"), null=True, blank=True, on_delete=models.PROTECT
    )
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    members_total = models.PositiveSmallIntegerField(_("members expected"), default=0)
    members_present = models.PositiveSmallIntegerField(_("present"), default=0)
    members_excused = models.PositiveSmallIntegerField(_("absent with leave"), default=0)
    members_unexcused = models.PositiveSmallIntegerField(_("absent without leave"), default=0)
    # The facts a 2025 rubric scores from (WORKBOOK v3 ``measure``): who spoke, when the documents went
    # to members, when the minutes were filed. Empty means not recorded (the measure then gives 0).
    members_spoke = models.PositiveSmallIntegerField(_("members who spoke"), null=True, blank=True)
    documents_sent_on = models.DateField(_("documents sent to members on"), null=True, blank=True)
    minutes_filed_on = models.DateField(_("minutes filed on"), null=True, blank=True)
    # The appraiser's corrections of those facts, {fact: {"value": ..., "reason": ...}} (dates as ISO text):
    # the self-assessed total reads the facts as recorded, the final total the corrected ones.
    fact_corrections = models.JSONField(
        _("facts corrected on appraisal"),
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),  # rows inserted in bulk (the demo) too
        blank=True,
    )
    guests = models.TextField(_("guests"), blank=True)
    attending_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attending supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attended_meetings",
    )
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(
        # The default storage is MEDIA_ROOT, which no URL serves: minutes come out through a scoped view.
        _("minutes file"),
        upload_to="minutes/%Y/%m",
        blank=True,
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    # What the minutes (biên bản, seed 001 L4) print beside the record: evaluations/meetings/minutes.py.
    # A database default too: the demo builder inserts meetings with raw SQL naming only the older columns.
    place = models.CharField(_("place"), max_length=300, blank=True, db_default="")
    started_at = models.TimeField(_("started at"), null=True, blank=True)
    chair = models.ForeignKey(
        Member, verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorder = models.ForeignKey(
        Member,
        verbose_name=_("secretary of the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusions = models.TextField(_("conclusions"), blank=True, db_default="")
    designation = models.ForeignKey(
        "ModelMeetingDesignation",
        verbose_name=_("model meeting designation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    framework = models.ForeignKey(
        "criteria.Framework",
        verbose_name=_("rubric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    self_total = models.DecimalField(_("self-assessed total"), max_digits=7, decimal_places=2, null=True, blank=True)
    self_level = models.CharField(_("self-assessed level"), max_length=30, blank=True)
    final_total = models.DecimalField(_("final total"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_level = models.CharField(_("final level"), max_length=30, blank=True)
    final_key_full = models.BooleanField(_("key criteria full"), default=False)
    final_all_achieved = models.BooleanField(_("every group achieved"), default=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Everyone who changed the meeting's self-assessed values (a draft save, a submit, an imported
    # self_points): separation of duties keeps each of them off its appraisal (meetings/rights.py).
    self_assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("self-assessed by"), blank=True, related_name="+"
    )
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appraisal_note = models.TextField(_("appraisal note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moves on with every save of the record or its score (cells/concurrency.py): a page drawn from an
    # older version is refused instead of overwriting someone else's save.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # The browser draft's id (static/js/drafts.js), sent with the record: a Save sent again (a double tap,
    # or a resend after the connection dropped before the answer came) finds this meeting instead of
    # recording a second one.
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("cell meeting")
        verbose_name_plural = _("cell meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"],
                condition=Q(kind="regular"),
                name="one_regular_meeting_per_cell_month",
            ),
            # A meeting's identity in a workbook is (org_code, date, kind): one meeting per cell, day and
            # kind, so an import always names exactly one (WORKBOOK.md meetings).
            models.UniqueConstraint(fields=["organization", "date", "kind"], name="one_meeting_per_cell_day_kind"),
            models.CheckConstraint(
                condition=Q(members_present__lte=models.F("members_total")), name="meeting_present_within_total"
            ),
            models.CheckConstraint(
                condition=Q(members_spoke__isnull=True) | Q(members_spoke__lte=models.F("members_present")),
                name="meeting_spoke_within_present",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "date"], name="meeting_org_date_idx"),
            models.Index(fields=["date", "organization"], name="meeting_date_org_idx"),
            models.Index(fields=["status"], name="meeting_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:meetings:detail", kwargs={"pk": self.pk})

    @property
    def quarter(self) -> int:
        return quarter_of(self.month)

    @property
    def is_locked(self) -> bool:
        """An appraised meeting cannot be changed; reopening it is a staff action with a reason."""
        return self.status == MeetingStatus.APPRAISED

    def clean(self) -> None:
        errors = {}
        if self.date:
            self.year, self.month = self.date.year, self.date.month
            if self.date > timezone.localdate() + datetime.timedelta(days=31):
                errors["date"] = _("A meeting cannot be recorded that far in the future.")
        if self.organization_id and self.kind not in meeting_kinds_for(self.organization):
            if self.organization.level not in MEETING_ORG_LEVELS:
                errors["organization"] = _("Meetings are held by cells and grassroots party organisations.")
            else:
                errors["kind"] = _("%(org)s does not hold meetings of this kind (%(kind)s).") % {
                    "org": self.organization,
                    "kind": MeetingKind(self.kind).label.lower() if self.kind in MeetingKind.values else self.kind,
                }
        if self.date and (taken := self.taken_refusal(self.organization_id, self.date, self.kind, self.pk)):
            errors["date"] = taken
        if self.kind == MeetingKind.THEMATIC and self.topic_id is None:
            errors["topic"] = _("A thematic meeting needs a topic group.")
        counted = self.members_present + self.members_excused + self.members_unexcused
        if counted > self.members_total:
            errors["members_present"] = _("Present and absent members are more than the members expected.")
        for name, message in self.fact_errors().items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)

    def recorded_facts(self) -> dict:
        """The scored facts as the secretary recorded them (WORKBOOK v3 measures read these)."""
        return {name: getattr(self, name) for name in FACT_FIELDS}

    def final_facts(self) -> dict:
        """The scored facts with the appraiser's corrections over them."""
        facts = self.recorded_facts()
        for name, correction in (self.fact_corrections or {}).items():
            if name in facts:
                value = correction.get("value")
                if name in DATE_FACTS and value:
                    value = datetime.date.fromisoformat(value)
                facts[name] = value
        return facts

    def fact_errors(self, facts: dict | None = None) -> dict:
        """What is wrong with the scored facts (WORKBOOK v3), the recorded ones or ``facts``: more speakers
        than members present, more present than expected, documents sent after the meeting, minutes filed
        before it."""
        facts = self.recorded_facts() if facts is None else facts
        errors = {}
        spoke, present, total = facts.get("members_spoke"), facts.get("members_present"), facts.get("members_total")
        if spoke is not None and spoke > (present or 0):
            errors["members_spoke"] = _("More members spoke than were present.")
        if present is not None and total is not None and present > total:
            errors["members_present"] = _("More members were present than expected.")
        sent, filed = facts.get("documents_sent_on"), facts.get("minutes_filed_on")
        if self.date and sent and sent > self.date:
            errors["documents_sent_on"] = _("The documents are sent to members before the meeting, or on its day.")
        if self.date and filed and filed < self.date:
            errors["minutes_filed_on"] = _("The minutes are filed on the meeting's day or after it.")
        return errors

    @classmethod
    def taken_refusal(cls, organization_id, date: datetime.date, kind: str, exclude_pk=None) -> str | None:
        """Why the cell cannot record a meeting of ``kind`` on ``date``, or None: one regular meeting a
        month, and one meeting of a kind a day (the key a workbook names a meeting by). The model's
        ``clean``, the page form and the import ask this; the database constraints hold it too."""
        if not organization_id or not date:
            return None
        others = cls.objects.filter(organization_id=organization_id, kind=kind).exclude(pk=exclude_pk)
        if kind == MeetingKind.REGULAR and others.filter(year=date.year, month=date.month).exists():
            return _("This cell has already recorded its regular meeting for %(month)s.") % {
                "month": f"{date.month:02d}/{date.year}"
            }
        if others.filter(date=date).exists():
            return _("This cell has already recorded a meeting of this kind (%(kind)s) on %(date)s.") % {
                "kind": MeetingKind(kind).label,
                "date": f"{date:%d/%m/%Y}",
            }
        return None


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with leave")
    UNEXCUSED = "unexcused", _("Absent without leave")


class Attendance(models.Model):
    """One roster member's presence at a meeting; the meeting's counts are derived from these rows."""

    scope_path_lookup = "meeting__organization__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("presence"), max_length=20, choices=Presence.choices, default=Presence.PRESENT)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "member__full_name_folded"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"


class AgendaItem(models.Model):
    """An item discussed at the meeting, with the members' vote on it (B5)."""

    scope_path_lookup = "meeting__organization__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=500)
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    @property
    def adopted(self) -> bool:
        return self.votes_for > self.votes_against + self.votes_abstain


class MeetingScore(models.Model):
    """The points (or achieved) of one leaf criterion of the meeting's rubric: self-assessed and appraised.

    Keyed by the criterion's code, which is unique within a framework's effective rubric.
    """

    scope_path_lookup = "meeting__organization__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField(_("criterion"), max_length=30)
    self_points = models.DecimalField(_("self-assessed"), max_digits=7, decimal_places=2, null=True, blank=True)
    self_achieved = models.BooleanField(_("self-assessed achieved"), null=True, blank=True)
    appraised_points = models.DecimalField(_("appraised"), max_digits=7, decimal_places=2, null=True, blank=True)
    appraised_achieved = models.BooleanField(_("appraised achieved"), null=True, blank=True)
    reason = models.TextField(_("reason for the change"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("meeting score")
        verbose_name_plural = _("meeting scores")
        constraints = [models.UniqueConstraint(fields=["meeting", "code"], name="meeting_score_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.code}: {self.self_points} / {self.appraised_points}"


# --- Supervision (Y4, L7, F6) --------------------------------------------------------------------


class SupervisionTeam(models.Model):
    """A named supervision team (tổ giám sát) set up by a committee; its members attend cells' meetings."""

    scope_path_lookup = "owner__path"

    owner = models.ForeignKey(
        Organization, verbose_name=_("set up by"), on_delete=models.PROTECT, related_name="supervision_teams"
    )
    name = models.CharField(_("name"), max_length=255)
    basis = models.CharField(_("decision"), max_length=255, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="supervision_teams"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("supervision team")
        verbose_name_plural = _("supervision teams")

    def __str__(self) -> str:
        return self.name


class SupervisionAssignmentQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None) -> SupervisionAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))

    def of_user(self, user) -> SupervisionAssignmentQuerySet:
        return self.filter(Q(supervisor=user) | Q(team__members=user)).distinct()


class SupervisionAssignment(models.Model):
    """A supervisor (a user) or a team assigned to a cell from ``valid_from`` to ``valid_to`` (inclusive)."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="supervision_assignments"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervision_assignments",
    )
    team = models.ForeignKey(
        SupervisionTeam,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "valid_from"]
        verbose_name = _("supervision assignment")
        verbose_name_plural = _("supervision assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(supervisor__isnull=False) & Q(team__isnull=True))
                | (Q(supervisor__isnull=True) & Q(team__isnull=False)),
                name="supervision_supervisor_xor_team",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="supervision_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor or self.team} → {self.organization}"

    def clean(self) -> None:
        errors = {}
        if (self.supervisor_id is None) == (self.team_id is None):
            errors["supervisor"] = _("Choose either a supervisor or a team.")
        if self.organization_id and not self.organization.is_cell:
            errors["organization"] = _("Supervisors are assigned to cells.")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


# --- Content guidance (Y3) -----------------------------------------------------------------------


class ContentGuidance(models.Model):
    """A committee's guidance on the content of a month's meetings, for the cells below it."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="meeting_guidance"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("content"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # Sent up to the committee above (Y3: a commune's monthly guidance goes to the city's organizing board,
    # which consolidates the month's list).
    sent_up_at = models.DateTimeField(_("sent up at"), null=True, blank=True)
    sent_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "organization__path"]
        verbose_name = _("content guidance")
        verbose_name_plural = _("content guidance")
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="guidance_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year} · {self.title}"

    def clean(self) -> None:
        if self.organization_id and self.organization.is_cell:
            raise ValidationError({"organization": _("Guidance is issued by a committee, not a cell.")})


# --- Model meetings (L1, L8) and thematic plans (L5) -----------------------------------------------


class ModelMeetingDesignation(models.Model):
    """A committee designates a cell to hold a model meeting (sinh hoạt mẫu) in a quarter, with invitees."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="model_meeting_designations"
    )
    designated_by = models.ForeignKey(
        Organization, verbose_name=_("designated by"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(MeetingKind.REGULAR, MeetingKind.REGULAR.label), (MeetingKind.THEMATIC, MeetingKind.THEMATIC.label)],
    )
    invitees = models.TextField(_("invited"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "quarter", "organization__path"]
        verbose_name = _("model meeting designation")
        verbose_name_plural = _("model meeting designations")
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="designation_quarter_valid"),
            models.UniqueConstraint(fields=["organization", "year", "quarter", "kind"], name="designation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · Q{self.quarter}/{self.year}"

    def clean(self) -> None:
        if self.organization_id and not self.organization.is_cell:
            raise ValidationError({"organization": _("Model meetings are held by cells.")})


class ThematicPlanItem(models.Model):
    """One thematic meeting a cell plans for a quarter of the year (at least one per quarter, L5)."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="thematic_plan"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    topic = models.ForeignKey(ThematicTopic, verbose_name=_("topic group"), on_delete=models.PROTECT)
    subject = models.CharField(_("subject"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "year", "quarter", "id"]
        verbose_name = _("thematic plan item")
        verbose_name_plural = _("thematic plan")
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="thematic_plan_quarter_valid"),
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter}/{self.year}: {self.topic}"
