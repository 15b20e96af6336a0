"""Failed background tasks, recorded as rows so that staff see them in the product.

Celery's ``task_failure`` signal fires in the worker when a task raises. The handler stores the task,
its arguments, the error and the traceback, and, for tasks registered in :data:`SUBJECTS`, the row the
task was about (a report run, an import job) with its organisation or user, which decide who sees it
(models.TaskFailureQuerySet.for_user).
"""

from __future__ import annotations

import logging
import traceback as tb
from collections.abc import Callable
from dataclasses import dataclass

from celery.signals import task_failure
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from . import services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subject:
    """Where a task's subject row is found: the model, and the argument holding its id."""

    model: str
    argument: str
    label: object
    user_field: str | None = None
    # How the row is named on the staff's page (default: str(row)).
    describe: Callable[[object], str] | None = None


SUBJECTS: dict[str, Subject] = {}


def register_subject(task_name: str, subject: Subject) -> None:
    SUBJECTS[task_name] = subject


def _describe_run(run) -> str:
    from reports.registry import get_kind

    try:
        title = str(get_kind(run.kind).title)
    except LookupError:
        title = run.kind
    return f"{title} · {run.organization.name} · {run.period}"


register_subject(
    "reports.tasks.build_report_run",
    Subject("reports.ReportRun", "run_id", _("Building a report"), "requested_by", _describe_run),
)
register_subject(
    "cells.workbook.tasks.run_import_job", Subject("cells.ImportJob", "job_id", _("Importing a workbook"), "user")
)


def task_label(task_name: str):
    subject = SUBJECTS.get(task_name)
    return subject.label if subject else task_name


def _subject_row(task_name: str, args, kwargs):
    subject = SUBJECTS.get(task_name)
    if subject is None:
        return None, None
    row_id = (kwargs or {}).get(subject.argument)
    if row_id is None and args:
        row_id = args[0]
    model = apps.get_model(subject.model)
    return model.objects.filter(pk=row_id).first(), subject


def _subject_text(row, subject: Subject | None) -> str:
    if row is None:
        return ""
    return ((subject.describe or str)(row) if subject else str(row))[:255]


def record_failure(*, task_name: str, task_id: str, args, kwargs, exception: BaseException, hostname: str = ""):
    """Store one failure. Never raises: a broken database must not hide the original error in the log."""
    try:
        row, subject = _subject_row(task_name, args, kwargs)
        organization = getattr(row, "organization", None) if row is not None else None
        user = getattr(row, subject.user_field, None) if row is not None and subject.user_field else None
        return services.task_failure_create(
            task_name=task_name[:255],
            task_id=task_id or "",
            arguments={"args": list(args or []), "kwargs": dict(kwargs or {})},
            error_type=type(exception).__name__[:255],
            error=str(exception)[:4000] or type(exception).__name__,
            traceback="".join(tb.format_exception(exception))[-20000:],
            hostname=hostname[:255],
            organization=organization if getattr(organization, "pk", None) else None,
            user=user,
            subject=_subject_text(row, subject),
        )
    except Exception:  # noqa: BLE001 - logged; the task's own error is logged by Celery anyway
        logger.exception("could not record the failure of task %s", task_name)
        return None


def _on_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    request = getattr(sender, "request", None)
    record_failure(
        task_name=getattr(sender, "name", str(sender)),
        task_id=task_id or "",
        args=args,
        kwargs=kwargs,
        exception=exception,
        hostname=getattr(request, "hostname", "") or "",
    )


def connect() -> None:
    task_failure.connect(_on_task_failure, weak=False, dispatch_uid="ops.record_task_failure")
