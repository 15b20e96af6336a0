"""Every write to report runs: request, build (called by the Celery task), fail, retry, schedule.

The build is idempotent: a re-delivered task for a finished run does nothing, and a rebuild writes
the same file path (rendered beside it, then moved into place), so a run has one row and one file
whatever happens to the worker.
"""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path

from celery import signature
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cells.models import Level, Organization, Role, RoleAssignment
from cells.periods import Period, last_ended
from cells.scoping import Action, require_scope
from cells.services import audit_record, notify, stored_user

from .building import build_document, document_defaults
from .models import ReportFormat, ReportRun, RunStatus
from .registry import get_kind

logger = logging.getLogger(__name__)

# A run whose build was started this many times without finishing (worker killed each time) fails.
MAX_ATTEMPTS = 3
# The Celery task that builds a run (reports/tasks.py registers it under this name).
BUILD_REPORT_TASK = "reports.tasks.build_report_run"
DOCUMENT_FIELDS = (
    "number",
    "place",
    "issued_on",
    "parent_body",
    "issuing_body",
    "signer_on_behalf",
    "signer_position",
    "signer_name",
    "recipients",
    "draft",
)


def _enqueue(run: ReportRun) -> None:
    # By the task's name: the task module calls these services, so this module does not import it.
    run_id = run.pk
    transaction.on_commit(lambda: signature(BUILD_REPORT_TASK, args=(run_id,)).delay())


@transaction.atomic
def report_run_request(
    *,
    kind: str,
    organization: Organization,
    period: str,
    format: str = ReportFormat.PDF,
    acting_user,
    scheduled: bool = False,
    language: str | None = None,
    **fields,
) -> ReportRun:
    """Record a request for a report and queue its build once the transaction commits."""
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValueError(f"report_run_request got unknown fields {sorted(unknown)}")
    # Reading the subtree is enough to ask for a report of it: building one changes no record.
    require_scope(stored_user(acting_user), Action.VIEW, organization)
    run = ReportRun(
        kind=kind,
        organization=organization,
        period=period.strip().upper() if period else "",
        format=format,
        requested_by=acting_user if getattr(acting_user, "pk", None) else None,
        scheduled=scheduled,
        language=language or translation.get_language() or "vi",
        **{key: value for key, value in fields.items() if value is not None},
    )
    run.full_clean()
    run.period = Period.parse(run.period).code
    if run.requested_by is not None and not scheduled:
        waiting = _waiting_runs_of(run.requested_by)
        same = waiting.filter(
            kind=run.kind,
            organization=organization,
            period=run.period,
            format=run.format,
            language=run.language,
            **run_fields(run),
        ).first()
        if same is not None:
            return same  # asked twice (a double click, an impatient user): the run already waiting answers
        if len(waiting) >= settings.CHIBO_MAX_QUEUED_REPORTS:
            raise ValidationError(
                _(
                    "You already have %(n)s reports waiting to be built; ask for more when they are done "
                    "(the list of reports shows their progress)."
                )
                % {"n": len(waiting)}
            )
    run.save()
    audit_record(
        acting_user=acting_user,
        action="report.request",
        instance=run,
        organization=organization,
        after={"kind": kind, "period": run.period, "format": format, "scheduled": scheduled},
    )
    _enqueue(run)
    return run


def _waiting_runs_of(user):
    """The user's runs not yet built, with the user's row locked: two requests at once queue one after
    the other, so neither passes the limit nor doubles a run."""
    from django.contrib.auth import get_user_model

    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    return ReportRun.objects.unfinished().filter(requested_by=user)


@transaction.atomic
def report_run_retry(*, run: ReportRun, acting_user) -> ReportRun:
    """Queue a failed run again (from the start, with a fresh count of attempts)."""
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.FAILED:
        raise ValidationError(_("Only a failed report can be retried."))
    before = {"status": run.status, "error": run.error, "attempts": run.attempts}
    run.status = RunStatus.QUEUED
    run.error = ""
    run.progress = 0
    run.attempts = 0
    run.started_at = run.finished_at = None
    run.save(update_fields=["status", "error", "progress", "attempts", "started_at", "finished_at"])
    audit_record(
        acting_user=acting_user,
        action="report.retry",
        instance=run,
        organization=run.organization,
        before=before,
        after={"status": run.status},
    )
    _enqueue(run)
    return run


def _claim(run_id: int) -> ReportRun | None:
    """Mark the run as running and count the attempt; None when there is nothing to do."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update(of=("self",)).select_related("organization").filter(pk=run_id).first()
        if run is None:
            logger.warning("report run %s does not exist (deleted?)", run_id)
            return None
        if run.status == RunStatus.DONE and run.file and default_storage.exists(run.file.name):
            return None  # a re-delivered task for a finished run
        if run.status == RunStatus.FAILED:
            return None  # only report_run_retry queues a failed run again
        if run.attempts >= MAX_ATTEMPTS:
            _mark_failed(run, _("The report was started %(n)s times without finishing.") % {"n": run.attempts})
            return None
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.progress = 0
        run.error = ""
        run.started_at = timezone.now()
        run.finished_at = None
        run.save(update_fields=["status", "attempts", "progress", "error", "started_at", "finished_at"])
        return run


def _mark_failed(run: ReportRun, error: str) -> None:
    run.status = RunStatus.FAILED
    run.error = error[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


def _set_progress(run_id: int, percent: int) -> None:
    ReportRun.objects.filter(pk=run_id).update(progress=max(0, min(percent, 99)))


def report_run_fail(*, run_id: int, error: str) -> None:
    """Give up on a run (called by the task when its retries are spent)."""
    run = ReportRun.objects.filter(pk=run_id).first()
    if run and run.status != RunStatus.DONE:
        _mark_failed(run, error)


def render_document_file(document, format: str, path: Path) -> int | None:
    """Render ``document`` to ``path`` atomically (beside it, then moved in place); return the PDF's pages."""
    from .render_pdf import render_pdf
    from .render_xlsx import render_xlsx

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        pages = render_pdf(document, str(partial)) if format == ReportFormat.PDF else None
        if format == ReportFormat.XLSX:
            render_xlsx(document, str(partial))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return pages


def run_fields(run: ReportRun) -> dict:
    return {key: getattr(run, key) for key in DOCUMENT_FIELDS}


def report_run_execute(*, run_id: int, today: datetime.date | None = None) -> ReportRun | None:
    """Build a run's file (the Celery task's whole body). Errors other than database outages fail the run."""
    from django.db import InterfaceError, OperationalError

    run = _claim(run_id)
    if run is None:
        return None
    try:
        with translation.override(run.language or "vi"):
            document = build_document(
                kind_code=run.kind,
                organization=run.organization,
                period=run.period_obj,
                fields=run_fields(run),
                progress=lambda percent: _set_progress(run.pk, 5 + percent * 65 // 100),
                today=today,
            )
            _set_progress(run.pk, 70)
            name = run.storage_name()
            pages = render_document_file(document, run.format, Path(default_storage.path(name)))
    except (OperationalError, InterfaceError):
        raise  # the database went away: the task retries
    except Exception as exc:
        logger.exception("report run %s failed", run.pk)
        _mark_failed(run, _error_text(exc))
        return run
    run.status = RunStatus.DONE
    run.progress = 100
    run.file.name = name
    run.file_size = Path(default_storage.path(name)).stat().st_size
    run.pages = pages
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "file", "file_size", "pages", "finished_at"])
    _notify_ready(run)
    return run


def _notify_ready(run: ReportRun) -> None:
    """Tell who waits for it: the requester, or for a scheduled report the committee's staff and leadership."""
    from django.urls import reverse

    if run.scheduled:
        users = [
            assignment.user
            for assignment in RoleAssignment.objects.current()
            .filter(organization=run.organization, role__in=[Role.STAFF, Role.LEADERSHIP], user__is_active=True)
            .select_related("user")
        ]
    else:
        users = [run.requested_by]
    with translation.override(run.language or "vi"):
        notify(
            users=users,
            kind="report",
            title=_("Report ready: %(report)s, %(org)s, %(period)s")
            % {"report": run.kind_title, "org": run.organization.name, "period": run.period_obj.label},
            url=reverse("reports:run_detail", args=[run.pk]),
            key=f"report:{run.pk}",
        )


def _error_text(exc: Exception) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _("The report took longer than the time allowed and was stopped.")
    return f"{type(exc).__name__}: {exc}"


# --- Schedules ------------------------------------------------------------------------------------

SCHEDULED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.GRASSROOTS)


def report_runs_schedule(
    *, kind: str, period: str, format: str = ReportFormat.PDF, root: Organization | None = None
) -> list[ReportRun]:
    """Request ``kind`` for ``period`` for every active committee (of ``root``'s subtree), as the system.

    The beat schedule calls it for the whole tree; the demo load for its province. Committees that
    already have a scheduled run of that kind and period are skipped, so the schedule can fire twice
    without doubling the work.
    """
    report_kind = get_kind(kind)
    levels = [level for level in SCHEDULED_LEVELS if level in report_kind.levels]
    already = set(
        ReportRun.objects.filter(kind=kind, period=period, format=format, scheduled=True).values_list(
            "organization_id", flat=True
        )
    )
    committees = Organization.objects.filter(level__in=levels, is_active=True).select_related("parent")
    if root is not None:
        committees = committees.subtree_of(root)
    runs = []
    today = timezone.localdate()
    with translation.override("vi"):
        for organization in committees.prefetch_related("intervals", "parent__intervals"):
            if organization.pk in already:
                continue
            defaults = document_defaults(organization, today)
            runs.append(
                report_run_request(
                    kind=kind,
                    organization=organization,
                    period=period,
                    format=format,
                    acting_user=None,
                    scheduled=True,
                    language="vi",
                    # The system's own reports wait for the office to number and sign them: drafts.
                    draft=True,
                    **{key: defaults[key] for key in DOCUMENT_FIELDS if key in defaults},
                )
            )
    return runs


def report_runs_queue_demo(*, province: Organization, today: datetime.date | None = None) -> list[ReportRun]:
    """The demo's reports waiting for a new user: last quarter's and last year's, built by the worker.

    The demo load queues them; the worker ``make run`` starts beside the site builds them, exactly
    as it builds the beat's scheduled ones."""
    today = today or timezone.localdate()
    runs = report_runs_schedule(kind="quarterly", period=last_ended("quarter", today).code, root=province)
    runs += report_runs_schedule(kind="year_end", period=last_ended("year", today).code, root=province)
    return runs
