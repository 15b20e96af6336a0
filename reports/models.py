"""Report runs: who asked for which report, of which organisation and period, and what came of it."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.history import absence_during
from cells.models import Organization
from cells.periods import Period, PeriodKind
from cells.scoping import ScopedQuerySet

from .registry import get_kind


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportRunQuerySet(ScopedQuerySet):
    def unfinished(self) -> ReportRunQuerySet:
        return self.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])


class ReportRun(models.Model):
    """One request for a report, built in the background by a Celery worker (NetBox's Job, for reports).

    The row holds the request (kind, organisation, period, format and the document's fields typed by
    the requester), the progress and outcome, and the produced file. The file lives in private storage
    under MEDIA_ROOT at a path fixed by the run's id, so building it again overwrites it: one row, one file.
    """

    scope_path_lookup = "organization__path"

    kind = models.CharField(_("report"), max_length=40)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="report_runs"
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("2024-03, 2024-Q1, 2024-H1 or 2024"))
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices, default=ReportFormat.PDF)
    language = models.CharField(max_length=10, default="vi", editable=False)

    # The document's fields, typed when the report is requested (Hướng dẫn 36-HD/VPTW).
    number = models.CharField(_("document number"), max_length=60, blank=True, help_text=_("For example 12-BC/TU"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    issued_on = models.DateField(_("date of the document"), default=timezone.localdate)
    parent_body = models.CharField(_("superior body"), max_length=200, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    signer_on_behalf = models.CharField(_("signing for"), max_length=120, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One recipient per line."))
    draft = models.BooleanField(
        _("draft"), default=False, help_text=_('Printed with "DRAFT" above the heading, until it is issued.')
    )

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_runs",
        help_text=_("Empty when the schedule requested it."),
    )
    scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), max_length=255, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        indexes = [models.Index(fields=["organization", "-requested_at"], name="reportrun_org_recent_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_max_100"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="reportrun_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.organization_id} · {self.period}"

    def clean(self) -> None:
        errors = {}
        try:
            kind = get_kind(self.kind)
        except LookupError:
            errors["kind"] = _("There is no such report.")
            kind = None
        try:
            period = Period.parse(self.period)
        except ValueError as exc:
            errors["period"] = str(exc)
            period = None
        if kind and period and period.kind not in kind.periods:
            errors["period"] = _("This report covers a %(kinds)s, not a %(kind)s.") % {
                "kinds": ", ".join(str(label).lower() for code, label in PeriodKind.choices if code in kind.periods),
                "kind": dict(PeriodKind.choices)[period.kind].lower(),
            }
        if kind and self.organization_id and not kind.applies_to(self.organization):
            errors["organization"] = _("This report is made for a committee, not for this organisation.")
        if period and self.organization_id and "period" not in errors:
            # Refused here, at the request: the worker would otherwise fail on a subtree with no history.
            absent = absence_during(self.organization, period.start, period.end, period.label)
            if absent:
                errors["period"] = absent
        if errors:
            raise ValidationError(errors)

    @property
    def kind_title(self) -> str:
        try:
            return str(get_kind(self.kind).title)
        except LookupError:
            return self.kind

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def filename(self) -> str:
        """The name the download gets: kind, organisation code and period, e.g. "quarterly-TP-YB-2024-Q1.pdf"."""
        return f"{self.kind}-{self.organization.code}-{self.period}.{self.format}"

    def storage_name(self) -> str:
        """Where the file lives under MEDIA_ROOT; fixed by the id, so a rebuild overwrites it."""
        return str(PurePosixPath("reports") / f"{self.pk:08d}" / f"report.{self.format}")

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[ReportFormat(self.format)]

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
