"""What the operations side keeps: each worker's last heartbeat, and background tasks that failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cells.models import Organization
from cells.scoping import Action, ScopedQuerySet, user_scope


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task (beat sends it every 20 seconds).

    ``/healthz`` is failing when no worker has answered within a minute: either no worker or no beat runs."""

    hostname = models.CharField(_("worker"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("last seen"))
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.hostname


class TaskFailureQuerySet(ScopedQuerySet):
    def for_user(self, user, action: str = Action.VIEW) -> TaskFailureQuerySet:
        """A failure about an organisation is seen by who manages it; one about a user's own job (an
        import) by that user; a system task's failure (no organisation) by superusers only."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = user_scope(user, Action.MANAGE)
        if scope.everything:
            return self.all()
        condition = Q(user=user)
        for prefix in scope.paths:
            condition |= Q(organization__path__startswith=prefix)
        return self.filter(condition)


class TaskFailure(models.Model):
    """A background task that ended with an error, kept so that staff see it in the product, not only in a log.

    Recorded by the ``task_failure`` signal (ops/failures.py) with the organisation or user the task was
    about, when the task is registered there."""

    scope_path_lookup = "organization__path"

    task_name = models.CharField(_("task"), max_length=255)
    task_id = models.CharField(max_length=255, blank=True)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    error_type = models.CharField(_("error type"), max_length=255)
    error = models.TextField(_("error"))
    traceback = models.TextField(_("traceback"), blank=True)
    hostname = models.CharField(_("worker"), max_length=255, blank=True)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True, db_index=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("about"), max_length=255, blank=True)

    objects = TaskFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = _("failed background task")
        verbose_name_plural = _("failed background tasks")

    def __str__(self) -> str:
        return f"{self.task_name}: {self.error_type}"
