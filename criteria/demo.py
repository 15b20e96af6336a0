"""Demo frameworks: the shipped, published frameworks of :mod:`criteria.demo_data` for a demo province.

Owners: the province's root committee; the school cell of seed 004 (``P-NTH-THCSBT``, or in a
generated province its first public-service cell); the university of seed 002 (``DUK-DHYD``, or the
first grassroots organisation); the city of seed 000 (``TP-YB``, or the first district). A few hundred
rows written with bulk inserts, a level of the tree at a time.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cells.demo import DemoContext, register_demo_extension
from cells.models import CellType, Level, Organization

from .demo_data import DEMO_FRAMEWORKS
from .models import Criterion, Framework, FrameworkStatus, RatingLevel, RollupLevel
from .scoring import code_sort_key

SEED_OWNERS = {"P-NTH-THCSBT", "DUK-DHYD", "TP-YB"}


def _owners(context: DemoContext) -> dict[str, Organization]:
    province = context.province
    subtree = Organization.objects.subtree_of(province)
    by_code = {o.code: o for o in subtree.filter(code__in=SEED_OWNERS)}
    school = by_code.get("P-NTH-THCSBT") or (
        subtree.filter(level=Level.CELL, cell_type__code="public_service").order_by("path").first()
    )
    university = by_code.get("DUK-DHYD") or subtree.filter(level=Level.GRASSROOTS).order_by("path").first()
    district = by_code.get("TP-YB") or subtree.filter(level=Level.DISTRICT).order_by("path").first()
    return {"root": province, "school": school, "university": university, "district": district}


def _code_for(context: DemoContext, code: str) -> str:
    """The seeds' codes for the first demo province; generated provinces prefix theirs."""
    if context.small and not Framework.objects.filter(code=code).exists():
        return code
    return f"{context.province.code}-{code}"


@register_demo_extension(order=10)
@transaction.atomic
def build_demo_frameworks(context: DemoContext) -> dict[str, Framework]:
    owners = _owners(context)
    cell_types = {ct.code: ct for ct in CellType.objects.all()}
    made: dict[str, Framework] = {}
    now = timezone.now()
    for spec in DEMO_FRAMEWORKS:
        owner = owners.get(spec["owner"])
        parent = made.get(spec.get("parent")) if spec.get("parent") else None
        if owner is None or (spec.get("parent") and parent is None):
            continue
        name = spec["name"]
        if spec["owner"] != "root" and owner.code not in SEED_OWNERS:
            name = f"{spec.get('generic_name', name)} ({owner.name})"
        framework = Framework.objects.create(
            code=_code_for(context, spec["code"]),
            name=name,
            kind=spec["kind"],
            owner=owner,
            basis=spec.get("basis", ""),
            description=spec.get("description", ""),
            valid_from_year=spec.get("valid_from_year"),
            meeting_kind=spec.get("meeting_kind", ""),
            org_levels=spec.get("org_levels", []),
            parent=parent,
            status=FrameworkStatus.PUBLISHED,
            published_at=now,
        )
        inherited = (
            {c.code: c for c in Criterion.objects.filter(framework__in=parent.lineage()).select_related("parent")}
            if parent
            else {}
        )
        _bulk_criteria(framework, spec["criteria"], inherited, cell_types)
        RatingLevel.objects.bulk_create(
            RatingLevel(
                framework=framework,
                code=code,
                label=label,
                rank=rank,
                min_points=None if minimum is None else Decimal(minimum),
                require_key_full=key_full,
                require_all_achieved=all_achieved,
                needs_attention=attention,
            )
            for code, label, rank, minimum, key_full, all_achieved, attention in spec["levels"]
        )
        RollupLevel.objects.bulk_create(
            RollupLevel(
                framework=framework,
                period=period,
                code=code,
                label=label,
                rank=rank,
                min_meetings=meetings,
                all_at_least=all_at_least or "",
                count_level=count_level or "",
                min_count=min_count,
                min_average=None if average is None else Decimal(average),
                basis=basis,
            )
            for period, code, label, rank, meetings, all_at_least, count_level, min_count, average, basis in spec.get(
                "rollups", ()
            )
        )
        made[spec["code"]] = framework
    return made


def _bulk_criteria(framework: Framework, rows, inherited: dict[str, Criterion], cell_types) -> None:
    """Insert a level of the tree at a time, so each row's parent already has its id."""
    known = dict(inherited)
    pending = list(rows)
    # Siblings are ordered by ``order``: an added criterion comes after the inherited ones beside it.
    next_order: dict[str | None, int] = {}
    for criterion in inherited.values():
        key = criterion.parent.code if criterion.parent_id else None
        next_order[key] = max(next_order.get(key, 0), criterion.order)
    order_of = {}
    for code, parent_code, *_rest in sorted(rows, key=lambda r: code_sort_key(r[0])):
        next_order[parent_code] = next_order.get(parent_code, 0) + 1
        order_of[code] = next_order[parent_code]
    while pending:
        ready = [row for row in pending if row[1] is None or row[1] in known]
        if not ready:
            raise ValueError(f"{framework.code}: criteria with unknown parents: {[r[0] for r in pending]}")
        created = Criterion.objects.bulk_create(
            Criterion(
                framework=framework,
                parent=known.get(parent_code) if parent_code else None,
                code=code,
                title=title,
                order=order_of[code],
                max_points=None if points is None else Decimal(points),
                is_key=options.get("key", False),
                evidence_required=options.get("evidence", False),
                org_levels=options.get("org_levels", []),
                unit=options.get("unit", ""),
                comparator=options.get("comparator", ""),
                target=None if options.get("target") is None else Decimal(options["target"]),
                target_settable_by_cell=options.get("settable", False),
                guidance=options.get("guidance", ""),
            )
            for code, parent_code, title, points, options in ready
        )
        through = Criterion.cell_types.through
        links = []
        for criterion, (_code, _parent, _title, _points, options) in zip(created, ready, strict=True):
            known[criterion.code] = criterion
            links.extend(
                through(criterion_id=criterion.pk, celltype_id=cell_types[t].pk) for t in options.get("cell_types", [])
            )
        through.objects.bulk_create(links)
        pending = [row for row in pending if row[0] not in known or known[row[0]].framework_id != framework.pk]
