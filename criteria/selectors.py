"""Reads of criteria frameworks: the effective rubric of a framework, which framework applies, what a user sees."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Q

from cells.audit_history import Loaded
from cells.models import Organization
from cells.scoping import Action

from .models import Criterion, Framework, FrameworkQuerySet, FrameworkStatus, RatingLevel, RollupLevel
from .scoring import (
    Rubric,
    RubricCriterion,
    RubricLevel,
    RubricRollup,
    bands_from_json,
    build_rubric,
    code_sort_key,
)


def framework_lineage(framework: Framework) -> list[Framework]:
    """The framework and the ones it derives from, itself first."""
    return framework.lineage()


def effective_criteria(framework: Framework) -> list[tuple[Criterion, bool]]:
    """(criterion, inherited?) for the framework's own criteria and everything it inherits, in tree order."""
    chain = framework.lineage()
    rows = list(
        Criterion.objects.filter(framework_id__in=[f.pk for f in chain])
        .select_related("parent")
        .prefetch_related("cell_types")
    )
    rubric = _rubric_from(framework, chain, rows, [])
    by_id = {row.pk: row for row in rows}
    return [(by_id[c.id], c.inherited) for c in rubric.criteria]


# Rubrics of frozen (published or retired) frameworks, per process: their criteria and levels never change
# (a change is a new version), and every list page that scores rows needs them. The key holds the row's
# status, last change and publication time, so a framework published, reopened or retired since is read again.
_FROZEN_RUBRICS: dict[tuple, Rubric] = {}
_FROZEN_RUBRICS_MAX = 256


def load_rubric(framework: Framework) -> Rubric:
    """The framework's EFFECTIVE criteria (inherited ones included) and levels, as the scoring sees them.

    Queries: criteria, their cell types, levels, plus one per generation a derived framework sits below;
    none for a frozen framework this process has read before."""
    key = (framework.pk, framework.status, framework.updated_at, framework.published_at)
    if framework.is_frozen and key in _FROZEN_RUBRICS:
        return _FROZEN_RUBRICS[key]
    rubric = _load_rubric(framework)
    if framework.is_frozen:
        if len(_FROZEN_RUBRICS) >= _FROZEN_RUBRICS_MAX:
            _FROZEN_RUBRICS.clear()
        _FROZEN_RUBRICS[key] = rubric
    return rubric


def forget_rubrics() -> None:
    """Empty the frozen rubrics' cache (tests that change a published framework behind the services' back)."""
    _FROZEN_RUBRICS.clear()


def _load_rubric(framework: Framework) -> Rubric:
    chain = framework.lineage()
    ids = [f.pk for f in chain]
    rows = list(Criterion.objects.filter(framework_id__in=ids).prefetch_related("cell_types"))
    levels = list(RatingLevel.objects.filter(framework_id__in=ids))
    return _rubric_from(framework, chain, rows, levels)


def _rubric_from(framework: Framework, chain: list[Framework], rows, levels) -> Rubric:
    # A code defined nearer the framework wins over an inherited one with the same code.
    depth = {f.pk: i for i, f in enumerate(chain)}
    code_of = {row.pk: row.code for row in rows}
    chosen: dict[str, Criterion] = {}
    for row in sorted(rows, key=lambda r: -depth[r.framework_id]):
        chosen[row.code] = row
    criteria = [
        RubricCriterion(
            id=row.pk,
            code=row.code,
            parent_code=code_of.get(row.parent_id),
            title=row.title,
            max_points=row.max_points,
            is_key=row.is_key,
            cell_types=frozenset(t.code for t in row.cell_types.all()),
            org_levels=frozenset(row.org_levels or ()),
            comparator=row.comparator,
            target=row.target,
            evidence_required=row.evidence_required,
            unit=row.unit,
            guidance=row.guidance,
            order=row.order,
            inherited=row.framework_id != framework.pk,
            framework_id=row.framework_id,
            target_settable_by_cell=row.target_settable_by_cell,
            kinds=frozenset(row.kinds or ()),
            not_applicable=row.not_applicable,
            measure=row.measure,
            bands=bands_from_json(row.bands),
        )
        for row in chosen.values()
    ]
    chosen_levels: dict[str, RatingLevel] = {}
    for level in sorted(levels, key=lambda lv: -depth[lv.framework_id]):
        chosen_levels[level.code] = level
    rubric_levels = [
        RubricLevel(
            code=lv.code,
            label=lv.label,
            rank=lv.rank,
            min_points=lv.min_points,
            require_key_full=lv.require_key_full,
            require_all_achieved=lv.require_all_achieved,
            needs_attention=lv.needs_attention,
        )
        for lv in chosen_levels.values()
    ]
    return build_rubric(framework.pk, criteria, rubric_levels)


def load_rollups(framework: Framework, period: str) -> tuple[RubricRollup, ...]:
    """The framework's roll-up levels for ``period`` (``quarter``/``year``), inherited ones included (a code
    defined nearer the framework wins), in rank order. Apart from :func:`load_rubric` so that scoring a
    meeting does not pay for them; one query, none for a frozen framework read before."""
    key = ("rollups", framework.pk, period, framework.status, framework.updated_at, framework.published_at)
    if framework.is_frozen and key in _FROZEN_RUBRICS:
        return _FROZEN_RUBRICS[key]
    chain = framework.lineage()
    depth = {f.pk: i for i, f in enumerate(chain)}
    chosen: dict[str, RollupLevel] = {}
    rows = RollupLevel.objects.filter(framework_id__in=list(depth), period=period)
    for row in sorted(rows, key=lambda r: -depth[r.framework_id]):
        chosen[row.code] = row
    rollups = tuple(
        sorted(
            (
                RubricRollup(
                    code=r.code,
                    period=r.period,
                    label=r.label,
                    rank=r.rank,
                    min_meetings=r.min_meetings,
                    all_at_least=r.all_at_least,
                    count_level=r.count_level,
                    min_count=r.min_count,
                    min_average=r.min_average,
                    basis=r.basis,
                )
                for r in chosen.values()
            ),
            key=lambda r: r.rank,
        )
    )
    if framework.is_frozen:
        _FROZEN_RUBRICS[key] = rollups
    return rollups


def effective_levels(framework: Framework) -> list[RubricLevel]:
    return list(load_rubric(framework).levels)


def top_levels(framework_ids) -> dict[int, str]:
    """framework id -> the code of its top level (rank 1, inherited levels included): data, never a code
    written in a view."""
    frameworks = Framework.objects.filter(pk__in=list(framework_ids)).select_related("parent")
    tops = {}
    for framework in frameworks:
        levels = load_rubric(framework).levels
        if levels:
            tops[framework.pk] = levels[0].code
    return tops


def applicable_framework(
    organization: Organization, kind: str, year: int, *, meeting_kind: str | None = None
) -> Framework | None:
    """The published framework of ``kind`` valid in ``year`` owned by ``organization`` or its nearest
    ancestor that has one (a cell's own derived framework wins). Frameworks meant for other organisation
    levels are skipped; with ``meeting_kind``, one for exactly those meetings beats one for any meeting."""
    ids = [int(part) for part in organization.path.strip("/").split("/") if part]
    candidates = list(
        Framework.objects.filter(owner_id__in=ids, kind=kind, status=FrameworkStatus.PUBLISHED)
        .filter(Q(valid_from_year__isnull=True) | Q(valid_from_year__lte=year))
        .filter(Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year))
        .select_related("owner")
    )
    candidates = [f for f in candidates if not f.org_levels or organization.level in f.org_levels]
    if meeting_kind is not None:
        candidates = [f for f in candidates if f.meeting_kind in ("", meeting_kind)]
    if not candidates:
        return None

    def preference(f: Framework):
        return (f.owner.depth, bool(meeting_kind) and f.meeting_kind == meeting_kind, f.version, f.pk)

    return max(candidates, key=preference)


def frameworks_visible_to(user, action: str = Action.VIEW) -> FrameworkQuerySet:
    """Frameworks the user may read: everything owned in their subtree, and the published (or retired)
    ones owned by any organisation above it. With MANAGE: only those owned in their subtree."""
    return Framework.objects.for_user(user, action).select_related("owner", "parent")


def frameworks_manageable_by(user) -> FrameworkQuerySet:
    return frameworks_visible_to(user, Action.MANAGE)


# --- For the pages --------------------------------------------------------------------------------


@dataclass
class TreeNode:
    """A criterion of the effective tree, with its children, as the pages show it."""

    criterion: RubricCriterion
    depth: int
    children: list[TreeNode] = field(default_factory=list)
    first: bool = False
    last: bool = False

    @property
    def points(self):
        return self.criterion.max_points


def criteria_tree(rubric: Rubric) -> list[TreeNode]:
    """The rubric as nested nodes; a group without points of its own shows its children's sum."""
    by_code = rubric.by_code()

    def build(codes: tuple[str, ...] | list[str], depth: int) -> list[TreeNode]:
        nodes = []
        for index, code in enumerate(codes):
            criterion = by_code[code]
            node = TreeNode(criterion=criterion, depth=depth, first=index == 0, last=index == len(codes) - 1)
            node.children = build(criterion.children, depth + 1)
            if criterion.max_points is None and node.children:
                sums = [child.points for child in node.children if child.points is not None]
                if sums:
                    criterion = replace(criterion, max_points=sum(sums, Decimal(0)))
                    node.criterion = criterion
            nodes.append(node)
        return nodes

    return build([c.code for c in rubric.roots()], 0)


@dataclass
class CompareRow:
    code: str
    left: RubricCriterion | None
    right: RubricCriterion | None

    @property
    def status(self) -> str:
        if self.left is None:
            return "added"
        if self.right is None:
            return "removed"
        fields = ("title", "max_points", "is_key", "comparator", "target", "unit", "cell_types", "org_levels")
        fields += ("parent_code", "evidence_required", "kinds", "not_applicable", "measure", "bands")
        same = all(getattr(self.left, f) == getattr(self.right, f) for f in fields)
        return "same" if same else "changed"


def compare_rubrics(left: Rubric, right: Rubric) -> list[CompareRow]:
    """Both frameworks' effective criteria side by side, matched on code, in natural code order."""
    a, b = left.by_code(), right.by_code()
    codes = sorted(set(a) | set(b), key=code_sort_key)
    return [CompareRow(code, a.get(code), b.get(code)) for code in codes]


def compare_candidates(user, framework: Framework) -> FrameworkQuerySet:
    """Frameworks worth comparing with: same kind, visible to the user."""
    return frameworks_visible_to(user).filter(kind=framework.kind).exclude(pk=framework.pk).order_by("code")


def default_comparison(framework: Framework, candidates) -> Framework | None:
    """The previous version, else the framework it derives from, else the next version."""
    ids = set(candidates.values_list("pk", flat=True))
    for pk in (framework.previous_version_id, framework.parent_id):
        if pk in ids:
            return candidates.get(pk=pk)
    return candidates.filter(previous_version=framework).first()


def framework_list(user):
    """What the list page shows: frameworks the user may read, and the ids of those they may manage."""
    visible = list(frameworks_visible_to(user).order_by("kind", "code"))
    manageable = set(frameworks_manageable_by(user).values_list("pk", flat=True))
    return visible, manageable


def describe_rollup(rollup: RubricRollup, labels: dict[str, str]) -> str:
    """One roll-up level in words, e.g. "Tốt: mọi buổi từ Khá trở lên; ít nhất 7 buổi Tốt trở lên"
    (``labels``: level code -> label). The same sentence on the framework page, the ranking and reports."""
    from django.utils.translation import gettext as _

    name = lambda code: labels.get(code) or code  # noqa: E731
    parts = []
    if rollup.min_meetings is not None:
        parts.append(_("at least %(n)s meetings") % {"n": rollup.min_meetings})
    if rollup.all_at_least:
        parts.append(_("every meeting %(level)s or better") % {"level": name(rollup.all_at_least)})
    if rollup.count_level and rollup.min_count is not None:
        parts.append(
            _("at least %(n)s meetings %(level)s or better")
            % {"n": rollup.min_count, "level": name(rollup.count_level)}
        )
    if rollup.min_average is not None:
        parts.append(_("average at least %(points)s points") % {"points": f"{rollup.min_average.normalize():f}"})
    conditions = "; ".join(parts) if parts else _("otherwise")
    return f"{rollup.label or name(rollup.code)}: {conditions}"


def rollup_rules(framework: Framework) -> list[dict]:
    """For the pages: per kind of period, its roll-up levels in words (empty list when none)."""
    from .models import RollupPeriod

    labels = {level.code: level.label or level.code for level in load_rubric(framework).levels}
    rules = []
    for period, label in RollupPeriod.choices:
        rollups = load_rollups(framework, period)
        if rollups:
            rules.append(
                {
                    "period": period,
                    "label": label,
                    "lines": [describe_rollup(r, labels) for r in rollups],
                    "basis": next((r.basis for r in rollups if r.basis), ""),
                }
            )
    return rules


def rating_level_labels() -> dict[str, str]:
    """Every rating level's code and label ("kha" → "Khá"), one query: for texts that keep a level's code
    without its framework (the audit history). A code two frameworks label apart reads by the first in rank."""
    labels: dict[str, str] = {}
    rows = RatingLevel.objects.exclude(label="").order_by("rank", "pk").values_list("code", "label").distinct()
    for code, label in rows:
        labels.setdefault(code, label)
    return labels


# The audit history reads a level's code by this, once for a page of entries (cells/audit_history.py).
LEVEL_LABELS = Loaded(rating_level_labels)
