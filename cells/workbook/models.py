"""An import job: one uploaded workbook, checked (dry run), then imported on confirmation (NetBox's Job).

The uploaded file stays private under MEDIA_ROOT (never served), referenced by the job, so the user
confirms without uploading again. Progress and outcome live in the row, read by the staff page.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _upload_path(job: ImportJob, filename: str) -> str:
    # A random name: the user's file name is kept in the row, never used as a path.
    return f"workbooks/{uuid.uuid4().hex}.xlsx"


class ImportJobQuerySet(models.QuerySet):
    """Jobs are their uploader's: nobody else sees one (404), except a superuser."""

    def for_user(self, user, action: str = "view") -> ImportJobQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(user=user)


class ImportJob(models.Model):
    """One workbook import: its file, where it stands, and what it found or did."""

    class Phase(models.TextChoices):
        CHECK = "check", _("Check")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("In progress")
        CHECKED = "checked", _("Checked, ready to import")
        INVALID = "invalid", _("Has problems")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        # Cancelled by its uploader, or never confirmed within CHIBO_UNCONFIRMED_UPLOAD_HOURS: the file is gone.
        CANCELLED = "cancelled", _("Cancelled, the upload deleted")

    FINISHED = (Status.CHECKED, Status.INVALID, Status.DONE, Status.FAILED, Status.CANCELLED)
    WAITING = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.CHECK)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    run_in_background = models.BooleanField(default=False)
    # Progress: rows read so far of about how many (the sheets' own estimate), and the step.
    progress_step = models.CharField(max_length=10, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # ImportResult.as_dict() of the last run (check or import): counts, changed rows, errors.
    report = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def can_confirm(self) -> bool:
        return self.phase == self.Phase.CHECK and self.status == self.Status.CHECKED and bool(self.file)

    @property
    def errors(self) -> list[dict]:
        return self.report.get("errors", [])

    @property
    def sheets(self) -> list[dict]:
        return self.report.get("sheets", [])

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))
