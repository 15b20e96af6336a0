"""Reads of criteria frameworks: the effective rubric of a framework, which framework applies, what a user sees."""

from __future__ import annotations

from django.db.models import Q

from cells.models import Organization
from cells.scoping import Action

from .models import Criterion, Framework, FrameworkQuerySet, FrameworkStatus, RatingLevel
from .scoring import Rubric, RubricCriterion, RubricLevel, build_rubric


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


def load_rubric(framework: Framework) -> Rubric:
    """The framework's EFFECTIVE criteria (inherited ones included) and levels, as the scoring sees them.

    Queries: criteria, their cell types, levels, plus one per generation a derived framework sits below."""
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
        )
        for lv in chosen_levels.values()
    ]
    return build_rubric(framework.pk, criteria, rubric_levels)


def effective_levels(framework: Framework) -> list[RubricLevel]:
    return list(load_rubric(framework).levels)


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
