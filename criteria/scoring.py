"""The one scoring function: a set of answers against a framework's criteria gives a total, the achieved
groups and a level. Pure: no database, no settings. Everything that scores calls :func:`score`.

The rules are WORKBOOK.md's ``criteria`` and ``rating_levels`` sections:

- A criterion applies unless its ``cell_types`` (or ``org_levels``) are given and leave the cell out;
  a criterion below one that does not apply does not apply either, and a group none of whose children
  apply does not apply. What does not apply counts nowhere. When the caller does not say the cell type
  (or the organisation level), that restriction is not applied.
- A scored leaf (``max_points`` set) with no answer has 0 points; points are kept within 0..max_points.
  A parent's points are its applicable children's sum.
- A pass/fail leaf with no answer is not achieved. An indicator (a comparator) is achieved when its
  actual value meets the target: the cell's own target when the answer gives one, otherwise the
  framework's; with no actual value (or no target at all) it is not achieved.
- A parent is achieved when all its applicable pass/fail children (leaves, indicators or groups) are;
  a parent with only scored children has no "achieved" state.
- A key criterion is full when its points equal its max_points (scored) or when it is achieved.
- A result gets the first level, in rank order, whose conditions all hold: ``min_points`` (total at
  least that), ``require_key_full``, ``require_all_achieved`` (every applicable top-level pass/fail
  group achieved).

WORKBOOK v3, for meetings (the caller gives the meeting's kind and facts):

- A leaf with a ``measure`` takes its points from its ``bands`` and the meeting's facts, never from an
  answer: the first band (in order) whose condition holds gives its points, capped at max_points; no
  band holding, or the fact not recorded, gives 0.
- A criterion whose ``kinds`` leave out the meeting's kind does not apply to it: with ``not_applicable``
  ``none`` it counts nowhere (the maximum shrinks), with ``full`` it (and everything below it) counts at
  full marks (a pass/fail one as achieved). When the caller does not say the kind, kinds are not applied.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

COMPARATORS = (">=", ">", "<=", "<", "=")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
NOT_APPLICABLE_FULL = "full"


def to_decimal(value) -> Decimal | None:
    """A Decimal from an int, float, str (with ``.`` or ``,``) or Decimal; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not number.is_finite():  # "NaN" and "inf" parse, but no score or comparison can use them
        raise ValueError(f"not a finite number: {value!r}")
    return number


def code_sort_key(code: str) -> tuple:
    """Natural order of criterion codes: 1 < 2 < 2.1 < 2.2 < 2.10 < 10; letters after numbers."""
    parts = re.split(r"[.\-/ ]+", str(code).strip())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts if p != "")


def compare(actual: Decimal, comparator: str, target: Decimal) -> bool:
    if comparator == ">=":
        return actual >= target
    if comparator == ">":
        return actual > target
    if comparator == "<=":
        return actual <= target
    if comparator == "<":
        return actual < target
    if comparator == "=":
        return actual == target
    raise ValueError(f"unknown comparator: {comparator!r}")


# --- Bands and meeting facts (WORKBOOK v3 ``measure``, ``bands``) -----------------------------------


class BandError(ValueError):
    """Bands that cannot be read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Band:
    """One item of a criterion's bands: when ``measure OP value`` holds, the criterion gets ``points``."""

    op: str
    value: Decimal
    points: Decimal

    def holds(self, measured: Decimal) -> bool:
        return compare(measured, self.op, self.value)

    def __str__(self) -> str:
        return f"{self.op}{_plain(self.value)}:{_plain(self.points)}"


def _plain(number: Decimal) -> str:
    """90 for 90.00, 2.5 for 2.50: how a band's numbers are written."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


_BAND = re.compile(r"^(>=|<=|>|<|=)\s*([^:]+?)\s*:\s*(.+)$")


def _band(op: str, value, points) -> Band:
    """A band from its parts; refuses an unknown operator, a value or points that are not numbers, and
    negative points."""
    if op not in COMPARATORS:
        raise BandError(_("Unknown operator %(op)s: use >=, >, <=, < or =.") % {"op": op})
    try:
        value, points = to_decimal(value), to_decimal(points)
    except ValueError:
        value = points = None
    if value is None or points is None:
        raise BandError(_("A band is written OP VALUE:POINTS, with numbers, e.g. >=90:4."))
    if points < 0:
        raise BandError(_("A band's points cannot be negative."))
    return Band(op, value, points)


def parse_bands(text: str | None) -> tuple[Band, ...]:
    """WORKBOOK's bands text: ``OP VALUE:POINTS`` items separated by ``;`` (empty items are skipped), e.g.
    ``>=90:4; >=80:3``. Raises :class:`BandError` naming the item that cannot be read."""
    bands = []
    for item in str(text or "").split(";"):
        item = item.strip()
        if not item:
            continue
        match = _BAND.match(item)
        if match is None:
            raise BandError(_("Cannot read the band %(item)s: write OP VALUE:POINTS, e.g. >=90:4.") % {"item": item})
        try:
            bands.append(_band(*match.groups()))
        except BandError as exc:
            raise BandError(f"{item}: {exc}") from None
    return tuple(bands)


def format_bands(bands: Iterable[Band]) -> str:
    """The bands as WORKBOOK writes them: ``>=90:4; >=80:3`` (what :func:`parse_bands` reads back)."""
    return "; ".join(str(band) for band in bands)


def bands_from_json(rows) -> tuple[Band, ...]:
    """Bands as stored on a criterion: ``[[op, value, points], ...]``."""
    bands = []
    for row in rows or []:
        if not isinstance(row, list | tuple) or len(row) != 3:
            raise BandError(_("A band is written OP VALUE:POINTS, with numbers, e.g. >=90:4."))
        bands.append(_band(*row))
    return tuple(bands)


def bands_to_json(bands: Iterable[Band]) -> list[list[str]]:
    return [[band.op, _plain(band.value), _plain(band.points)] for band in bands]


# Each measure and the recorded facts it reads (besides the meeting's date): what an appraiser may correct.
MEASURE_FACTS = {
    "duration_minutes": ("duration_minutes",),
    "attendance_percent": ("members_present", "members_total"),
    "speakers_percent": ("members_spoke", "members_present"),
    "documents_days_before": ("documents_sent_on",),
    "minutes_days_after": ("minutes_filed_on",),
}
MEASURES = tuple(MEASURE_FACTS)
FACTS = (
    "duration_minutes",
    "members_total",
    "members_present",
    "members_spoke",
    "documents_sent_on",
    "minutes_filed_on",
)


def facts_read_by(rubric: Rubric) -> tuple[str, ...]:
    """The facts the rubric's computed criteria read, in :data:`FACTS` order."""
    wanted = {fact for c in rubric.criteria if c.is_computed for fact in MEASURE_FACTS.get(c.measure, ())}
    return tuple(fact for fact in FACTS if fact in wanted)


@dataclass(frozen=True)
class MeetingFacts:
    """What was recorded about a meeting that a measure reads; None is "not recorded"."""

    date: datetime.date | None = None
    duration_minutes: int | None = None
    members_total: int | None = None
    members_present: int | None = None
    members_spoke: int | None = None
    documents_sent_on: datetime.date | None = None
    minutes_filed_on: datetime.date | None = None


def _percent(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def _days(start: datetime.date | None, end: datetime.date | None) -> Decimal | None:
    if start is None or end is None:
        return None
    return Decimal((end - start).days)


def measure_value(measure: str, facts: MeetingFacts | None) -> Decimal | None:
    """The value of ``measure`` for a meeting (WORKBOOK v3), None when a fact it needs was not recorded:
    attendance over no expected members, or speakers over no member present, is not recorded either."""
    if facts is None:
        return None
    if measure == "duration_minutes":
        return None if facts.duration_minutes is None else Decimal(facts.duration_minutes)
    if measure == "attendance_percent":
        return _percent(facts.members_present, facts.members_total)
    if measure == "speakers_percent":
        return _percent(facts.members_spoke, facts.members_present)
    if measure == "documents_days_before":
        return _days(facts.documents_sent_on, facts.date)
    if measure == "minutes_days_after":
        return _days(facts.date, facts.minutes_filed_on)
    raise ValueError(f"unknown measure: {measure!r}")


def band_points(bands: Iterable[Band], measured: Decimal | None, max_points) -> Decimal:
    """The points of the first band whose condition holds, capped at ``max_points``; 0 when the value is
    missing or no band holds."""
    if measured is None:
        return ZERO
    for band in bands:
        if band.holds(measured):
            return max(ZERO, min(band.points, to_decimal(max_points)))
    return ZERO


@dataclass(frozen=True)
class RubricCriterion:
    """One criterion as the scoring sees it. ``children`` are the codes of its direct children in the
    effective tree (a derived framework may add children under an inherited criterion)."""

    id: int | None
    code: str
    parent_code: str | None = None
    title: str = ""
    max_points: Decimal | None = None
    is_key: bool = False
    cell_types: frozenset[str] = frozenset()
    org_levels: frozenset[str] = frozenset()
    comparator: str = ""
    target: Decimal | None = None
    evidence_required: bool = False
    children: tuple[str, ...] = ()
    unit: str = ""
    guidance: str = ""
    order: int = 0
    inherited: bool = False
    framework_id: int | None = None
    target_settable_by_cell: bool = False
    kinds: frozenset[str] = frozenset()
    not_applicable: str = "none"
    measure: str = ""
    bands: tuple[Band, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_computed(self) -> bool:
        """Scored from the meeting's facts: nobody types its points."""
        return bool(self.measure)

    def left_out_by_kind(self, meeting_kind: str | None) -> bool:
        """Whether its ``kinds`` leave out ``meeting_kind`` (never when the kind is not given)."""
        return meeting_kind is not None and bool(self.kinds) and meeting_kind not in self.kinds

    @property
    def is_indicator(self) -> bool:
        return bool(self.comparator)

    @property
    def is_scored(self) -> bool:
        return self.max_points is not None

    def applies_to(self, cell_type: str | None, org_level: str | None) -> bool:
        """This criterion's own restriction (its ancestors' are checked by :func:`score`)."""
        if cell_type is not None and self.cell_types and cell_type not in self.cell_types:
            return False
        if org_level is not None and self.org_levels and org_level not in self.org_levels:
            return False
        return True


@dataclass(frozen=True)
class RubricLevel:
    code: str
    label: str = ""
    rank: int = 1
    min_points: Decimal | None = None
    require_key_full: bool = False
    require_all_achieved: bool = False
    needs_attention: bool = False

    def __str__(self) -> str:
        return self.label or self.code


@dataclass(frozen=True)
class RubricRollup:
    """A roll-up level (WORKBOOK v2 ``rollup_levels``): empty conditions are not checked."""

    code: str
    period: str = "year"
    label: str = ""
    rank: int = 1
    min_meetings: int | None = None
    all_at_least: str = ""
    count_level: str = ""
    min_count: int | None = None
    min_average: Decimal | None = None
    basis: str = ""

    def __str__(self) -> str:
        return self.label or self.code


@dataclass(frozen=True)
class Rubric:
    """The EFFECTIVE criteria of a framework (inherited ones included), in tree order, and its levels."""

    framework_id: int | None
    criteria: tuple[RubricCriterion, ...]
    levels: tuple[RubricLevel, ...]

    def __post_init__(self) -> None:
        # Derive ``children`` from ``parent_code`` so a rubric built by hand is a proper tree.
        criteria = tuple(self.criteria)
        codes = {c.code for c in criteria}
        kids: dict[str, list[str]] = {}
        for c in criteria:
            if c.parent_code in codes:
                kids.setdefault(c.parent_code, []).append(c.code)
        fixed = tuple(
            c if c.children == tuple(kids.get(c.code, ())) else _replace(c, children=tuple(kids.get(c.code, ())))
            for c in criteria
        )
        object.__setattr__(self, "criteria", fixed)
        object.__setattr__(self, "levels", tuple(sorted(self.levels, key=lambda lvl: lvl.rank)))

    def by_code(self) -> dict[str, RubricCriterion]:
        return {c.code: c for c in self.criteria}

    def roots(self) -> tuple[RubricCriterion, ...]:
        codes = {c.code for c in self.criteria}
        return tuple(c for c in self.criteria if c.parent_code not in codes)

    def leaves(self) -> tuple[RubricCriterion, ...]:
        return tuple(c for c in self.criteria if c.is_leaf)

    @property
    def max_total(self) -> Decimal | None:
        """The framework's full marks, every criterion applying."""
        scored = [c.max_points for c in self.leaves() if c.is_scored]
        return sum(scored, ZERO) if scored else None


@dataclass(frozen=True)
class Answer:
    """The FINAL answer for one criterion (callers merge the appraisal over the self-assessment first)."""

    points: Decimal | int | float | str | None = None
    achieved: bool | None = None
    actual: Decimal | int | float | str | None = None
    target: Decimal | int | float | str | None = None


def final_answer(
    *, self_points=None, self_achieved=None, appraised_points=None, appraised_achieved=None, actual=None, target=None
) -> Answer:
    """The one rule for "absent is not no" (WORKBOOK v2): an appraisal that was not given (None) is absent,
    and the self-assessment stands for that item; an appraisal given (even "no", even 0) is final.
    Meeting scores, campaign answers and the workbook import all merge through here."""
    return Answer(
        points=appraised_points if appraised_points is not None else self_points,
        achieved=appraised_achieved if appraised_achieved is not None else self_achieved,
        actual=actual,
        target=target,
    )


def kept_unless_given(stored, given):
    """An answer cell of an imported row: empty means no answer in this row, so the stored one is kept
    (an empty ``appraised_achieved`` never clears, nor turns into, an appraisal); a value replaces it."""
    return stored if given is None else given


@dataclass(frozen=True)
class Result:
    total: Decimal | None
    max_total: Decimal | None
    level: RubricLevel | None
    key_full: bool
    achieved: dict[str, bool] = field(default_factory=dict)
    failed_groups: tuple[str, ...] = ()
    applicable: tuple[str, ...] = ()
    # Points of every applicable scored criterion, groups included (their children's sum).
    points: dict[str, Decimal] = field(default_factory=dict)
    # Computed leaves (a measure): the measured value, None when a fact was not recorded.
    measured: dict[str, Decimal | None] = field(default_factory=dict)
    # Criteria (and their subtrees) counted at full marks because the meeting's kind leaves them out.
    full_by_kind: frozenset[str] = frozenset()

    @property
    def all_achieved(self) -> bool:
        return not self.failed_groups

    @property
    def level_code(self) -> str | None:
        return self.level.code if self.level else None


def build_rubric(
    framework_id: int | None, criteria: Iterable[RubricCriterion], levels: Iterable[RubricLevel]
) -> Rubric:
    """A rubric with ``children`` filled in and the criteria in tree order (siblings by order, then code).

    Tests and callers that build rubrics by hand should come through here."""
    items = list(criteria)
    codes = {c.code for c in items}
    kids: dict[str | None, list[RubricCriterion]] = {}
    for c in items:
        parent = c.parent_code if c.parent_code in codes else None
        kids.setdefault(parent, []).append(c)
    for siblings in kids.values():
        siblings.sort(key=lambda c: (c.order, code_sort_key(c.code)))
    ordered: list[RubricCriterion] = []

    def walk(parent: str | None) -> None:
        for c in kids.get(parent, []):
            children = tuple(k.code for k in kids.get(c.code, []))
            parent_code = c.parent_code if c.parent_code in codes else None
            ordered.append(_replace(c, children=children, parent_code=parent_code))
            walk(c.code)

    walk(None)
    return Rubric(framework_id=framework_id, criteria=tuple(ordered), levels=tuple(levels))


def level_for(rubric: Rubric, total: Decimal | None, *, key_full: bool, all_achieved: bool) -> RubricLevel | None:
    """The first level, in rank order, whose conditions all hold (None when none does)."""
    total = to_decimal(total)
    for level in sorted(rubric.levels, key=lambda lvl: lvl.rank):
        if level.min_points is not None and (total is None or total < to_decimal(level.min_points)):
            continue
        if level.require_key_full and not key_full:
            continue
        if level.require_all_achieved and not all_achieved:
            continue
        return level
    return None


def _leaf_achieved(criterion: RubricCriterion, answer: Answer | None) -> bool:
    if criterion.is_indicator:
        if answer is None:
            return False
        actual = to_decimal(answer.actual)
        target = to_decimal(answer.target)
        if target is None:
            target = to_decimal(criterion.target)
        if actual is None or target is None:
            return False
        return compare(actual, criterion.comparator, target)
    return bool(answer is not None and answer.achieved)


def _leaf_points(criterion: RubricCriterion, answer: Answer | None) -> Decimal:
    points = to_decimal(answer.points) if answer is not None else None
    if points is None:
        return ZERO
    maximum = to_decimal(criterion.max_points)
    return max(ZERO, min(points, maximum))


def score(
    rubric: Rubric,
    answers: Mapping[str, Answer],
    *,
    cell_type: str | None = None,
    org_level: str | None = None,
    meeting_kind: str | None = None,
    facts: MeetingFacts | None = None,
) -> Result:
    """Score ``answers`` (criterion code -> final :class:`Answer`) against ``rubric`` for one cell; for a
    meeting, with its kind and its facts (computed leaves read the facts, never an answer)."""
    by_code = rubric.by_code()
    points: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    achieved: dict[str, bool] = {}
    applicable: set[str] = set()
    measured: dict[str, Decimal | None] = {}
    full: set[str] = set()

    def leaf(criterion: RubricCriterion, answer: Answer | None, at_full: bool) -> None:
        if criterion.is_scored:
            maxima[criterion.code] = to_decimal(criterion.max_points)
            if at_full:
                points[criterion.code] = maxima[criterion.code]
            elif criterion.is_computed:
                measured[criterion.code] = measure_value(criterion.measure, facts)
                points[criterion.code] = band_points(criterion.bands, measured[criterion.code], criterion.max_points)
            else:
                points[criterion.code] = _leaf_points(criterion, answer)
            if criterion.is_indicator:
                achieved[criterion.code] = at_full or _leaf_achieved(criterion, answer)
        else:
            achieved[criterion.code] = at_full or _leaf_achieved(criterion, answer)

    def visit(criterion: RubricCriterion, at_full: bool) -> bool:
        """Fill the dicts for ``criterion``'s subtree; False when it does not apply."""
        if not criterion.applies_to(cell_type, org_level):
            return False
        if not at_full and criterion.left_out_by_kind(meeting_kind):
            if criterion.not_applicable != NOT_APPLICABLE_FULL:
                return False
            at_full = True
        if at_full:
            full.add(criterion.code)
        if criterion.is_leaf:
            leaf(criterion, answers.get(criterion.code), at_full)
            applicable.add(criterion.code)
            return True
        children = [by_code[code] for code in criterion.children if code in by_code]
        live = [child for child in children if visit(child, at_full)]
        if not live:
            return False
        scored = [child.code for child in live if child.code in points]
        if scored:
            points[criterion.code] = sum((points[c] for c in scored), ZERO)
            maxima[criterion.code] = sum((maxima[c] for c in scored), ZERO)
        judged = [child.code for child in live if child.code in achieved]
        if judged:
            achieved[criterion.code] = all(achieved[c] for c in judged)
        applicable.add(criterion.code)
        return True

    roots = rubric.roots()
    for root in roots:
        visit(root, False)

    key_full = True
    for criterion in rubric.criteria:
        if criterion.is_key and criterion.code in applicable:
            if criterion.code in points and points[criterion.code] != maxima[criterion.code]:
                key_full = False
            if criterion.code in achieved and not achieved[criterion.code]:
                key_full = False

    scored_leaves = [c.code for c in rubric.criteria if c.is_leaf and c.code in points]
    total = sum((points[c] for c in scored_leaves), ZERO) if scored_leaves else None
    max_total = sum((maxima[c] for c in scored_leaves), ZERO) if scored_leaves else None
    failed = tuple(
        sorted(
            (r.code for r in roots if r.code in achieved and not achieved[r.code]),
            key=code_sort_key,
        )
    )
    level = level_for(rubric, total, key_full=key_full, all_achieved=not failed)
    return Result(
        total=total,
        max_total=max_total,
        level=level,
        key_full=key_full,
        achieved=achieved,
        failed_groups=failed,
        applicable=tuple(c.code for c in rubric.criteria if c.code in applicable),
        points=points,
        measured=measured,
        full_by_kind=frozenset(full),
    )


@dataclass(frozen=True)
class PeriodTally:
    """A period's meetings (all kinds) as a roll-up reads them: how many there are, how many have each own
    level (by code; a meeting with no level, or with a code the rubric has no level for, is below every
    level), and the sum and number of their final totals (the meetings with one)."""

    meetings: int
    levels: Mapping[str, int]
    total_sum: Decimal = ZERO
    totals: int = 0

    @classmethod
    def of(cls, meetings: Iterable[tuple[str | None, Decimal | None]]) -> PeriodTally:
        """The tally of meetings given as (own level code, final total)."""
        count, levels, total_sum, totals = 0, {}, ZERO, 0
        for code, total in meetings:
            count += 1
            if code:
                levels[code] = levels.get(code, 0) + 1
            if total is not None:
                total_sum += to_decimal(total)
                totals += 1
        return cls(count, levels, total_sum, totals)


def rollup_level(
    rubric: Rubric, rollups: Iterable[RubricRollup], meetings: Iterable[tuple[str | None, Decimal | None]]
) -> RubricRollup | None:
    """The roll-up level of a period (WORKBOOK v2): ``rollups`` are the rubric's roll-up levels for that kind
    of period; ``meetings`` the period's meetings (all kinds) as (own level code, final total); a meeting
    with no level is below every level. The first roll-up level, in rank order, whose conditions all hold;
    None when there is none or none holds (:func:`rollup_level_of_tally`, which this reads them into)."""
    return rollup_level_of_tally(rubric, rollups, PeriodTally.of(meetings))


def rollup_level_of_tally(rubric: Rubric, rollups: Iterable[RubricRollup], tally: PeriodTally) -> RubricRollup | None:
    """:func:`rollup_level` from the period's :class:`PeriodTally` (what a ranking counts in SQL).

    "At that level or higher" is a rank number at most that level's, among the rubric's rating levels."""
    rollups = sorted(rollups, key=lambda r: r.rank)
    if not rollups:
        return None
    ranks = {level.code: level.rank for level in rubric.levels}
    below_all = max(ranks.values(), default=0) + 1
    # How many meetings stand at each rank; those with no level or an unknown code below every level.
    by_rank: dict[int, int] = {}
    ranked = 0
    for code, count in tally.levels.items():
        if count and code in ranks:
            by_rank[ranks[code]] = by_rank.get(ranks[code], 0) + count
            ranked += count
    if tally.meetings > ranked:
        by_rank[below_all] = by_rank.get(below_all, 0) + tally.meetings - ranked
    average = tally.total_sum / tally.totals if tally.totals else None

    def at_least(code: str) -> int:
        return ranks.get(code, 0)  # an unknown code: no meeting reaches it

    for rollup in rollups:
        if rollup.min_meetings is not None and tally.meetings < rollup.min_meetings:
            continue
        if rollup.all_at_least and any(rank > at_least(rollup.all_at_least) for rank in by_rank):
            continue
        if rollup.count_level and rollup.min_count is not None:
            reached = at_least(rollup.count_level)
            if sum(count for rank, count in by_rank.items() if rank <= reached) < rollup.min_count:
                continue
        if rollup.min_average is not None and (average is None or average < to_decimal(rollup.min_average)):
            continue
        return rollup
    return None
