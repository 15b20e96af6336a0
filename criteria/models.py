"""Criteria frameworks (bộ tiêu chí): their criteria trees and rating levels, all of it data.

A framework belongs to the committee (or cell) that issued it. It is drafted, published and retired;
a published framework never changes its criteria or levels (a change is a new version), and one that
an evaluation uses is frozen altogether. A framework may be *derived* from a published one: it
inherits all the parent's criteria and levels and adds its own (see :mod:`criteria.selectors`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cells.models import CellType, Level, Organization
from cells.scoping import Action, ScopedQuerySet, user_scope


class FrameworkKind(models.TextChoices):
    MEETING = "meeting", _("Meeting quality")
    MODEL = "model", _("Model cell")
    FOUR_GOOD = "four_good", _("Four-good")
    FIVE_GOOD = "five_good", _("Five-good")
    CUSTOM = "custom", _("Custom")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class MeetingScope(models.TextChoices):
    """Which meetings a meeting-quality framework is for; empty means any."""

    REGULAR = "regular", _("Regular meetings")
    THEMATIC = "thematic", _("Thematic meetings")
    MODEL = "model", _("Model meetings")
    COMMITTEE = "committee", _("Committee meetings")
    ORGANIZATION = "organization", _("Party organisation meetings")


class MeetingKindScope(models.TextChoices):
    """The meeting kinds a criterion of a meeting-quality rubric may be limited to (WORKBOOK v3 ``kinds``)."""

    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    MODEL = "model", _("Model meeting")
    COMMITTEE = "committee", _("Committee meeting")
    GENERAL = "general", _("General meeting")


class NotApplicable(models.TextChoices):
    """What a criterion that does not apply to a meeting (by ``kinds``) counts (WORKBOOK v3 ``not_applicable``)."""

    NONE = "none", _("Counts nowhere (the maximum shrinks)")
    FULL = "full", _("Counts at its full points")


class Measure(models.TextChoices):
    """The meeting fact a computed criterion takes its points from (WORKBOOK v3 ``measure``)."""

    DURATION_MINUTES = "duration_minutes", _("Duration (minutes)")
    ATTENDANCE_PERCENT = "attendance_percent", _("Share of the expected members present")
    SPEAKERS_PERCENT = "speakers_percent", _("Share of the members present who spoke")
    DOCUMENTS_DAYS_BEFORE = "documents_days_before", _("Days the documents went out before the meeting")
    MINUTES_DAYS_AFTER = "minutes_days_after", _("Days after the meeting the minutes were filed")


class Comparator(models.TextChoices):
    GE = ">=", "≥"
    GT = ">", ">"
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "=", "="


# --- "Is this framework used?" -------------------------------------------------------------------
# The evaluations app knows whether a meeting, a campaign or a result uses a framework; criteria must
# not import it. It registers a check here from its AppConfig.ready.
UsageCheck = Callable[["Framework"], bool]
_usage_checks: list[UsageCheck] = []


def register_usage_check(check: UsageCheck) -> UsageCheck:
    """Add ``check(framework) -> bool``: True when something uses the framework (it is then frozen)."""
    if check not in _usage_checks:
        _usage_checks.append(check)
    return check


def unregister_usage_check(check: UsageCheck) -> None:
    if check in _usage_checks:
        _usage_checks.remove(check)


def framework_in_use(framework: Framework) -> bool:
    """Whether any registered check says the framework is used (by an evaluation or a derived framework)."""
    if framework.pk is None:
        return False
    if Framework.objects.filter(parent_id=framework.pk).exclude(status=FrameworkStatus.DRAFT).exists():
        return True
    return any(check(framework) for check in _usage_checks)


class FrameworkQuerySet(ScopedQuerySet):
    """Scoped like everything else, with one addition for VIEW: a published (or retired) framework owned
    by an organisation *above* the user's scope is readable too, so a cell secretary reads the province's
    rubric. Drafts stay within the owner's subtree."""

    def for_user(self, user, action: str = Action.VIEW) -> FrameworkQuerySet:
        own = super().for_user(user, action)
        if action != Action.VIEW:
            return own
        scope = user_scope(user, action)
        if scope.everything or not scope.paths:
            return own
        ancestor_ids = {int(part) for path in scope.paths for part in path.strip("/").split("/") if part}
        inherited = self.filter(owner_id__in=ancestor_ids).exclude(status=FrameworkStatus.DRAFT)
        return (own | inherited).distinct()

    def published(self) -> FrameworkQuerySet:
        return self.filter(status=FrameworkStatus.PUBLISHED)


class Framework(models.Model):
    """A criteria framework (bộ tiêu chí): a versioned, owned, possibly derived tree of criteria with levels."""

    scope_path_lookup = "owner__path"

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=FrameworkKind.choices)
    owner = models.ForeignKey(
        Organization, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="frameworks"
    )
    basis = models.TextField(_("legal basis"), blank=True)
    description = models.TextField(_("description"), blank=True)
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"), null=True, blank=True)
    valid_to_year = models.PositiveSmallIntegerField(_("valid until year"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("derived from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    # For meeting-quality frameworks: which meetings it rates (empty: any).
    meeting_kind = models.CharField(_("for meetings"), max_length=20, choices=MeetingScope.choices, blank=True)
    # Which organisation levels it is meant for (empty: all); e.g. seed 003's 2.2.x items for grassroots.
    org_levels = models.JSONField(_("organisation levels"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("criteria framework")
        verbose_name_plural = _("criteria frameworks")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True)
                | Q(valid_from_year__isnull=True)
                | Q(valid_to_year__gte=models.F("valid_from_year")),
                name="framework_valid_years",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        """Criteria and levels of a published or retired framework never change: a change is a new version."""
        return self.status != FrameworkStatus.DRAFT

    def is_in_use(self) -> bool:
        """Used by an evaluation or a published derived framework: then nothing about it may change."""
        return framework_in_use(self)

    def clean(self) -> None:
        errors = {}
        # Deriving from a draft is refused by the derive service; a draft child of a draft parent (a workbook
        # creating both) is allowed, and neither can be published before its parent is.
        if self.parent_id is not None:
            if self.pk is not None and self.pk in {f.pk for f in self.parent.lineage()}:
                errors["parent"] = _("A framework cannot derive from itself.")
            elif self.owner_id and not self.owner.path.startswith(self.parent.owner.path):
                errors["parent"] = _("A framework derives from one issued by its own or a higher committee.")
        bad_levels = [lvl for lvl in self.org_levels or [] if lvl not in Level.values]
        if bad_levels:
            errors["org_levels"] = _("Unknown organisation level: %(levels)s") % {"levels": ", ".join(bad_levels)}
        if self.valid_from_year and self.valid_to_year and self.valid_to_year < self.valid_from_year:
            errors["valid_to_year"] = _("The last year cannot be before the first.")
        if errors:
            raise ValidationError(errors)

    def lineage(self) -> list[Framework]:
        """This framework and the ones it derives from, itself first (one query per generation)."""
        chain = [self]
        seen = {self.pk}
        current = self
        while current.parent_id is not None and current.parent_id not in seen:
            current = current.parent
            seen.add(current.pk)
            chain.append(current)
        return chain


class Criterion(models.Model):
    """One node of a framework's tree: a group, a criterion or an item.

    ``max_points`` null means pass/fail. A parent's points are its children's sum. With a
    ``comparator`` it is a quantitative indicator (achieved when the actual value meets the target).
    In a derived framework, ``parent`` may be a criterion of the framework it derives from.
    """

    scope_path_lookup = "framework__owner__path"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent criterion"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=1000)
    guidance = models.TextField(_("guidance"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    max_points = models.DecimalField(_("max points"), max_digits=7, decimal_places=2, null=True, blank=True)
    is_key = models.BooleanField(_("key criterion"), default=False)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    cell_types = models.ManyToManyField(CellType, verbose_name=_("cell types"), blank=True, related_name="+")
    org_levels = models.JSONField(_("organisation levels"), default=list, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_settable_by_cell = models.BooleanField(_("a cell may set its own target"), default=False)
    # WORKBOOK v3, for a meeting-quality rubric: the meeting kinds it applies to (empty: all), what it counts
    # where it does not apply, and the meeting fact it is scored from with its bands (nobody types its points).
    kinds = models.JSONField(_("meeting kinds"), default=list, blank=True)
    not_applicable = models.CharField(
        _("where it does not apply"), max_length=10, choices=NotApplicable.choices, default=NotApplicable.NONE
    )
    measure = models.CharField(_("scored from"), max_length=30, choices=Measure.choices, blank=True)
    # [[operator, value, points], ...] as text numbers, in order: the first band whose condition holds gives
    # the points (criteria.scoring.parse_bands / format_bands read and write WORKBOOK's "OP VALUE:POINTS; ...").
    bands = models.JSONField(_("bands"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique_in_framework"),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=0), name="criterion_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_indicator(self) -> bool:
        return bool(self.comparator)

    def clean(self) -> None:
        errors = {}
        if self.parent_id is not None and self.framework_id is not None:
            allowed = {f.pk for f in self.framework.lineage()}
            if self.parent.framework_id not in allowed:
                errors["parent"] = _("The parent criterion belongs to another framework.")
            elif self.pk is not None and self.parent_id == self.pk:
                errors["parent"] = _("A criterion cannot be its own parent.")
        bad_levels = [lvl for lvl in self.org_levels or [] if lvl not in Level.values]
        if bad_levels:
            errors["org_levels"] = _("Unknown organisation level: %(levels)s") % {"levels": ", ".join(bad_levels)}
        if self.max_points is not None and self.max_points < 0:
            errors["max_points"] = _("Points cannot be negative.")
        if self.comparator and self.target is None and not self.target_settable_by_cell:
            errors["target"] = _("An indicator needs a target, or must let the cell set its own.")
        errors.update(self._meeting_rule_errors())
        if errors:
            raise ValidationError(errors)

    def _meeting_rule_errors(self) -> dict:
        """``kinds``, ``measure`` and ``bands`` (WORKBOOK v3): for a meeting-quality rubric only; a measure
        is a scored leaf with bands, and bands belong to a measure."""
        from .scoring import BandError, bands_from_json

        errors = {}
        bad_kinds = [kind for kind in self.kinds or [] if kind not in MeetingKindScope.values]
        if bad_kinds:
            errors["kinds"] = _("Unknown meeting kind: %(kinds)s") % {"kinds": ", ".join(map(str, bad_kinds))}
        meeting_only = [name for name in ("kinds", "measure") if getattr(self, name)]
        if meeting_only and self.framework_id and self.framework.kind != FrameworkKind.MEETING:
            for name in meeting_only:
                errors.setdefault(name, _("Only a meeting-quality rubric scores meetings by kind or by their facts."))
        try:
            bands = bands_from_json(self.bands)
        except BandError as exc:
            errors["bands"] = str(exc)
            bands = ()
        if self.measure:
            if self.max_points is None:
                errors["max_points"] = _("A criterion scored from the meeting's facts needs its maximum points.")
            if not bands and "bands" not in errors:
                errors["bands"] = _("Give the bands that turn the measure into points.")
            if self.comparator:
                errors["comparator"] = _("A criterion scored from the meeting's facts is not an indicator.")
        elif bands:
            errors["bands"] = _("Bands need a measure to read.")
        return errors


class RatingLevel(models.Model):
    """A level a result can get (tot, kha... or dat, khong_dat); the first in rank order whose conditions hold."""

    scope_path_lookup = "framework__owner__path"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=30)
    label = models.CharField(_("label"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the highest level."))
    min_points = models.DecimalField(_("minimum points"), max_digits=7, decimal_places=2, null=True, blank=True)
    require_key_full = models.BooleanField(_("key criteria at full marks"), default=False)
    require_all_achieved = models.BooleanField(_("every group achieved"), default=False)
    # Data, not code: which levels the reports list as needing attention (Trung bình, Kém, Không đạt...).
    needs_attention = models.BooleanField(
        _("needs attention"), default=False, help_text=_("Reports list the results at this level for follow-up.")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "rank"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="rating_level_code_unique"),
            models.UniqueConstraint(fields=["framework", "rank"], name="rating_level_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="rating_level_rank_positive"),
        ]

    def __str__(self) -> str:
        return self.label or self.code

    def clean(self) -> None:
        if self.rank is not None and self.rank < 1:
            raise ValidationError({"rank": _("The highest level has rank 1.")})


class RollupPeriod(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class RollupLevel(models.Model):
    """How a quarter or a year of meetings is rated from the meetings' own levels (WORKBOOK v2
    ``rollup_levels``), e.g. "a year is Tốt when every meeting was Khá or better and at least 7 were Tốt".

    A period gets the first roll-up level, in rank order, whose conditions all hold; no condition holds always.
    Level codes named here are codes of the framework's own rating levels (data, checked on save)."""

    scope_path_lookup = "framework__owner__path"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rollup_levels")
    period = models.CharField(_("period"), max_length=10, choices=RollupPeriod.choices)
    code = models.SlugField(_("code"), max_length=30)
    label = models.CharField(_("label"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the highest level."))
    min_meetings = models.PositiveSmallIntegerField(_("at least this many meetings"), null=True, blank=True)
    all_at_least = models.SlugField(
        _("every meeting at least"), max_length=30, blank=True, help_text=_("A level code of the framework.")
    )
    count_level = models.SlugField(
        _("counted level"), max_length=30, blank=True, help_text=_("A level code of the framework.")
    )
    min_count = models.PositiveSmallIntegerField(
        _("at least this many meetings at the counted level or higher"), null=True, blank=True
    )
    min_average = models.DecimalField(_("minimum average"), max_digits=7, decimal_places=2, null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True, help_text=_("The document that sets this rule."))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "period", "rank"]
        verbose_name = _("roll-up level")
        verbose_name_plural = _("roll-up levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "period", "code"], name="rollup_level_code_unique"),
            models.UniqueConstraint(fields=["framework", "period", "rank"], name="rollup_level_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="rollup_level_rank_positive"),
        ]

    def __str__(self) -> str:
        return self.label or self.code

    def clean(self) -> None:
        errors = {}
        if self.rank is not None and self.rank < 1:
            errors["rank"] = _("The highest level has rank 1.")
        if bool(self.count_level) != (self.min_count is not None):
            errors["min_count"] = _("Give both the counted level and how many meetings, or neither.")
        if errors:
            raise ValidationError(errors)
