"""Campaigns (yearly plans), registration, year-end evaluation and recognition."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.models import CELL_LEVELS, Level, Organization
from cells.scoping import ScopedQuerySet
from criteria.models import Comparator

__all__ = [
    "AnnualAnswer",
    "Award",
    "AwardKind",
    "Campaign",
    "CampaignMilestone",
    "CampaignStanding",
    "CampaignSummary",
    "CampaignTarget",
    "Evidence",
    "Outcome",
    "PARTICIPANT_STATUSES",
    "RecognitionDecision",
    "Registration",
    "RegistrationProposal",
    "RegistrationStatus",
    "Result",
    "SteeringMember",
    "TargetMetric",
    "YearRating",
    "YearRatingCode",
]


class YearRatingCode(models.TextChoices):
    """Year-end rating of an organisation or member, best first."""

    HTXSNV = "HTXSNV", _("Excellently completed duties (HTXSNV)")
    HTTNV = "HTTNV", _("Well completed duties (HTTNV)")
    HTNV = "HTNV", _("Completed duties (HTNV)")
    KHTNV = "KHTNV", _("Did not complete duties (KHTNV)")


class TargetMetric(models.TextChoices):
    RECOGNIZED_NEW = "recognized_new", _("Newly recognized cells")
    RECOGNIZED_TOTAL = "recognized_total", _("Recognized cells in total")
    PASSED_SHARE = "passed_share", _("Percent of participants that passed")
    # WORKBOOK v2: percents over the whole subtree of the campaign's owner, not only its participants.
    RATED_SHARE = "rated_share", _("Percent of the subtree's organisations rated at least")
    RECOGNIZED_SHARE = "recognized_share", _("Percent of the subtree's organisations recognized")


class CampaignQuerySet(ScopedQuerySet):
    pass


class Campaign(models.Model):
    """A committee's yearly plan under a framework: deadlines, targets, eligibility rules and its cells."""

    scope_path_lookup = "owner__path"

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    owner = models.ForeignKey(
        Organization, verbose_name=_("owner committee"), on_delete=models.PROTECT, related_name="campaigns"
    )
    framework = models.ForeignKey(
        "criteria.Framework", verbose_name=_("criteria framework"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    legal_basis = models.TextField(_("legal basis"), blank=True)
    plan_number = models.CharField(_("plan number"), max_length=60, blank=True)
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    self_assessment_deadline = models.DateField(_("self-assessment deadline"), null=True, blank=True)
    recognition_deadline = models.DateField(_("recognition deadline"), null=True, blank=True)
    min_year_rating = models.CharField(
        _("minimum year-end rating to pass"),
        max_length=6,
        blank=True,
        choices=[c for c in YearRatingCode.choices if c[0] != YearRatingCode.KHTNV],
    )
    eligibility_good_years = models.PositiveSmallIntegerField(
        _("years rated HTTNV or better before registering"), default=0
    )
    eligibility_all_members_completed = models.BooleanField(
        _("last year every member rated HTNV or better"), default=False
    )
    selection_cap = models.PositiveSmallIntegerField(
        _("cells each committee may select"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class CampaignMilestone(models.Model):
    """A step of the plan with its due date (T9): a dissemination conference, the registration list..."""

    scope_path_lookup = "campaign__owner__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=255)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class SteeringMember(models.Model):
    """A named member of the campaign's steering committee (Ban Chỉ đạo, T3)."""

    scope_path_lookup = "campaign__owner__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steering_members")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    role = models.CharField(_("role in the steering committee"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "order", "id"]
        verbose_name = _("steering committee member")
        verbose_name_plural = _("steering committee")

    def __str__(self) -> str:
        return self.full_name


class CampaignTarget(models.Model):
    """A target of the plan: a count of recognitions or a percent passed, for one cell type or all."""

    scope_path_lookup = "campaign__owner__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("metric"), max_length=20, choices=TargetMetric.choices)
    cell_type = models.ForeignKey(
        "cells.CellType", verbose_name=_("cell type"), null=True, blank=True, on_delete=models.PROTECT
    )
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.GE)
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=2)
    # WORKBOOK v2: the organisation level counted (empty: cells); for rated_share the year rating to reach.
    org_level = models.CharField(
        _("organisation level"), max_length=20, choices=Level.choices, blank=True, help_text=_("Empty: cells.")
    )
    rating = models.CharField(_("year rating at least"), max_length=10, choices=YearRatingCode.choices, blank=True)
    due_year = models.PositiveSmallIntegerField(_("due year"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "metric", "cell_type__order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "metric", "cell_type", "org_level"], name="campaign_target_level_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "metric", "org_level"],
                condition=Q(cell_type__isnull=True),
                name="campaign_target_all_level_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.comparator} {self.value}"

    def clean(self) -> None:
        if self.metric == TargetMetric.RATED_SHARE and not self.rating:
            raise ValidationError({"rating": _("Say which year rating an organisation must reach to count.")})


class YearRating(models.Model):
    """An organisation's year-end rating for a year and its members' counts: an input to eligibility and results."""

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="year_ratings"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    rating = models.CharField(_("rating"), max_length=6, choices=YearRatingCode.choices)
    members_total = models.PositiveIntegerField(_("members rated"), null=True, blank=True)
    members_completed = models.PositiveIntegerField(_("members rated HTNV or better"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-year"]
        verbose_name = _("year-end rating")
        verbose_name_plural = _("year-end ratings")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="year_rating_unique")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.rating}"

    def clean(self) -> None:
        if (
            self.members_total is not None
            and self.members_completed is not None
            and self.members_completed > self.members_total
        ):
            raise ValidationError({"members_completed": _("Cannot be more than the members rated.")})


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    MAINTAINING = "maintaining", _("Maintaining the title")


PARTICIPANT_STATUSES = (RegistrationStatus.APPROVED, RegistrationStatus.MAINTAINING)
# Who takes part in a campaign: cells, and grassroots organisations and partial committees (seed 003's
# "đảng bộ cơ sở bốn tốt" beside "chi bộ bốn tốt"; WORKBOOK v2 registrations).
PARTICIPANT_LEVELS = (*CELL_LEVELS, Level.GRASSROOTS, Level.PARTIAL)


class Result(models.TextChoices):
    DAT = "dat", _("Passed (Đạt)")
    KHONG_DAT = "khong_dat", _("Not passed (Không đạt)")


class Outcome(models.TextChoices):
    RECOGNIZED_NEW = "recognized_new", _("Newly recognized")
    MAINTAINED = "maintained", _("Title maintained")
    LOST = "lost", _("Title lost")
    NOT_RECOGNIZED = "not_recognized", _("Not recognized")


class Registration(models.Model):
    """A cell taking part in a campaign: its registration, the board's decision, and its year's result.

    ``total_points``, ``level_code``, ``level_rank`` and ``failed`` are the scoring of the final answers,
    kept up to date by the services whenever an answer changes; the result and status are applied
    from the campaign rules when read, and frozen into ``result``/``outcome`` when the board confirms.
    """

    scope_path_lookup = "organization__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="campaign_registrations"
    )
    framework = models.ForeignKey(
        "criteria.Framework",
        verbose_name=_("criteria used"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The campaign's framework, or the cell's own framework derived from it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    survey_report = models.TextField(_("survey report"), blank=True)
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)
    eligibility = models.JSONField(_("eligibility check"), default=dict, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The scoring of the final answers (kept current by the services).
    total_points = models.DecimalField(_("total points"), max_digits=8, decimal_places=2, null=True, blank=True)
    level_code = models.CharField(_("level"), max_length=30, blank=True)
    level_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    failed = models.CharField(_("failed groups"), max_length=255, blank=True)
    self_assessed_at = models.DateTimeField(_("self-assessment submitted"), null=True, blank=True)
    # Who last self-assessed (an answer or the submission), shown on the page.
    self_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Everyone who ever changed a self-assessed answer or submitted (page or workbook): separation of
    # duties keeps each of them off the appraisal and the confirmation (campaigns/rights.py).
    self_assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("self-assessed by"), blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Frozen when the board confirms the appraisal.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year_rating = models.CharField(_("year-end rating"), max_length=6, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    outcome = models.CharField(_("recognition status"), max_length=20, choices=Outcome.choices, blank=True)
    # Moves on with every save of the registration, its decision or its annual answers (cells/concurrency.py).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "organization__path"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="registration_unique"),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="registration_status_idx")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.campaign}"

    @property
    def is_participant(self) -> bool:
        return self.status in PARTICIPANT_STATUSES

    @property
    def is_maintaining(self) -> bool:
        return self.status == RegistrationStatus.MAINTAINING

    @property
    def is_locked(self) -> bool:
        return self.confirmed_at is not None

    def clean(self) -> None:
        if self.organization_id and self.organization.level not in PARTICIPANT_LEVELS:
            raise ValidationError({"organization": _("Only a cell or a grassroots party organisation can register.")})


class RegistrationProposal(models.Model):
    """A grassroots committee's list of its cells' registrations, sent up to the board, which approves the
    list (Y9). Each registration on it is then decided like any other (registration_decide)."""

    scope_path_lookup = "committee__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="proposals")
    committee = models.ForeignKey(
        Organization, verbose_name=_("proposing committee"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("document number"), max_length=60, blank=True)
    proposed_on = models.DateField(_("proposed on"), default=timezone.localdate)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registrations = models.ManyToManyField(Registration, verbose_name=_("cells"), related_name="proposals")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "-proposed_on", "-id"]
        verbose_name = _("registration proposal")
        verbose_name_plural = _("registration proposals")

    def __str__(self) -> str:
        return f"{self.committee} · {self.reference or self.proposed_on.strftime('%d/%m/%Y')}"


class AnnualAnswer(models.Model):
    """One criterion of a participant's year: the cell's self-assessment and the board's appraisal (B1, Y10)."""

    scope_path_lookup = "registration__organization__path"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey("criteria.Criterion", on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("self-assessed points"), max_digits=7, decimal_places=2, null=True, blank=True)
    self_achieved = models.BooleanField(_("self-assessed achieved"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actual = models.DecimalField(_("actual value"), max_digits=14, decimal_places=3, null=True, blank=True)
    target = models.DecimalField(_("the cell's own target"), max_digits=14, decimal_places=3, null=True, blank=True)
    appraised_points = models.DecimalField(_("appraised points"), max_digits=7, decimal_places=2, null=True, blank=True)
    appraised_achieved = models.BooleanField(_("appraised achieved"), null=True, blank=True)
    appraisal_reason = models.TextField(_("reason for the change"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["registration", "criterion__order", "criterion_id"]
        verbose_name = _("annual answer")
        verbose_name_plural = _("annual answers")
        constraints = [models.UniqueConstraint(fields=["registration", "criterion"], name="annual_answer_unique")]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.criterion_id}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """An unguessable name under a private folder; the original name is kept only in the row."""
    from evaluations.evidence import private_name

    return private_name(instance, filename)


class Evidence(models.Model):
    """A document proving one answer (minh chứng). Stored privately; served only by a scope-checking view."""

    scope_path_lookup = "answer__registration__organization__path"

    answer = models.ForeignKey(AnnualAnswer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["answer", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class RecognitionDecision(models.Model):
    """The competent committee's decision recognizing cells (number, date, signer, the cells)."""

    scope_path_lookup = "campaign__owner__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="decisions")
    number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    # Who decided: the committee's leader who signed. Who proposed: the staff member who put it forward
    # (and recorded it here), with the proposal's own reference when there is one (tờ trình).
    signer = models.CharField(_("decided and signed by"), max_length=150)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposal = models.CharField(_("proposal"), max_length=150, blank=True)
    registrations = models.ManyToManyField(Registration, verbose_name=_("cells"), related_name="decisions")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "-decided_on"]
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")

    def __str__(self) -> str:
        return self.number


class AwardKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation")
    REWARD = "reward", _("Reward")
    SUPPORT = "support", _("Support for the cultural house")


class Award(models.Model):
    """A commendation or reward for a recognized cell (Y8), or support granted to a residential cell (Y7)."""

    scope_path_lookup = "registration__organization__path"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    description = models.CharField(_("what was granted"), max_length=255)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    granted_on = models.DateField(_("granted on"))
    reference = models.CharField(_("document"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["registration", "granted_on"]
        verbose_name = _("award or support")
        verbose_name_plural = _("awards and support")

    def __str__(self) -> str:
        return self.description


# --- What a campaign's figures need of the tree's history (kept, so a page does not work it out) ------


class CampaignSummary(models.Model):
    """For whom and for which tree a campaign's :class:`CampaignStanding` rows were worked out.

    The campaign's figures (dashboard, targets) count its participants by the level each had on its last day
    in the campaign's year, and its owner's subtree of that year (the history rule): working that out reads
    every state of thousands of organisations. The standings are kept here instead, for the owner and year
    the campaign had and the tree as it stood (its size and its latest change): a read that finds any of
    them moved on, or a participant without a standing, counts from the raw rows and has them rebuilt
    (evaluations/campaigns/summaries.py)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    owner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    tree_size = models.PositiveIntegerField()
    tree_changed_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign summary")
        verbose_name_plural = _("campaign summaries")

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.year}"


class CampaignStanding(models.Model):
    """An organisation a campaign's figures count, as it stood on its last day in the campaign's year: every
    organisation of the owner's subtree then (``in_subtree``) and every participant, wherever it stood."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="standings")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="campaign_standings")
    # Its level on its last day in the year; empty when it did not exist in the year (its level today counts).
    level = models.CharField(max_length=20, blank=True)
    in_subtree = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("organisation as a campaign counts it")
        verbose_name_plural = _("organisations as a campaign counts them")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="campaign_standing_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.organization_id} · {self.level}"
