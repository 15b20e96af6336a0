"""The `frameworks`, `criteria`, `rating_levels` and `rollup_levels` sheets of WORKBOOK.md, and the
`--framework CODE` export.

The sheets parse: each row becomes typed values, checked only for what the row names (the framework,
owner, parent, in the user's scope). Every rule is the services' (:mod:`criteria.services`, the very
functions the pages call): the freeze rule (a row that would change a published framework's criteria or
levels is an error, "make a new version"; an unchanged row is fine, so importing an export twice changes
nothing), the status moves (nothing goes back to draft), the models' checks, the ranks and codes of
levels, and the audit.

Publishing: a frameworks row with ``status`` ``published`` for a draft (or a new framework) publishes it
once its criteria and levels are in, i.e. at the end of whichever of the sheets comes first with it
complete. A framework published by this very import may still take rows of the later sheets (the
services are told which: nothing can have used it before the import is committed).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from cells.models import CellType, Level, Organization
from cells.scoping import Action
from cells.selectors import scope_roots
from cells.services import ItemsRefused
from cells.workbook import lookups
from cells.workbook.registry import (
    Change,
    Column,
    Export,
    ExportError,
    ImportContext,
    ImportSheet,
    Row,
    register_export,
    register_import_sheet,
)

from . import services
from .models import (
    Comparator,
    Criterion,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    Measure,
    MeetingKindScope,
    MeetingScope,
    NotApplicable,
    RatingLevel,
    RollupLevel,
    RollupPeriod,
)
from .rights import visible_by_code
from .scoring import BandError, bands_from_json, bands_to_json, code_sort_key, format_bands, parse_bands
from .selectors import frameworks_visible_to

PENDING = "criteria.publish_pending"  # framework pk -> frameworks sheet row number
PUBLISHED_NOW = "criteria.published_now"  # framework pks published by this import


def _vietnamese(choices) -> list[tuple[str, str]]:
    with translation.override("vi"):
        return [(value, str(label)) for value, label in choices]


def _cell_type_choices() -> list[tuple[str, str]]:
    return list(CellType.objects.order_by("order", "code").values_list("code", "name"))


FRAMEWORK_COLUMNS = (
    Column("code", "Mã bộ tiêu chí", required=True, help="ví dụ SH-2024, 4T-BT-2024"),
    Column("name", "Tên", required=True),
    Column("kind", "Loại", type=Column.CHOICE, required=True, choices=lambda: _vietnamese(FrameworkKind.choices)),
    Column("owner_code", "Mã cấp ủy ban hành"),
    Column("basis", "Căn cứ"),
    Column("parent_code", "Mã bộ tiêu chí gốc", help="bộ tiêu chí được kế thừa"),
    Column("description", "Mô tả"),
    Column("valid_from_year", "Áp dụng từ năm", type=Column.INT),
    Column("valid_to_year", "Áp dụng đến năm", type=Column.INT),
    Column(
        "meeting_kind", "Loại buổi sinh hoạt", type=Column.CHOICE, choices=lambda: _vietnamese(MeetingScope.choices)
    ),
    Column("org_levels", "Cấp áp dụng", type=Column.LIST, choices=lambda: _vietnamese(Level.choices)),
    Column(
        "status",
        "Trạng thái",
        type=Column.CHOICE,
        choices=lambda: _vietnamese(FrameworkStatus.choices),
        help="draft (mặc định), published, retired",
    ),
)
CRITERION_COLUMNS = (
    Column("framework_code", "Mã bộ tiêu chí", required=True),
    Column("code", "Mã tiêu chí", required=True, help="ví dụ 1, 2.1, 2.1.3"),
    Column("parent_code", "Mã tiêu chí cha"),
    Column("title", "Nội dung tiêu chí", required=True),
    Column("max_points", "Điểm tối đa", type=Column.DECIMAL, help="để trống nếu đánh giá đạt/không đạt"),
    Column("key", "Tiêu chí then chốt", type=Column.BOOL),
    Column("cell_types", "Loại hình chi bộ", type=Column.LIST, choices=_cell_type_choices, help="để trống: tất cả"),
    Column("unit", "Đơn vị tính"),
    Column("comparator", "Phép so sánh", type=Column.CHOICE, choices=Comparator.choices),
    Column("target", "Chỉ tiêu", type=Column.DECIMAL),
    Column("guidance", "Hướng dẫn"),
    Column("evidence_required", "Cần minh chứng", type=Column.BOOL),
    Column("org_levels", "Cấp áp dụng", type=Column.LIST, choices=lambda: _vietnamese(Level.choices)),
    Column("target_settable_by_cell", "Chi bộ tự đặt chỉ tiêu", type=Column.BOOL),
    Column("order", "Thứ tự", type=Column.INT),
    Column(
        "kinds",
        "Loại buổi sinh hoạt áp dụng",
        type=Column.LIST,
        choices=lambda: _vietnamese(MeetingKindScope.choices),
        help="để trống: mọi loại buổi",
    ),
    Column(
        "not_applicable",
        "Khi không áp dụng",
        type=Column.CHOICE,
        choices=lambda: _vietnamese(NotApplicable.choices),
        help="none (mặc định): không tính; full: tính đủ điểm",
    ),
    Column(
        "measure", "Chấm từ số liệu buổi sinh hoạt", type=Column.CHOICE, choices=lambda: _vietnamese(Measure.choices)
    ),
    Column("bands", "Thang điểm", help="ví dụ >=90:4; >=80:3; >=70:2"),
)
LEVEL_COLUMNS = (
    Column("framework_code", "Mã bộ tiêu chí", required=True),
    Column("level", "Mức xếp loại", required=True, help="ví dụ tot, kha, trung_binh, kem, dat, khong_dat"),
    Column("label", "Tên mức"),
    Column("rank", "Thứ bậc", type=Column.INT, required=True, help="1 là mức cao nhất"),
    Column("min_points", "Điểm tối thiểu", type=Column.DECIMAL),
    Column("require_key_full", "Tiêu chí then chốt đạt tối đa", type=Column.BOOL),
    Column("require_all_achieved", "Mọi nhóm tiêu chí đều đạt", type=Column.BOOL),
    Column("needs_attention", "Cần quan tâm", type=Column.BOOL, help="báo cáo liệt kê các kết quả ở mức này"),
)
ROLLUP_COLUMNS = (
    Column("framework_code", "Mã bộ tiêu chí", required=True),
    Column("period", "Kỳ", type=Column.CHOICE, required=True, choices=(("quarter", "Quý"), ("year", "Năm"))),
    Column("level", "Mức xếp loại", required=True, help="mã một mức xếp loại của bộ tiêu chí, ví dụ tot"),
    Column("label", "Tên mức"),
    Column("rank", "Thứ bậc", type=Column.INT, required=True, help="1 là mức cao nhất"),
    Column("min_meetings", "Số buổi tối thiểu", type=Column.INT),
    Column("all_at_least", "Mọi buổi đạt từ mức", help="mã mức xếp loại buổi sinh hoạt"),
    Column("count_level", "Mức được đếm", help="mã mức xếp loại buổi sinh hoạt"),
    Column("min_count", "Số buổi tối thiểu ở mức được đếm trở lên", type=Column.INT),
    Column("min_average", "Điểm trung bình tối thiểu", type=Column.DECIMAL),
    Column("basis", "Căn cứ"),
)


# --- Publishing -----------------------------------------------------------------------------------


def _published_now(ctx: ImportContext) -> set[int]:
    """The frameworks this import published: its later sheets may still add to them (nothing outside the
    import's transaction has seen them published), which the services accept when told."""
    return ctx.shared.setdefault(PUBLISHED_NOW, set())


def _publish_pending(ctx: ImportContext, *, final: bool) -> None:
    """Publish the frameworks the sheet asked to publish that are complete (parents first)."""
    pending: dict[int, int] = ctx.shared.get(PENDING, {})
    if not pending:
        return
    frameworks = sorted(Framework.objects.filter(pk__in=pending), key=lambda f: len(f.lineage()))
    for stale in frameworks:
        framework = Framework.objects.select_related("parent").get(pk=stale.pk)  # its parent may be published now
        problems = services.framework_problems(framework)
        if problems:
            if final:
                for problem in problems:
                    ctx.error(pending[framework.pk], "status", problem, sheet="frameworks")
            continue
        services.framework_publish(framework=framework, acting_user=ctx.user)
        _published_now(ctx).add(framework.pk)
        del pending[framework.pk]


# --- frameworks -----------------------------------------------------------------------------------

FRAMEWORK_FIELD_COLUMNS = {"owner": "owner_code", "parent": "parent_code"}
FRAMEWORK_SIMPLE = ("name", "kind", "basis", "description", "valid_from_year", "valid_to_year", "meeting_kind")


def plan_frameworks(ctx: ImportContext, rows: list[Row]) -> list[Change]:
    codes = {row["code"] for row in rows} | {row["parent_code"] for row in rows if row["parent_code"]}
    existing = {f.code: f for f in Framework.objects.filter(code__in=codes).select_related("owner", "parent")}
    owner_codes = {row["owner_code"] for row in rows if row["owner_code"]}
    owners = {o.code: o for o in Organization.objects.filter(code__in=owner_codes)}
    file_codes = {row["code"]: row for row in rows}
    changes = []
    for row in sorted(rows, key=lambda r: (_file_depth(file_codes, r["code"]), r.number)):
        change = _plan_framework(ctx, row, existing, owners, file_codes)
        if change is not None:
            changes.append(change)
    return changes


def _file_depth(file_codes: dict[str, Row], code: str) -> int:
    depth, seen = 0, {code}
    current = file_codes[code]["parent_code"] if code in file_codes else None
    while current in file_codes and current not in seen:
        seen.add(current)
        depth += 1
        current = file_codes[current]["parent_code"]
    return depth


def _default_owner(ctx: ImportContext) -> Organization | None:
    roots = scope_roots(ctx.user, Action.MANAGE)
    return roots[0] if len(roots) == 1 else None


def _plan_framework(ctx, row: Row, existing, owners, file_codes) -> Change | None:
    """Read a row into the framework's values: which framework, owner and parent it names (in the user's
    scope) and what would change. Whether the change is allowed is the services' to say, when applied."""
    code = row["code"]
    framework = existing.get(code)
    if framework is not None and not ctx.can_manage(framework.owner.path):
        ctx.error(row, "code", lookups.code_taken(code))
        return None
    owner = framework.owner if framework is not None else None
    if row["owner_code"]:
        owner = owners.get(row["owner_code"])
        if owner is None:
            ctx.error(row, "owner_code", lookups.not_found("organization", row["owner_code"]))
            return None
    elif owner is None:
        owner = _default_owner(ctx)
        if owner is None:
            ctx.error(row, "owner_code", _("Give the code of the committee that issues this framework."))
            return None
    if not ctx.can_manage(owner.path):
        ctx.error(row, "owner_code", lookups.not_found("organization", owner.code))
        return None
    parent_code = row["parent_code"] if "parent_code" in ctx.columns_present else getattr(framework, "parent", None)
    if isinstance(parent_code, Framework):
        parent_code = parent_code.code
    if parent_code and parent_code not in file_codes and parent_code not in visible_by_code(ctx.user, [parent_code]):
        ctx.error(row, "parent_code", lookups.not_found("framework", parent_code))
        return None
    if parent_code and ctx.row_failed("frameworks", parent_code):
        ctx.mark_failed("frameworks", code)
        return None
    values = {key: row[key] for key in FRAMEWORK_SIMPLE if key in ctx.columns_present}
    values = {
        key: ("" if value is None and key in ("basis", "description", "meeting_kind") else value)
        for key, value in values.items()
    }
    if "org_levels" in ctx.columns_present:
        values["org_levels"] = list(row["org_levels"] or [])
    status = row["status"] or (framework.status if framework is not None else FrameworkStatus.DRAFT)
    payload = {"values": values, "owner": owner, "parent_code": parent_code, "status": status, "framework": framework}
    if framework is None:
        details = {k: v for k, v in {**values, "owner_code": owner.code, "parent_code": parent_code}.items() if v}
        return Change.for_row(row, Change.CREATE, key=code, details=details, payload=payload)
    diff = {k: [getattr(framework, k), v] for k, v in values.items() if getattr(framework, k) != v}
    if owner.pk != framework.owner_id:
        diff["owner_code"] = [framework.owner.code, owner.code]
    old_parent = framework.parent.code if framework.parent_id else None
    if (parent_code or None) != old_parent:
        diff["parent_code"] = [old_parent, parent_code]
    if status != framework.status:
        diff["status"] = [framework.status, status]
    return Change.for_row(row, Change.UPDATE if diff else Change.UNCHANGED, key=code, details=diff, payload=payload)


def apply_frameworks(ctx: ImportContext, changes: list[Change]) -> None:
    """Through the pages' services: create (as a draft), change what a framework's status allows, move the
    status on; a draft asked to be published is published once its criteria and levels are in."""
    made: dict[str, Framework] = {}
    ctx.shared.setdefault(PENDING, {})
    for change in changes:
        payload = change.payload
        parent_code = payload["parent_code"]
        parent = made.get(parent_code) or (Framework.objects.filter(code=parent_code).first() if parent_code else None)
        framework = payload["framework"]
        try:
            if framework is None:
                framework = services.framework_create(
                    owner=payload["owner"],
                    code=change.key,
                    parent=parent,
                    acting_user=ctx.user,
                    **{k: v for k, v in payload["values"].items() if v is not None or k.startswith("valid")},
                )
            elif change.action == Change.UPDATE:
                fields = {k: v for k, v in payload["values"].items() if getattr(framework, k) != v}
                if (parent.pk if parent else None) != framework.parent_id:
                    fields["parent"] = parent
                if payload["owner"].pk != framework.owner_id:
                    fields["owner"] = payload["owner"]
                if fields:
                    services.framework_update(framework=framework, acting_user=ctx.user, **fields)
            if payload["status"] != FrameworkStatus.PUBLISHED or framework.status != FrameworkStatus.DRAFT:
                services.framework_status_set(framework=framework, status=payload["status"], acting_user=ctx.user)
        except ValidationError as exc:
            ctx.add_validation_error(change.row, exc, FRAMEWORK_FIELD_COLUMNS, default_column="code")
            continue
        made[change.key] = framework
        if payload["status"] == FrameworkStatus.PUBLISHED and framework.status == FrameworkStatus.DRAFT:
            ctx.shared[PENDING][framework.pk] = change.row
    _publish_pending(ctx, final=False)


# --- criteria -------------------------------------------------------------------------------------

CRITERION_VALUES = (
    "title",
    "max_points",
    "unit",
    "comparator",
    "target",
    "guidance",
    "evidence_required",
    "org_levels",
    "target_settable_by_cell",
    "order",
    "kinds",
    "not_applicable",
    "measure",
    "bands",
)
CRITERION_DEFAULTS = {
    "kinds": [],
    "not_applicable": NotApplicable.NONE,
    "measure": "",
    "bands": [],
    "unit": "",
    "comparator": "",
    "guidance": "",
    "evidence_required": False,
    "org_levels": [],
    "target_settable_by_cell": False,
    "is_key": False,
}
CRITERION_FIELD_COLUMNS = {"is_key": "key", "parent": "parent_code", "cell_types": "cell_types"}


def _scoped_frameworks(ctx: ImportContext, codes) -> dict[str, Framework]:
    return visible_by_code(ctx.user, codes)


def plan_criteria(ctx: ImportContext, rows: list[Row]) -> list[Change]:
    frameworks = _scoped_frameworks(ctx, [row["framework_code"] for row in rows])
    lineages = {f.pk: f.lineage() for f in frameworks.values()}
    lineage_ids = {pk: [x.pk for x in chain] for pk, chain in lineages.items()}
    ctx.shared["criteria.lineage_codes"] = {pk: [x.code for x in chain] for pk, chain in lineages.items()}
    all_ids = {pk for ids in lineage_ids.values() for pk in ids}
    stored = list(
        Criterion.objects.filter(framework_id__in=all_ids).select_related("parent").prefetch_related("cell_types")
    )
    by_framework: dict[int, dict[str, Criterion]] = {}
    for criterion in stored:
        by_framework.setdefault(criterion.framework_id, {})[criterion.code] = criterion
    file_rows: dict[str, dict[str, Row]] = {}
    for row in rows:
        file_rows.setdefault(row["framework_code"], {})[row["code"]] = row
    changes = []
    for row in rows:
        change = _plan_criterion(ctx, row, frameworks, lineage_ids, by_framework, file_rows)
        if change is not None:
            changes.append(change)
    return changes


def _plan_criterion(ctx, row: Row, frameworks, lineage_ids, by_framework, file_rows) -> Change | None:
    fw_code, code = row["framework_code"], row["code"]
    if ctx.row_failed("frameworks", fw_code):
        ctx.mark_failed("criteria", (fw_code, code))
        return None
    framework = frameworks.get(fw_code)
    if framework is None or not ctx.can_manage(framework.owner.path):
        ctx.error(row, "framework_code", lookups.not_found("framework", fw_code))
        return None
    own = by_framework.get(framework.pk, {})
    inherited = {c: crit for pk in lineage_ids[framework.pk][1:] for c, crit in by_framework.get(pk, {}).items()}
    for ancestor_code in ctx.shared["criteria.lineage_codes"][framework.pk][1:]:
        inherited.update(dict.fromkeys(set(file_rows.get(ancestor_code, {})) - set(inherited)))
    if code in inherited:
        ctx.error(row, "code", _("Code %(code)s is already used by an inherited criterion.") % {"code": code})
        return None
    parent_code = row["parent_code"] or None
    if (
        parent_code
        and parent_code not in own
        and parent_code not in inherited
        and parent_code not in file_rows[fw_code]
    ):
        ctx.error(row, "parent_code", _("No criterion with code %(code)s in this framework.") % {"code": parent_code})
        return None
    loop = _parent_loop(code, file_rows[fw_code], own)
    if loop:
        ctx.error(row, "parent_code", _("The parents form a cycle: %(cycle)s.") % {"cycle": " → ".join(loop)})
        return None
    existing = own.get(code)
    try:
        values = _criterion_values(ctx, row, existing)
    except BandError as exc:
        ctx.error(row, "bands", str(exc))
        return None
    cell_types = sorted(row["cell_types"] or []) if "cell_types" in ctx.columns_present else None
    payload = {"framework": framework, "values": values, "parent_code": parent_code, "cell_types": cell_types}
    if existing is None:
        details = {k: v for k, v in {**values, "parent_code": parent_code, "cell_types": cell_types}.items() if v}
        action, diff = Change.CREATE, details
    else:
        diff = {k: [getattr(existing, k), v] for k, v in values.items() if getattr(existing, k) != v}
        old_parent = existing.parent.code if existing.parent_id else None
        if parent_code != old_parent:
            diff["parent_code"] = [old_parent, parent_code]
        old_types = sorted(t.code for t in existing.cell_types.all())
        if cell_types is not None and cell_types != old_types:
            diff["cell_types"] = [old_types, cell_types]
        action = Change.UPDATE if diff else Change.UNCHANGED
    payload["existing"] = existing
    return Change.for_row(row, action, key=f"{fw_code} {code}", details=diff, payload=payload)


def _parent_loop(code: str, file_rows: dict[str, Row], own: dict[str, Criterion]) -> list[str] | None:
    chain, current = [], code
    while current is not None:
        if current in chain:
            return [*chain[chain.index(current) :], current]
        chain.append(current)
        if current in file_rows:
            current = file_rows[current]["parent_code"] or None
        elif current in own:
            parent = own[current].parent
            current = parent.code if parent is not None and parent.framework_id == own[current].framework_id else None
        else:
            current = None
    return None


def _criterion_values(ctx, row: Row, existing: Criterion | None) -> dict:
    values = {}
    for key in CRITERION_VALUES:
        if key in ctx.columns_present:
            value = row[key]
            if key in ("org_levels", "kinds"):
                value = list(value or [])
            elif key == "bands":
                value = bands_to_json(parse_bands(value)) if value else []
            values[key] = CRITERION_DEFAULTS.get(key, value) if value is None else value
        elif existing is not None:
            values[key] = getattr(existing, key)
        elif key in CRITERION_DEFAULTS:
            values[key] = CRITERION_DEFAULTS[key]
    if "key" in ctx.columns_present:
        values["is_key"] = bool(row["key"])
    elif existing is not None:
        values["is_key"] = existing.is_key
    if values.get("order") is None:
        values.pop("order", None)
    return values


def apply_criteria(ctx: ImportContext, changes: list[Change]) -> None:
    """Each new or changed criterion through the page's service (which checks it and the framework's
    status), parents before children."""
    cell_types = {t.code: t for t in CellType.objects.all()}
    pending = [c for c in changes if c.action != Change.UNCHANGED]
    pending.sort(key=lambda c: (code_sort_key(c.payload["parent_code"] or ""), c.row))
    saved: dict[tuple[int, str], Criterion] = {}
    while pending:
        waiting = []
        for change in pending:
            if not _apply_criterion(ctx, change, saved, cell_types):
                waiting.append(change)
        if len(waiting) == len(pending):
            break
        pending = waiting
    _publish_pending(ctx, final=False)


def _apply_criterion(ctx, change: Change, saved, cell_types) -> bool:
    payload = change.payload
    framework = payload["framework"]
    parent = None
    if payload["parent_code"]:
        lineage = [f.pk for f in framework.lineage()]
        parent = saved.get((framework.pk, payload["parent_code"])) or (
            Criterion.objects.filter(framework_id__in=lineage, code=payload["parent_code"]).first()
        )
        if parent is None:
            return False  # its parent is a later row: wait for it
    criterion = payload["existing"] or Criterion(framework=framework, code=change.key.split(" ", 1)[1])
    for key, value in payload["values"].items():
        setattr(criterion, key, value)
    criterion.parent = parent
    types = [cell_types[t] for t in payload["cell_types"]] if payload["cell_types"] is not None else None
    try:
        criterion = services.criterion_save(
            criterion=criterion, acting_user=ctx.user, cell_types=types, published_now=_published_now(ctx)
        )
    except ValidationError as exc:
        ctx.add_validation_error(change.row, exc, CRITERION_FIELD_COLUMNS, default_column="framework_code")
        return True
    saved[(framework.pk, criterion.code)] = criterion
    return True


# --- rating_levels and rollup_levels --------------------------------------------------------------
# Both sheets read rows into level objects and hand each framework's rows to the page's service in one
# call (rating_levels_save, rollup_levels_save): it checks them, lets the file swap ranks and audits.

LEVEL_VALUES = ("label", "rank", "min_points", "require_key_full", "require_all_achieved", "needs_attention")
LEVEL_DEFAULTS = {"label": "", "require_key_full": False, "require_all_achieved": False, "needs_attention": False}
ROLLUP_VALUES = (
    "label", "rank", "min_meetings", "all_at_least", "count_level", "min_count", "min_average", "basis",
)  # fmt: skip
ROLLUP_DEFAULTS = {"label": "", "all_at_least": "", "count_level": "", "basis": ""}
LEVEL_FIELD_COLUMNS = {"code": "level", "framework": "framework_code"}


def _level_values(ctx: ImportContext, row: Row, existing, keys, defaults) -> dict:
    """The row's values; an absent column keeps the stored value (or the default for a new level)."""
    values = {}
    for key in keys:
        if key in ctx.columns_present:
            values[key] = defaults.get(key) if row[key] is None else row[key]
        elif existing is not None:
            values[key] = getattr(existing, key)
        else:
            values[key] = defaults.get(key)
    return values


def _plan_levels(ctx: ImportContext, rows: list[Row], model, keys, defaults) -> list[Change]:
    frameworks = _scoped_frameworks(ctx, [row["framework_code"] for row in rows])
    rollups = model is RollupLevel
    stored = {
        (level.framework_id, level.period if rollups else None, level.code): level
        for level in model.objects.filter(framework__in=frameworks.values())
    }
    changes = []
    for row in rows:
        fw_code, code = row["framework_code"], row["level"]
        period = row["period"] if rollups else None
        key = f"{fw_code} {period} {code}" if rollups else f"{fw_code} {code}"
        if ctx.row_failed("frameworks", fw_code):
            ctx.mark_failed(ctx.sheet.name, ctx.sheet.key_of(row))
            continue
        framework = frameworks.get(fw_code)
        if framework is None or not ctx.can_manage(framework.owner.path):
            ctx.error(row, "framework_code", lookups.not_found("framework", fw_code))
            continue
        existing = stored.get((framework.pk, period, code))
        values = _level_values(ctx, row, existing, keys, defaults)
        if existing is None:
            action, diff = Change.CREATE, {k: v for k, v in values.items() if v not in (None, "", False)}
        else:
            diff = {k: [getattr(existing, k), v] for k, v in values.items() if getattr(existing, k) != v}
            action = Change.UPDATE if diff else Change.UNCHANGED
        identity = {"framework": framework, "code": code, **({"period": period} if rollups else {})}
        payload = {"identity": identity, "values": values, "existing": existing}
        changes.append(Change.for_row(row, action, key=key, details=diff, payload=payload))
    return changes


def _apply_levels(ctx: ImportContext, changes: list[Change], model, save) -> None:
    """Each framework's new and changed levels through ``save`` together (the file may swap ranks)."""
    by_framework: dict[int, list[Change]] = {}
    for change in changes:
        if change.action != Change.UNCHANGED:
            by_framework.setdefault(change.payload["identity"]["framework"].pk, []).append(change)
    for writes in by_framework.values():
        _save_levels(ctx, writes, model, save)
    _publish_pending(ctx, final=True)


def _save_levels(ctx: ImportContext, writes: list[Change], model, save) -> None:
    """One framework's levels through the service. Refused rows are reported, and the others saved without
    them, so later rows report their own problems (the import is rolled back anyway)."""
    framework = writes[0].payload["identity"]["framework"]
    while writes:
        levels = []
        for change in writes:
            level = change.payload["existing"] or model(**change.payload["identity"])
            for key, value in change.payload["values"].items():
                setattr(level, key, value)
            levels.append(level)
        try:
            save(framework=framework, levels=levels, acting_user=ctx.user, published_now=_published_now(ctx))
        except ItemsRefused as exc:
            for index, error in exc.by_index.items():
                ctx.add_validation_error(writes[index].row, error, LEVEL_FIELD_COLUMNS, default_column="level")
            writes = [change for index, change in enumerate(writes) if index not in exc.by_index]
            continue
        except ValidationError as exc:  # about the framework itself (it is published): every row says so
            for change in writes:
                ctx.add_validation_error(change.row, exc, LEVEL_FIELD_COLUMNS, default_column="framework_code")
        return


def plan_rating_levels(ctx: ImportContext, rows: list[Row]) -> list[Change]:
    return _plan_levels(ctx, rows, RatingLevel, LEVEL_VALUES, LEVEL_DEFAULTS)


def apply_rating_levels(ctx: ImportContext, changes: list[Change]) -> None:
    _apply_levels(ctx, changes, RatingLevel, services.rating_levels_save)


def plan_rollup_levels(ctx: ImportContext, rows: list[Row]) -> list[Change]:
    return _plan_levels(ctx, rows, RollupLevel, ROLLUP_VALUES, ROLLUP_DEFAULTS)


def apply_rollup_levels(ctx: ImportContext, changes: list[Change]) -> None:
    _apply_levels(ctx, changes, RollupLevel, services.rollup_levels_save)


register_import_sheet(
    ImportSheet(
        name="frameworks",
        label="Bộ tiêu chí",
        columns=FRAMEWORK_COLUMNS,
        key=("code",),
        plan=plan_frameworks,
        apply=apply_frameworks,
        description="Bộ tiêu chí: mã, tên, loại, cấp ủy ban hành, căn cứ, bộ tiêu chí gốc khi kế thừa.",
    )
)
register_import_sheet(
    ImportSheet(
        name="criteria",
        label="Tiêu chí",
        columns=CRITERION_COLUMNS,
        key=("framework_code", "code"),
        plan=plan_criteria,
        apply=apply_criteria,
        description="Cây tiêu chí của từng bộ: nhóm, tiêu chí, nội dung; điểm tối đa hoặc đạt/không đạt; chỉ tiêu.",
    )
)
register_import_sheet(
    ImportSheet(
        name="rating_levels",
        label="Mức xếp loại",
        columns=LEVEL_COLUMNS,
        key=("framework_code", "level"),
        plan=plan_rating_levels,
        apply=apply_rating_levels,
        description="Các mức xếp loại của từng bộ tiêu chí và điều kiện của mỗi mức.",
    )
)
register_import_sheet(
    ImportSheet(
        name="rollup_levels",
        label="Xếp loại quý, năm",
        columns=ROLLUP_COLUMNS,
        key=("framework_code", "period", "level"),
        plan=plan_rollup_levels,
        apply=apply_rollup_levels,
        description="Cách xếp loại sinh hoạt của một quý, một năm từ mức xếp loại của các buổi sinh hoạt.",
    )
)


# --- The --framework export -----------------------------------------------------------------------


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def write_framework(request, book) -> None:
    framework = frameworks_visible_to(request.user).filter(code=request.framework or "").first()
    if framework is None:
        raise ExportError(_("No framework with code %(code)s in your scope.") % {"code": request.framework or ""})
    write_framework_sheets(framework, book)


def write_framework_sheets(framework: Framework, book) -> None:
    """The framework and, for a derived one, the frameworks it derives from (root first, so it re-imports)."""
    chain = list(reversed(framework.lineage()))
    sheet = book.sheet("frameworks")
    for fw in chain:
        sheet.append(
            {
                "code": fw.code,
                "name": fw.name,
                "kind": fw.kind,
                "owner_code": fw.owner.code,
                "basis": fw.basis,
                "parent_code": fw.parent.code if fw.parent_id else "",
                "description": fw.description,
                "valid_from_year": fw.valid_from_year,
                "valid_to_year": fw.valid_to_year,
                "meeting_kind": fw.meeting_kind,
                "org_levels": ", ".join(fw.org_levels or []),
                "status": fw.status,
            }
        )
    ids = [fw.pk for fw in chain]
    criteria = list(
        Criterion.objects.filter(framework_id__in=ids)
        .select_related("framework", "parent")
        .prefetch_related("cell_types")
    )
    order = {pk: i for i, pk in enumerate(ids)}
    sheet = book.sheet("criteria")
    for c in sorted(criteria, key=lambda c: (order[c.framework_id], code_sort_key(c.code))):
        sheet.append(
            {
                "framework_code": c.framework.code,
                "code": c.code,
                "parent_code": c.parent.code if c.parent_id else "",
                "title": c.title,
                "max_points": _number(c.max_points),
                "key": "yes" if c.is_key else "no",
                "cell_types": ", ".join(sorted(t.code for t in c.cell_types.all())),
                "unit": c.unit,
                "comparator": c.comparator,
                "target": _number(c.target),
                "guidance": c.guidance,
                "evidence_required": "yes" if c.evidence_required else "no",
                "org_levels": ", ".join(c.org_levels or []),
                "target_settable_by_cell": "yes" if c.target_settable_by_cell else "no",
                "order": c.order,
                "kinds": ", ".join(c.kinds or []),
                "not_applicable": c.not_applicable,
                "measure": c.measure,
                "bands": format_bands(bands_from_json(c.bands)),
            }
        )
    sheet = book.sheet("rating_levels")
    levels = RatingLevel.objects.filter(framework_id__in=ids).select_related("framework")
    for level in sorted(levels, key=lambda lv: (order[lv.framework_id], lv.rank)):
        sheet.append(
            {
                "framework_code": level.framework.code,
                "level": level.code,
                "label": level.label,
                "rank": level.rank,
                "min_points": _number(level.min_points),
                "require_key_full": "yes" if level.require_key_full else "no",
                "require_all_achieved": "yes" if level.require_all_achieved else "no",
                "needs_attention": "yes" if level.needs_attention else "no",
            }
        )
    sheet = book.sheet("rollup_levels")
    rollups = RollupLevel.objects.filter(framework_id__in=ids).select_related("framework")
    periods = [value for value, _label in RollupPeriod.choices]
    for rollup in sorted(rollups, key=lambda r: (order[r.framework_id], periods.index(r.period), r.rank)):
        sheet.append(
            {
                "framework_code": rollup.framework.code,
                "period": rollup.period,
                "level": rollup.code,
                "label": rollup.label,
                "rank": rollup.rank,
                "min_meetings": rollup.min_meetings,
                "all_at_least": rollup.all_at_least,
                "count_level": rollup.count_level,
                "min_count": rollup.min_count,
                "min_average": _number(rollup.min_average),
                "basis": rollup.basis,
            }
        )


register_export(Export(name="framework", label="Bộ tiêu chí", requires=("framework",), write=write_framework))
