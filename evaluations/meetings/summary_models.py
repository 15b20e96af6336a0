"""Meeting figures kept on write: what the staff pages read for a whole subtree without scanning meetings.

Three tables, written only by ``evaluations.meetings.services.summaries`` in the same transaction as the
change they follow (the module docstring there says how, and why this design):

- :class:`MeetingMonthFigures`: one organisation's own meetings of one month, by kind, status, final level
  and rubric: how many, the sum of their final totals, how many had the key criteria full and every
  group achieved.
- :class:`SubtreeMonthFigures`: the same figures for a committee's whole subtree (every organisation that
  stood under it, or is it, on its last day in the year: the history rule of ``cells.history``), by cell
  type as the dashboard splits them. One row set per ancestor, so a province's year is a few hundred rows.
- :class:`FiguresVersion`: a number per committee and year that changes in the same transaction as any of
  that subtree's figures of that year (a cache keys on it).
"""

from __future__ import annotations

from django.db import models

from cells.models import Organization

__all__ = ["FiguresVersion", "MeetingMonthFigures", "SubtreeMonthFigures"]


class FigureCounts(models.Model):
    """The month's key both summary tables share, and the measures they keep for it (sums, so deltas add up)."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    final_level = models.CharField(max_length=30, blank=True)
    meetings = models.IntegerField(default=0)
    # Meetings with a final total, and the sum of those totals in hundredths of a point (exact on SQLite too).
    totalled = models.IntegerField(default=0)
    total_hundredths = models.BigIntegerField(default=0)
    key_full = models.IntegerField(default=0)
    all_achieved = models.IntegerField(default=0)

    class Meta:
        abstract = True


class MeetingMonthFigures(FigureCounts):
    """One organisation's own meetings in one month of one kind, status, final level and rubric (``framework``
    is the rubric's id, 0 for none): kept by the meeting services, rebuilt by ``manage.py rebuild_summaries``."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    framework = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month", "kind", "status", "final_level", "framework"],
                name="meeting_month_figures_key",
            )
        ]
        indexes = [models.Index(fields=["year", "organization"], name="meeting_month_figures_year")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:02d}/{self.year} {self.kind} {self.status}: {self.meetings}"


class SubtreeMonthFigures(FigureCounts):
    """A committee's subtree in one year (history rule), one month, kind, status, final level and cell type
    (``cell_type`` the type's id, 0 for a grassroots organisation's own meetings)."""

    committee = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cell_type = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "month", "kind", "status", "final_level", "cell_type"],
                name="subtree_month_figures_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.month:02d}/{self.year} {self.kind} {self.status}: {self.meetings}"


class FiguresVersion(models.Model):
    """Changes (in the same transaction, to a new random number) whenever any figure of ``committee``'s subtree
    for ``year`` changes: meetings, the tree's history, a rebuild. (The campaigns' figures do not move it: the
    campaign page keeps its own stamp, evaluations/campaigns/page_cache.py.)"""

    committee = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="figures_version_key")]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}: {self.version}"
