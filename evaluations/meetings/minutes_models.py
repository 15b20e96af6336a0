"""Preparation checklists and the minutes template (issue 24: seed 001 L2 and L4).

A committee defines, per meeting-quality rubric, the steps a cell takes before a meeting
(:class:`PreparationStep`: the cell committee met, the draft resolution is ready, the documents went out
on the Sổ tay đảng viên app N days before...). The secretary ticks each step of a meeting with the day it
was done (:class:`PreparationTick`); a step that stands for a meeting fact (``documents_sent_on``) sets it.

The wording of the minutes (biên bản) is data too: a committee keeps its own :class:`MinutesTemplate`,
which its cells' minutes use (the nearest committee above that has one; else the built-in wording).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cells.models import Organization
from cells.scoping import ScopedQuerySet

__all__ = ["MinutesTemplate", "PreparationFact", "PreparationStep", "PreparationTick"]


class PreparationFact(models.TextChoices):
    """A meeting fact a step's date sets (WORKBOOK v3 meeting facts)."""

    NONE = "", _("No fact")
    DOCUMENTS_SENT = "documents_sent_on", _("Sets the day the documents went to members")


class PreparationStep(models.Model):
    """One step of a rubric's preparation checklist, defined by the committee that owns the rubric."""

    scope_path_lookup = "framework__owner__path"

    framework = models.ForeignKey(
        "criteria.Framework", verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="preparation_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=300)
    fact = models.CharField(_("meeting fact"), max_length=30, choices=PreparationFact.choices, blank=True)
    days_before = models.PositiveSmallIntegerField(
        _("at least this many days before the meeting"), null=True, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "id"]
        verbose_name = _("preparation step")
        verbose_name_plural = _("preparation steps")

    def __str__(self) -> str:
        return self.title


class PreparationTick(models.Model):
    """A step of a meeting's preparation done, with the day it was done."""

    scope_path_lookup = "meeting__organization__path"

    meeting = models.ForeignKey("evaluations.Meeting", on_delete=models.CASCADE, related_name="preparation")
    step = models.ForeignKey(PreparationStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="ticks")
    done_on = models.DateField(_("done on"))
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "step__order", "step_id"]
        verbose_name = _("preparation step done")
        verbose_name_plural = _("preparation steps done")
        constraints = [models.UniqueConstraint(fields=["meeting", "step"], name="preparation_tick_once")]

    def __str__(self) -> str:
        return f"{self.step}: {self.done_on:%d/%m/%Y}"

    @property
    def in_time(self) -> bool | None:
        """Whether the step was done at least its ``days_before`` before the meeting (None: no such rule)."""
        if self.step.days_before is None:
            return None
        return (self.meeting.date - self.done_on).days >= self.step.days_before


class MinutesTemplate(models.Model):
    """The wording of the minutes for the cells under a committee. Placeholders in braces are filled from
    the record: {cell}, {kind}, {date}, {month}, {year}, {time}, {place} (see evaluations/meetings/minutes.py)."""

    scope_path_lookup = "owner__path"

    owner = models.OneToOneField(
        Organization, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="minutes_template"
    )
    title = models.CharField(_("document title"), max_length=100)
    heading = models.CharField(_("heading"), max_length=300)
    opening = models.TextField(_("opening paragraph"))
    closing = models.TextField(_("closing paragraph"))
    chair_label = models.CharField(_("chair's signature label"), max_length=100)
    secretary_label = models.CharField(_("secretary's signature label"), max_length=100)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes template")
        verbose_name_plural = _("minutes templates")

    def __str__(self) -> str:
        return f"{self.owner}: {self.title}"
