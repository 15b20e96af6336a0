"""Roll-up levels on the ranking (WORKBOOK v2 ``rollup_levels``): for a quarter or a year, a cell whose
latest regular meeting of the period was scored on a rubric with roll-up levels for that kind of period is
rated by them, from its meetings' own levels; otherwise the ranking keeps the level of its average.

Apart from the ranking's own queries so that a province with no roll-up rule pays one cheap query."""

from __future__ import annotations

from criteria.models import Framework, RollupLevel
from criteria.scoring import rollup_level
from criteria.selectors import describe_rollup, load_rollups, load_rubric

from .models import Meeting, MeetingKind


def period_kind(period) -> str | None:
    """``quarter`` or ``year`` for a quarter or a year; None for a month or a half year (no roll-up)."""
    return {"quarter": "quarter", "year": "year"}.get(period.kind)


def apply_rollups(rows, period, *, rated_kind: str = MeetingKind.REGULAR) -> dict[int, tuple]:
    """Set ``level``, ``level_label``, ``needs_attention`` and ``rollup`` on the rows rated by a roll-up
    rule; returns framework id -> its roll-up levels for the rubrics that have one (for the pages to show).

    The rule is the rubric of the organisation's latest meeting of ``rated_kind`` in the period: a cell's regular
    meeting, a grassroots organisation's committee meeting (WORKBOOK v3)."""
    kind = period_kind(period)
    if kind is None or not RollupLevel.objects.filter(period=kind).exists():
        return {}
    ids = [row.organization_id for row in rows]
    meetings: dict[int, list] = {}
    latest_regular: dict[int, tuple] = {}
    records = (
        Meeting.objects.filter(organization_id__in=ids, date__gte=period.start, date__lt=period.end)
        .order_by("date", "pk")
        .values_list("organization_id", "kind", "framework_id", "final_level", "final_total")
    )
    for org_id, meeting_kind, framework_id, final_level, final_total in records.iterator(chunk_size=5000):
        meetings.setdefault(org_id, []).append((final_level or None, final_total))
        if meeting_kind == rated_kind and framework_id:
            latest_regular[org_id] = framework_id  # ordered by date: the last one wins
    frameworks = Framework.objects.filter(pk__in=set(latest_regular.values())).select_related("parent")
    rules = {}
    for framework in frameworks:
        rollups = load_rollups(framework, kind)
        if rollups:
            rules[framework.pk] = (load_rubric(framework), rollups)
    for row in rows:
        rule = rules.get(latest_regular.get(row.organization_id))
        if rule is None:
            continue
        rubric, rollups = rule
        rolled = rollup_level(rubric, rollups, meetings.get(row.organization_id, ()))
        row.rollup = True
        row.level, row.level_label = (rolled.code, rolled.label or rolled.code) if rolled else ("", "")
        levels = {level.code: level for level in rubric.levels}
        row.needs_attention = bool(rolled and levels.get(rolled.code) and levels[rolled.code].needs_attention)
    return {pk: rollups for pk, (_rubric, rollups) in rules.items()}


def rules_in_words(result) -> list[dict]:
    """The roll-up rules a ranking used, per rubric: its name, each level in words, and its basis."""
    if not result.rollups:
        return []
    rules = []
    for framework in Framework.objects.filter(pk__in=list(result.rollups)).select_related("parent").order_by("code"):
        labels = {level.code: level.label or level.code for level in load_rubric(framework).levels}
        rollups = result.rollups[framework.pk]
        rules.append(
            {
                "framework": framework,
                "lines": [describe_rollup(r, labels) for r in rollups],
                "basis": next((r.basis for r in rollups if r.basis), ""),
            }
        )
    return rules
