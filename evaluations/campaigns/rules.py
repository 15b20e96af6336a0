"""The campaign rules, in one pure module (no database): year ratings, eligibility, result, status, targets.

Everything that decides whether a cell may register, whether it passes a campaign, what its
recognition status is and whether a target is met lives here, exactly as WORKBOOK.md's
``campaigns``, ``campaign_results`` and ``targets`` sections say. Services, selectors, exports and
the dashboard all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from criteria import scoring

# Year-end ratings, best first (HTXSNV > HTTNV > HTNV > KHTNV).
RATING_ORDER: tuple[str, ...] = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
RATING_RANK = {code: index for index, code in enumerate(RATING_ORDER)}  # 0 is the best

DAT = "dat"
KHONG_DAT = "khong_dat"

RECOGNIZED_NEW = "recognized_new"
MAINTAINED = "maintained"
LOST = "lost"
NOT_RECOGNIZED = "not_recognized"

METRIC_RECOGNIZED_NEW = "recognized_new"
METRIC_RECOGNIZED_TOTAL = "recognized_total"
METRIC_PASSED_SHARE = "passed_share"
METRIC_RATED_SHARE = "rated_share"
METRIC_RECOGNIZED_SHARE = "recognized_share"
SUBTREE_METRICS = (METRIC_RATED_SHARE, METRIC_RECOGNIZED_SHARE)
CELL_ORG_LEVELS = ("cell", "grassroots_cell")  # what "cells" means where a target names no level


def rating_at_least(rating: str | None, minimum: str) -> bool:
    """Whether ``rating`` is ``minimum`` or better; no rating is never enough."""
    if not rating or rating not in RATING_RANK:
        return False
    return RATING_RANK[rating] <= RATING_RANK[minimum]


def compare(actual: Decimal | int | float | None, comparator: str, value: Decimal | int | float) -> bool:
    """``actual <comparator> value`` with the criteria app's comparison; nothing measured never meets a target."""
    if actual is None:
        return False
    return scoring.compare(Decimal(str(actual)), comparator, Decimal(str(value)))


# --- Eligibility to register (T4) ----------------------------------------------------------------


@dataclass(frozen=True)
class YearRatingFacts:
    """One organisation's year-end rating for a year, as eligibility reads it."""

    rating: str | None
    members_total: int | None = None
    members_completed: int | None = None


@dataclass
class Eligibility:
    eligible: bool
    # (ok, message parameters): each rule checked, with what was found, for the page to show.
    reasons: list[dict] = field(default_factory=list)


def eligibility(
    *, year: int, good_years: int, all_members_completed: bool, ratings: Mapping[int, YearRatingFacts]
) -> Eligibility:
    """Whether a cell may register for a campaign of ``year``.

    ``good_years`` N: the cell was rated HTTNV or better in each of the N years before ``year``.
    ``all_members_completed``: in ``year - 1`` every member was rated HTNV or better
    (members_completed equals members_total, and members were rated).
    Each rule gives one reason, met or not, so the page can show why.
    """
    reasons: list[dict] = []
    for offset in range(1, (good_years or 0) + 1):
        past = year - offset
        facts = ratings.get(past)
        rating = facts.rating if facts else None
        reasons.append({"rule": "good_year", "year": past, "rating": rating, "ok": rating_at_least(rating, "HTTNV")})
    if all_members_completed:
        facts = ratings.get(year - 1)
        total = facts.members_total if facts else None
        completed = facts.members_completed if facts else None
        ok = bool(total) and completed == total
        reasons.append(
            {"rule": "members_completed", "year": year - 1, "total": total, "completed": completed, "ok": ok}
        )
    return Eligibility(eligible=all(reason["ok"] for reason in reasons), reasons=reasons)


# --- One participant's result (campaign_results) -------------------------------------------------


@dataclass(frozen=True)
class LevelInfo:
    code: str
    rank: int


def passing_rank(levels: Iterable[LevelInfo]) -> int:
    """The worst rank that still passes: the rank of the level keyed ``dat``, or 1 when there is none."""
    for level in levels:
        if level.code == DAT:
            return level.rank
    return 1


def level_passes(level_rank: int | None, levels: Sequence[LevelInfo]) -> bool:
    """A level passes when it ranks at or above the ``dat`` level (or is rank 1 without one)."""
    return level_rank is not None and level_rank <= passing_rank(levels)


def result_for(
    *, level_rank: int | None, levels: Sequence[LevelInfo], year_rating: str | None, min_year_rating: str | None
) -> str:
    """``dat`` when the level passes and the year rating is not below ``min_year_rating``.

    A participant with no year rating cannot pass when ``min_year_rating`` is set.
    """
    if not level_passes(level_rank, levels):
        return KHONG_DAT
    if min_year_rating and not rating_at_least(year_rating, min_year_rating):
        return KHONG_DAT
    return DAT


def status_for(*, result: str, maintaining: bool) -> str:
    """recognized_new / maintained / lost / not_recognized from the result and the registration."""
    if result == DAT:
        return MAINTAINED if maintaining else RECOGNIZED_NEW
    return LOST if maintaining else NOT_RECOGNIZED


# --- Targets (the `targets` export and the dashboard) -------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """What a target counts of one campaign_results row."""

    cell_type: str
    result: str
    status: str
    org_level: str = ""


@dataclass(frozen=True)
class SubtreeOrg:
    """One organisation of the owner's subtree, as rated_share and recognized_share count it."""

    cell_type: str
    org_level: str
    rating: str
    recognized: bool


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    cell_type: str
    comparator: str
    value: Decimal
    actual: Decimal
    met: bool
    org_level: str = ""
    rating: str = ""
    due_year: int | None = None
    label: str = ""  # the target in words, filled by the selectors (gettext lives there, not here)


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def subtree_share(
    metric: str, cell_type: str, org_level: str, rating: str, population: Iterable[SubtreeOrg]
) -> Decimal:
    """rated_share / recognized_share (WORKBOOK v2): the percent of the subtree's organisations of that level
    (cells when empty) and cell type whose year rating is ``rating`` or better (none counts as not), or whose
    result is recognized_new or maintained. Two decimals; 0 when there are none."""
    levels = (org_level,) if org_level else CELL_ORG_LEVELS
    orgs = [o for o in population if o.org_level in levels and (not cell_type or o.cell_type == cell_type)]
    if metric == METRIC_RATED_SHARE:
        return _percent(sum(1 for o in orgs if rating_at_least(o.rating, rating)), len(orgs))
    if metric == METRIC_RECOGNIZED_SHARE:
        return _percent(sum(1 for o in orgs if o.recognized), len(orgs))
    raise ValueError(f"not a subtree metric {metric!r}")


def target_actual(metric: str, cell_type: str, rows: Iterable[ResultRow], org_level: str = "") -> Decimal:
    """The actual figure of a target over the campaign_results rows of ``cell_type`` and ``org_level``
    (all when empty)."""
    rows = [
        row
        for row in rows
        if (not cell_type or row.cell_type == cell_type) and (not org_level or row.org_level == org_level)
    ]
    if metric == METRIC_RECOGNIZED_NEW:
        return Decimal(sum(1 for row in rows if row.status == RECOGNIZED_NEW))
    if metric == METRIC_RECOGNIZED_TOTAL:
        return Decimal(sum(1 for row in rows if row.status in (RECOGNIZED_NEW, MAINTAINED)))
    if metric == METRIC_PASSED_SHARE:
        if not rows:
            return Decimal("0.00")
        share = Decimal(sum(1 for row in rows if row.result == DAT)) * 100 / Decimal(len(rows))
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    raise ValueError(f"unknown target metric {metric!r}")


def target_progress(
    *,
    metric: str,
    cell_type: str,
    comparator: str,
    value: Decimal,
    rows: Iterable[ResultRow],
    org_level: str = "",
    rating: str = "",
    due_year: int | None = None,
    population: Iterable[SubtreeOrg] = (),
) -> TargetProgress:
    if metric in SUBTREE_METRICS:
        actual = subtree_share(metric, cell_type, org_level, rating, population)
    else:
        actual = target_actual(metric, cell_type, rows, org_level)
    return TargetProgress(
        metric=metric,
        cell_type=cell_type,
        comparator=comparator,
        value=Decimal(value),
        actual=actual,
        met=compare(actual, comparator, value),
        org_level=org_level,
        rating=rating,
        due_year=due_year,
    )


def selection_cap_reached(*, cap: int | None, selected: int) -> bool:
    """Whether a committee has already selected as many cells as the campaign allows (T6)."""
    return cap is not None and selected >= cap
