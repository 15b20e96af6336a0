"""The organisation tree, its rosters and officers, who holds which role where, and the audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How each audited action reads on a page: one registry, complete by test (tests/test_audit_labels.py).
from .audit_labels import AUDIT_ACTION_LABELS
from .scoping import Action, ScopedQuerySet
from .text import normalize_code, validate_code

# Each level of a path is the organisation's id, zero-padded, then a slash: "00000001/00000042/".
# Fixed width keeps paths sortable in tree order by id and makes prefixes unambiguous.
PATH_SEGMENT_WIDTH = 8


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}/"


class Level(models.TextChoices):
    """The levels of the Party's organisation. Depth is not fixed: a level says what a node is."""

    PROVINCE = "province", _("Province-level committee")
    DISTRICT = "district", _("District-level committee")
    GRASSROOTS = "grassroots", _("Grassroots party organisation")
    PARTIAL = "partial", _("Partial party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots cell")
    CELL = "cell", _("Party cell")


# A child's rank must be greater than its parent's. Cells hold no organisations below them.
LEVEL_RANK = {
    Level.PROVINCE: 0,
    Level.DISTRICT: 1,
    Level.GRASSROOTS: 2,
    Level.GRASSROOTS_CELL: 2,
    Level.PARTIAL: 3,
    Level.CELL: 4,
}
CELL_LEVELS = (Level.CELL, Level.GRASSROOTS_CELL)
COMMITTEE_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.GRASSROOTS, Level.PARTIAL)


def level_may_hold(parent_level: str, child_level: str) -> bool:
    """Whether an organisation of ``parent_level`` may have a child of ``child_level``."""
    if parent_level in CELL_LEVELS:
        return False
    return LEVEL_RANK[Level(child_level)] > LEVEL_RANK[Level(parent_level)]


class CellType(models.Model):
    """A kind of cell (residential, administrative, public service...): a table so boards can add their own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cell type")
        verbose_name_plural = _("cell types")

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(ScopedQuerySet):
    def active(self) -> OrganizationQuerySet:
        return self.filter(is_active=True)

    def cells(self) -> OrganizationQuerySet:
        return self.filter(level__in=CELL_LEVELS)

    def subtree_of(self, organization: Organization, include_self: bool = True) -> OrganizationQuerySet:
        """One indexed prefix query on the materialized path."""
        qs = self.filter(path__startswith=organization.path)
        return qs if include_self else qs.exclude(pk=organization.pk)


class Organization(models.Model):
    """A node of the party organisation tree: a committee, a grassroots organisation or a cell.

    ``path`` is the materialized path of ids from the root, so a subtree is one prefix query.
    Its states over time (place, name, level) are :class:`OrganizationInterval` rows, the one history of
    the tree: a rename keeps the old name there for earlier periods. Merges keep the merged organisation
    (inactive, pointing at what it was merged into) so old records still show what they were.
    """

    scope_path_lookup = "path"

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[validate_code])
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    cell_type = models.ForeignKey(
        CellType, verbose_name=_("cell type"), null=True, blank=True, on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # The committee's expected size (cấp ủy / chi ủy), secretary and deputies included; 0: no committee.
    committee_size = models.PositiveSmallIntegerField(_("committee size"), default=0)
    deputy_slots = models.PositiveSmallIntegerField(_("deputy secretaries"), default=1)
    # The committee's document details (Hướng dẫn 36-HD/VPTW): what its reports print without anyone typing it.
    sign = models.CharField(
        _("document sign"), max_length=20, blank=True, help_text=_('As in "No. 252-KH/TU": TU, HU, ĐU, CB.')
    )
    place = models.CharField(
        _("place name"), max_length=120, blank=True, help_text=_("The place of its documents' date line.")
    )
    signer_name = models.CharField(_("usual signer"), max_length=120, blank=True)
    signer_position = models.CharField(
        _("usual signer's position"), max_length=120, blank=True, help_text=_("For example SECRETARY.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            # LIKE 'prefix%' uses this index on PostgreSQL whatever the database's collation.
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level__in=CELL_LEVELS, cell_type__isnull=False)
                    | (~Q(level__in=CELL_LEVELS) & Q(cell_type__isnull=True))
                ),
                name="org_cell_type_only_for_cells",
            ),
            models.UniqueConstraint(
                Upper("code"),
                name="organization_code_unique_any_case",
                violation_error_message=_("An organisation with this code (in any case) exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        self.code = normalize_code(self.code)  # before the validators: "p-nth１" is P-NTH1
        super().clean_fields(exclude=exclude)

    @property
    def is_cell(self) -> bool:
        return self.level in CELL_LEVELS

    def clean(self) -> None:
        errors = {}
        if self.is_cell and self.cell_type_id is None:
            errors["cell_type"] = _("A cell must have a cell type.")
        if not self.is_cell and self.cell_type_id is not None:
            errors["cell_type"] = _("Only cells have a cell type.")
        if self.parent_id is not None and not level_may_hold(self.parent.level, self.level):
            errors["level"] = _("A %(parent)s cannot hold a %(child)s.") % {
                "parent": self.parent.get_level_display().lower(),
                "child": Level(self.level).label.lower(),
            }
        if errors:
            raise ValidationError(errors)

    def ancestors(self) -> OrganizationQuerySet:
        """The organisations above this one, root first (one query on the ids in the path)."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        return Organization.objects.filter(pk__in=ids).order_by("depth")

    def document_place(self) -> str:
        """The place its documents are dated at: its own, else the nearest committee above that has one."""
        if self.place:
            return self.place
        for ancestor in reversed(list(self.ancestors().exclude(place=""))):
            return ancestor.place
        return ""

    def name_on(self, day: datetime.date) -> str:
        """The name this organisation had on ``day``; reports of past periods print it (from its states,
        so ``prefetch_related("intervals")`` makes it free)."""
        for state in self.intervals.all():
            if state.valid_from <= day and (state.valid_to is None or day < state.valid_to):
                return state.name
        return self.name

    def name_history(self) -> list[NamePeriod]:
        """The names it bore, each with the days it bore it: its states, with consecutive states of one
        name (a move does not change the name) made one."""
        periods: list[NamePeriod] = []
        for state in self.intervals.all():
            if periods and periods[-1].name == state.name and periods[-1].valid_to == state.valid_from:
                periods[-1].valid_to = state.valid_to
            else:
                periods.append(NamePeriod(state.name, state.valid_from, state.valid_to))
        return periods


@dataclass
class NamePeriod:
    """A name an organisation bore from ``valid_from`` until (not including) ``valid_to`` (None: still)."""

    name: str
    valid_from: datetime.date
    valid_to: datetime.date | None


# "Since before any record": the first state of an organisation whose establishment date is unknown
# (an import, an organisation that existed before the product). 3 February 1930, the Party's founding.
EARLIEST = datetime.date(1930, 2, 3)


class OrganizationIntervalQuerySet(models.QuerySet):
    def overlapping(self, start: datetime.date, end: datetime.date) -> OrganizationIntervalQuerySet:
        """Intervals that cover at least one day of [start, end) (``end`` is the day after the last)."""
        return self.filter(valid_from__lt=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))

    def on(self, day: datetime.date) -> OrganizationIntervalQuerySet:
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class OrganizationInterval(models.Model):
    """Where an organisation stood, what it was called and at which level, from ``valid_from`` until
    (not including) ``valid_to``; the open interval (``valid_to`` empty) is today's state.

    ``path`` is the materialized path of that time, so "the subtree of X on day D" is one indexed
    prefix query here, as the current subtree is on :class:`Organization`. An organisation's intervals
    follow one another without gaps from its establishment to its end (merge or dissolution).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="intervals")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    parent = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)

    objects = OrganizationIntervalQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "valid_from"]
        verbose_name = _("state of an organisation")
        verbose_name_plural = _("history of the tree")
        indexes = [
            models.Index(fields=["path"], name="orginterval_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["organization", "valid_from"], name="orginterval_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="orginterval_valid_range",
            ),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(valid_to__isnull=True), name="one_open_interval_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})" if self.valid_to else self.name


class MemberStatus(models.TextChoices):
    OFFICIAL = "official", _("Official")
    PROBATIONARY = "probationary", _("Probationary")


class MemberQuerySet(ScopedQuerySet):
    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)


class Member(models.Model):
    """A party member on a cell's roster. Only what the features need: no birth date, address or ID number."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="members"
    )
    code = models.CharField(_("member code"), max_length=50, unique=True, validators=[validate_code])
    full_name = models.CharField(_("full name"), max_length=150)
    full_name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.OFFICIAL)
    exempt = models.BooleanField(_("exempt from meetings"), default=False)
    joined_on = models.DateField(_("joined the cell on"), null=True, blank=True)
    left_on = models.DateField(_("left the cell on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "full_name_folded", "code"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="member_code_unique_any_case",
                violation_error_message=_("A member with this code (in any case) exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean_fields(self, exclude=None) -> None:
        self.code = normalize_code(self.code)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.organization_id and not self.organization.is_cell:
            raise ValidationError({"organization": _("Members belong to a cell.")})


class MemberTransfer(models.Model):
    """A member's move from one cell to another on ``on`` (a merge moves the merged cell's roster).

    The member row carries today's cell; a roster of an earlier day is today's minus the transfers
    made after it (``reports.kinds.common.roster_counts``)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    to_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("from"))

    class Meta:
        ordering = ["member", "on", "id"]
        verbose_name = _("member transfer")
        verbose_name_plural = _("member transfers")
        indexes = [models.Index(fields=["on"], name="membertransfer_on_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_organization_id} → {self.to_organization_id} ({self.on:%d/%m/%Y})"


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")


class OfficerTermQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None) -> OfficerTermQuerySet:
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


class OfficerTerm(models.Model):
    """A member holding a committee position (secretary, deputy, committee member) for a term."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="officer_terms")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="terms")
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = OfficerTermQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "position", "started_on"]
        verbose_name = _("officer term")
        verbose_name_plural = _("officer terms")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(position="secretary", ended_on__isnull=True),
                name="one_open_secretary_term",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="officer_term_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.member}"


class Role(models.TextChoices):
    STAFF = "staff", _("Organizing staff")
    LEADERSHIP = "leadership", _("Leadership")
    SUPERVISOR = "supervisor", _("Supervisor")
    SECRETARY = "secretary", _("Cell secretary")


# What each role may do within the subtree of the organisation it is assigned on.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.STAFF: frozenset({Action.VIEW, Action.MANAGE, Action.RECORD, Action.APPRAISE}),
    Role.LEADERSHIP: frozenset({Action.VIEW}),
    # A supervisor sees and appraises only the cells assigned to them (evaluations.meetings.selectors).
    Role.SUPERVISOR: frozenset(),
    Role.SECRETARY: frozenset({Action.VIEW, Action.RECORD}),
}


class RoleAssignmentQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class RoleAssignment(models.Model):
    """A user's role on one organisation, covering its subtree, for a period."""

    scope_path_lookup = "organization__path"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "role", "user"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(valid_to__isnull=True),
                name="one_open_assignment_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def clean(self) -> None:
        if self.role == Role.SECRETARY and self.organization_id and not self.organization.is_cell:
            raise ValidationError({"organization": _("A secretary is assigned to one cell.")})
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


class AuditEntry(models.Model):
    """Who changed what, when, with the values before and after. Written by services, never edited."""

    scope_path_lookup = "organization__path"

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTION_LABELS.get(self.action, self.action))


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> NotificationQuerySet:
        """A user's own notifications: the only way they are read (someone else's is a 404)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user should know (an appraisal, a return, a report waiting), shown under the bell.

    Kept as rows so a phone that was offline still finds them; email is sent only where configured.
    ``key`` makes a notification idempotent: the same event notified twice is stored once.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.SlugField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="one_notification_per_key"),
        ]

    def __str__(self) -> str:
        return self.title


# Workbook import jobs live in their own module (cells/workbook/models.py).
from .workbook.models import ImportJob  # noqa: E402, F401


class UserPreference(models.Model):
    """What a user chose for themselves. The interface is Vietnamese unless the user picks English here:
    the browser's language is never consulted (a phone bought abroad still gets Vietnamese)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="vi")

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


class ClientWrite(models.Model):
    """A write a browser sent with its idempotency key (the draft's id, static/js/outbox.js), stored in the
    same transaction as the write itself. A phone that lost the answer sends the write again; finding its
    key here, the server answers "already saved" instead of saving twice or refusing it as stale."""

    key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.SlugField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="one_client_write_per_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
