"""Roll-up levels on the ranking (WORKBOOK v2 ``rollup_levels``): for a quarter or a year, a cell whose
latest regular meeting of the period was scored on a rubric with roll-up levels for that kind of period is
rated by them, from its meetings' own levels; otherwise the ranking keeps the level of its average.

The ranking counts what a roll-up reads (meetings, own levels, final totals: a
:class:`~criteria.scoring.PeriodTally` per organisation) in the same GROUP BY as its own figures, so a
province with roll-up rules reads no meeting row by row: :func:`rollup_codes` says beforehand whether any
rule applies to the period and which level codes to count."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.db.models import CharField, Exists, Value

from criteria.models import Framework, RatingLevel, RollupLevel
from criteria.scoring import PeriodTally, rollup_level_of_tally
from criteria.selectors import describe_rollup, load_rollups, load_rubric


def period_kind(period) -> str | None:
    """``quarter`` or ``year`` for a quarter or a year; None for a month or a half year (no roll-up)."""
    return {"quarter": "quarter", "year": "year"}.get(period.kind)


# Marks, among the level codes of :func:`rollup_codes`, that a roll-up rule exists (a level code is a slug,
# never empty).
_RULES_EXIST = ""


def rollup_codes(period) -> tuple[str, ...] | None:
    """None when no roll-up rule exists for the period's kind (or the period has no roll-up); otherwise every
    rating level code of any rubric, whose meetings the ranking counts per organisation (a code the rule's
    rubric does not know counts below every level, like a meeting with no level). One query, none for a
    month or a half year."""
    kind = period_kind(period)
    if kind is None:
        return None
    rules = RollupLevel.objects.filter(period=kind)
    rows = (
        RatingLevel.objects.filter(Exists(rules))
        .order_by()
        .values_list("code")
        .union(rules.annotate(marker=Value(_RULES_EXIST, output_field=CharField())).order_by().values_list("marker"))
    )
    codes = {code for (code,) in rows}
    if _RULES_EXIST not in codes:
        return None
    return tuple(sorted(codes - {_RULES_EXIST}))


class Tally(NamedTuple):
    """An organisation's meetings of the period as the ranking's GROUP BY counted them for a roll-up: how many,
    how many at each of ``codes`` (:func:`rollup_codes`), the sum and number of their final totals."""

    meetings: int
    codes: tuple[str, ...]
    counts: tuple[int, ...]
    total_sum: Decimal
    totals: int

    def period_tally(self) -> PeriodTally:
        levels = {code: n for code, n in zip(self.codes, self.counts, strict=True) if n}
        return PeriodTally(self.meetings, levels, self.total_sum, self.totals)


def apply_rollups(
    rows, period, tallies: dict[int, Tally], latest_rated: dict[int, int], frameworks: dict[int, Framework]
) -> dict[int, tuple]:
    """Set ``level``, ``level_label``, ``needs_attention`` and ``rollup`` on the rows rated by a roll-up
    rule; returns framework id -> its roll-up levels for the rubrics that have one (for the pages to show).

    The rule is the rubric of the organisation's latest meeting of the rated kind in the period
    (``latest_rated``: organisation id -> that meeting's framework; a cell's regular meeting, a grassroots
    organisation's committee meeting, WORKBOOK v3), applied to its ``tallies`` (all its meetings of the
    period). ``frameworks`` holds at least the frameworks of ``latest_rated``."""
    kind = period_kind(period)
    rules = {}
    for pk in set(latest_rated.values()):
        rollups = load_rollups(frameworks[pk], kind)
        if rollups:
            rubric = load_rubric(frameworks[pk])
            levels = {level.code: level for level in rubric.levels}
            # Only a rule with a least average reads the totals: others decide on the counts alone.
            by_average = any(rollup.min_average is not None for rollup in rollups)
            rules[pk] = (rubric, rollups, levels, by_average)
    if not rules:
        return {}
    empty = Tally(0, (), (), Decimal(0), 0)
    decided: dict[tuple, object] = {}  # many organisations share the same counts: the rule is read once for them
    for row in rows:
        framework_id = latest_rated.get(row.organization_id)
        rule = rules.get(framework_id)
        if rule is None:
            continue
        rubric, rollups, levels, by_average = rule
        tally = tallies.get(row.organization_id, empty)
        key = (framework_id, tally.meetings, tally.codes, tally.counts)
        if by_average:
            key += (tally.total_sum, tally.totals)
        if key not in decided:
            rolled = rollup_level_of_tally(rubric, rollups, tally.period_tally())
            decided[key] = (
                (rolled.code, rolled.label or rolled.code) if rolled else ("", ""),
                bool(rolled and levels.get(rolled.code) and levels[rolled.code].needs_attention),
            )
        row.rollup = True
        (row.level, row.level_label), row.needs_attention = decided[key]
    return {pk: rule[1] for pk, rule in rules.items()}


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
