"""The `organizations` and `members` sheets of WORKBOOK.md: parsing rows, and the exports.

The sheets parse: each row becomes typed values, checked for what it names (the codes it refers to, in
the user's scope; the tree's parents, without cycles). The rules are the services' (:mod:`cells.services`,
as for the pages): new organisations and members go through the bulk services (the models' own
``full_clean``, a few queries per level of the tree, never one per row, audited), changes to existing
organisations through the tree services (rename, move, update).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import services
from .models import (
    CELL_LEVELS,
    EARLIEST,
    CellType,
    Level,
    Member,
    MemberStatus,
    Organization,
)
from .scoping import Action
from .text import nfc
from .workbook import lookups
from .workbook.registry import (
    Change,
    Column,
    Export,
    ImportContext,
    ImportSheet,
    Row,
    register_export,
    register_import_sheet,
)

CHUNK = 5000


def _vietnamese(choices) -> list[tuple[str, str]]:
    with translation.override("vi"):
        return [(value, str(label)) for value, label in choices]


def _cell_type_choices() -> list[tuple[str, str]]:
    return list(CellType.objects.order_by("order", "code").values_list("code", "name"))


def in_chunks(queryset, field: str, values: Iterable) -> list:
    """``queryset.filter(field__in=values)`` in one query, the values bound as one parameter (an array on
    PostgreSQL, a JSON list on SQLite): 100,000 codes as 100,000 parameters cost seconds to bind, and
    SQLite limits the parameters of one query. Other databases: in chunks of CHUNK values."""
    values = list(dict.fromkeys(v for v in values if v not in (None, "")))
    if not values:
        return []
    if connection.vendor == "postgresql":
        array_type = queryset.model._meta.get_field(field).db_type(connection)
        # The type comes from the model's field; the values are one bound parameter.
        subquery = RawSQL(f"SELECT unnest(%s::{array_type}[])", (values,))  # nosec B611 - values bound
        return list(queryset.filter(**{f"{field}__in": subquery}))
    if connection.vendor == "sqlite":
        subquery = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))  # nosec B611 - values bound
        return list(queryset.filter(**{f"{field}__in": subquery}))
    found = []
    for start in range(0, len(values), CHUNK):
        found.extend(queryset.filter(**{f"{field}__in": values[start : start + CHUNK]}))
    return found


# --- organizations -----------------------------------------------------------------------------------

ORGANIZATION_COLUMNS = (
    Column("code", "Mã tổ chức", type=Column.CODE, required=True, help="duy nhất trong hệ thống"),
    Column("name", "Tên", required=True),
    Column("parent_code", "Mã tổ chức cấp trên", type=Column.CODE, help="để trống nếu là cấp cao nhất"),
    Column("level", "Cấp", type=Column.CHOICE, required=True, choices=lambda: _vietnamese(Level.choices)),
    Column("cell_type", "Loại hình chi bộ", type=Column.CHOICE, choices=_cell_type_choices, help="bắt buộc với chi bộ"),
    Column("sign", "Ký hiệu", help="ký hiệu văn bản của cấp ủy, như trong “Số 252-KH/TU”: TU"),
    Column("place", "Địa danh", help="địa danh ở dòng ngày tháng của văn bản, ví dụ “Lào Cai”"),
)
# The document details the sheet carries (WORKBOOK.md version 2); the signer stays on the page.
SHEET_DETAIL_COLUMNS = ("sign", "place")
ORG_FIELD_COLUMNS = {
    "parent": "parent_code",
    "cell_type": "cell_type",
    "level": "level",
    "name": "name",
    "code": "code",
    "sign": "sign",
    "place": "place",
}


class _Tree:
    """The parent of every code the file names, from the file first, else from the database."""

    def __init__(self, ctx: ImportContext, rows: list[Row]):
        self.file = {row["code"]: row for row in rows}
        self.has_parent_column = "parent_code" in ctx.columns_present
        wanted = set(self.file) | {row["parent_code"] for row in rows if row["parent_code"]}
        self.existing = {
            org.code: org
            for org in in_chunks(Organization.objects.select_related("parent", "cell_type"), "code", wanted)
        }
        ancestor_ids = {int(part) for org in self.existing.values() for part in org.path.strip("/").split("/") if part}
        by_id = {pk: (code, parent_id) for pk, code, parent_id in self._ids(ancestor_ids)}
        self.db_parent = {code: by_id.get(parent_id, (None,))[0] for code, parent_id in by_id.values()}

    @staticmethod
    def _ids(ids: set[int]) -> list[tuple]:
        rows: list[tuple] = []
        ids_list = sorted(ids)
        for start in range(0, len(ids_list), CHUNK):
            rows.extend(
                Organization.objects.filter(pk__in=ids_list[start : start + CHUNK]).values_list(
                    "pk", "code", "parent_id"
                )
            )
        return rows

    def parent_code(self, code: str) -> str | None:
        row = self.file.get(code)
        if row is not None and (self.has_parent_column or code not in self.existing):
            return row["parent_code"] or None
        return self.db_parent.get(code)

    def depth(self, code: str) -> int:
        depth, current, seen = 0, self.parent_code(code), {code}
        while current is not None and current not in seen:
            seen.add(current)
            depth += 1
            current = self.parent_code(current)
        return depth

    def cycle_of(self, code: str) -> list[str] | None:
        """The codes of the cycle ``code`` lies on (or leads into), or None."""
        chain: list[str] = []
        current: str | None = code
        while current is not None:
            if current in chain:
                return [*chain[chain.index(current) :], current]
            chain.append(current)
            current = self.parent_code(current)
        return None


def _org_details(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "")}


def plan_organizations(ctx: ImportContext, rows: list[Row]) -> list[Change]:
    tree = _Tree(ctx, rows)
    cell_types = {ct.code: ct for ct in CellType.objects.all()}
    planned: dict[str, Organization] = {}
    changes: list[Change] = []
    # Parents are planned before their children, wherever their rows are in the sheet.
    for row in sorted(rows, key=lambda r: (tree.depth(r["code"]), r.number)):
        change = _plan_organization(ctx, tree, cell_types, planned, row)
        if change is not None:
            changes.append(change)
    return changes


def _plan_organization(ctx, tree: _Tree, cell_types, planned, row: Row) -> Change | None:
    code = row["code"]
    existing = tree.existing.get(code)
    if existing is not None and not ctx.can_manage(existing.path):
        ctx.error(row, "code", lookups.code_taken(code))
        return None
    cycle = tree.cycle_of(code)
    if cycle:
        ctx.error(row, "parent_code", _("The parents form a cycle: %(cycle)s.") % {"cycle": " → ".join(cycle)})
        return None
    parent_code = tree.parent_code(code)
    parent = None
    if parent_code:
        if parent_code in tree.file:
            parent = planned.get(parent_code) or tree.existing.get(parent_code)
            if parent is None or ctx.row_failed("organizations", parent_code):
                ctx.mark_failed("organizations", code)  # the parent's own row says what is wrong
                return None
        else:
            parent = tree.existing.get(parent_code)
            if parent is None:
                ctx.error(row, "parent_code", lookups.not_found("organization", parent_code))
                return None
        moving = existing is None or existing.parent_id is None or existing.parent.code != parent_code
        if moving and parent.pk is not None and not ctx.can_manage(parent.path):
            ctx.error(row, "parent_code", lookups.not_found("organization", parent_code))
            return None
    elif (existing is None or existing.parent_id is not None) and not ctx.is_unrestricted:
        ctx.error(row, "parent_code", _("Only an administrator can create a top-level organisation."))
        return None

    candidate = copy.copy(existing) if existing is not None else Organization(code=code)
    candidate.name = nfc(row["name"]).strip()
    candidate.level = row["level"]
    type_code = row["cell_type"] if "cell_type" in ctx.columns_present else getattr(existing, "cell_type_id", None)
    if "cell_type" in ctx.columns_present:
        candidate.cell_type = cell_types.get(type_code) if type_code else None
    for key in SHEET_DETAIL_COLUMNS:
        # An absent column leaves the value as it is; a present empty cell clears it.
        if key in ctx.columns_present:
            setattr(candidate, key, nfc(str(row[key] or "")).strip())
    candidate.parent = parent
    planned[code] = candidate
    if existing is None:
        details = _org_details(
            {
                "name": candidate.name,
                "level": candidate.level,
                "parent_code": parent_code,
                "cell_type": row["cell_type"],
                "sign": candidate.sign,
                "place": candidate.place,
            }
        )
        return Change.for_row(
            row, Change.CREATE, key=code, details=details, payload={"org": candidate, "parent_code": parent_code}
        )
    diff = {}
    if candidate.name != existing.name:
        diff["name"] = [existing.name, candidate.name]
    if candidate.level != existing.level:
        diff["level"] = [existing.level, candidate.level]
    if candidate.cell_type_id != existing.cell_type_id:
        diff["cell_type"] = [getattr(existing.cell_type, "code", None), getattr(candidate.cell_type, "code", None)]
    for key in SHEET_DETAIL_COLUMNS:
        if getattr(candidate, key) != getattr(existing, key):
            diff[key] = [getattr(existing, key), getattr(candidate, key)]
    old_parent = existing.parent.code if existing.parent_id else None
    if parent_code != old_parent:
        diff["parent_code"] = [old_parent, parent_code]
    action = Change.UPDATE if diff else Change.UNCHANGED
    return Change.for_row(
        row, action, key=code, details=diff, payload={"org": existing, "new": candidate, "parent_code": parent_code}
    )


def apply_organizations(ctx: ImportContext, changes: list[Change]) -> None:
    """New organisations through the bulk service (the checks of the page's organization_create), changed
    ones through the tree's services (move, update, rename), as the pages do."""
    created = _create_organizations(ctx, [c for c in changes if c.action == Change.CREATE])
    for change in changes:
        if change.action == Change.UPDATE:
            _update_organization(ctx, change, created)


def _create_organizations(ctx: ImportContext, changes: list[Change]) -> dict[str, Organization]:
    """Through the bulk service. Refused rows are reported, and the others created without them (and
    without what sits under them), so later rows and sheets report their own problems, not "no such
    code": the import is rolled back anyway when any row is wrong."""
    while changes:
        organizations = [change.payload["org"] for change in changes]
        try:
            # An imported organisation existed before the product knew it: its records of past years
            # (imported further down) belong to it, so its history starts "since before any record".
            services.organizations_create_bulk(
                organizations=organizations, valid_from=EARLIEST, acting_user=_actor(ctx), reason=_("Workbook import")
            )
        except services.ItemsRefused as exc:
            for index, error in exc.by_index.items():
                ctx.add_validation_error(changes[index].row, error, ORG_FIELD_COLUMNS)
            refused = {id(organizations[index]) for index in exc.by_index}
            kept = []
            for change in changes:
                if _under_any(change.payload["org"], refused):
                    ctx.mark_failed("organizations", change.key)
                else:
                    kept.append(change)
            changes = kept
            continue
        return {org.code: org for org in organizations}
    return {}


def _under_any(organization: Organization, refused: set[int]) -> bool:
    """Whether ``organization`` or one of its parents (among the unsaved ones of the file) was refused."""
    node = organization
    while node is not None and node.pk is None:
        if id(node) in refused:
            return True
        node = node.parent
    return False


def _update_organization(ctx: ImportContext, change: Change, created: dict[str, Organization]) -> None:
    org: Organization = change.payload["org"]
    new: Organization = change.payload["new"]
    diff = change.details
    try:
        if "parent_code" in diff and change.payload["parent_code"]:
            parent_code = change.payload["parent_code"]
            parent = created.get(parent_code) or Organization.objects.get(code=parent_code)
            services.organization_move(organization=org, new_parent=parent, acting_user=_actor(ctx))
        if "level" in diff or "cell_type" in diff:
            services.organization_update(
                organization=org, level=new.level, cell_type=new.cell_type, acting_user=_actor(ctx)
            )
        details = {key: getattr(new, key) for key in SHEET_DETAIL_COLUMNS if key in diff}
        if details:
            services.organization_update(organization=org, acting_user=_actor(ctx), **details)
        if "name" in diff:
            services.organization_rename(
                organization=org, new_name=new.name, effective_on=timezone.localdate(), acting_user=_actor(ctx)
            )
    except ValidationError as exc:
        ctx.add_validation_error(
            change.row, exc, {**ORG_FIELD_COLUMNS, "effective_on": "name", "new_parent": "parent_code"}, "code"
        )


def _actor(ctx: ImportContext):
    return ctx.user if getattr(ctx.user, "pk", None) else None


# --- members -----------------------------------------------------------------------------------------

MEMBER_COLUMNS = (
    Column("org_code", "Mã chi bộ", type=Column.CODE, required=True),
    Column("member_code", "Mã đảng viên", type=Column.CODE, required=True, help="duy nhất trong hệ thống"),
    Column("full_name", "Họ và tên", required=True),
    Column(
        "status",
        "Tình trạng",
        type=Column.CHOICE,
        choices=lambda: _vietnamese(MemberStatus.choices),
        help="mặc định: chính thức",
    ),
    Column("exempt", "Miễn sinh hoạt", type=Column.BOOL),
)
MEMBER_FIELD_COLUMNS = {
    "organization": "org_code",
    "code": "member_code",
    "full_name": "full_name",
    "status": "status",
    "exempt": "exempt",
}
MEMBER_TRACKED = ("organization_id", "full_name", "status", "exempt")


class _Existing(NamedTuple):
    pk: int
    code: str
    organization_id: int
    full_name: str
    status: str
    exempt: bool
    org_path: str
    org_code: str


def plan_members(ctx: ImportContext, rows: list[Row]) -> list[Change]:
    orgs = {org.code: org for org in in_chunks(Organization.objects.all(), "code", (row["org_code"] for row in rows))}
    existing = {
        values[1]: _Existing(*values)
        for values in in_chunks(
            Member.objects.values_list(
                "pk",
                "code",
                "organization_id",
                "full_name",
                "status",
                "exempt",
                "organization__path",
                "organization__code",
            ),
            "code",
            (row["member_code"] for row in rows),
        )
    }
    changes = []
    manageable: dict[str, bool] = {}  # by organisation path: 100,000 rows name a few thousand cells
    for row in rows:
        change = _plan_member(ctx, orgs, existing, row, manageable)
        if change is not None:
            changes.append(change)
        if row.number % 5000 == 0:
            ctx.progress(row.number)
    return changes


def _can_manage(ctx: ImportContext, path: str, known: dict[str, bool]) -> bool:
    if path not in known:
        known[path] = ctx.can_manage(path)
    return known[path]


def _plan_member(ctx: ImportContext, orgs, existing, row: Row, manageable: dict[str, bool]) -> Change | None:
    org_code = row["org_code"]
    organization = orgs.get(org_code)
    if organization is None:
        if not ctx.row_failed("organizations", org_code):
            ctx.error(row, "org_code", lookups.not_found("organization", org_code))
        return None
    if not _can_manage(ctx, organization.path, manageable):
        ctx.error(row, "org_code", lookups.not_found("organization", org_code))
        return None
    old: _Existing | None = existing.get(row["member_code"])
    if old is not None and old.organization_id != organization.pk and not _can_manage(ctx, old.org_path, manageable):
        ctx.error(row, "member_code", lookups.code_taken(row["member_code"]))
        return None
    full_name = nfc(row["full_name"]).strip()
    # An absent or empty status keeps the member's own (official for a new member); so does exempt.
    status = row["status"] or (old.status if old else MemberStatus.OFFICIAL.value)
    exempt = bool(row["exempt"]) if row["exempt"] is not None else (old.exempt if old else False)
    if old is not None and (old.organization_id, old.full_name, old.status, old.exempt) == (
        organization.pk,
        full_name,
        status,
        exempt,
    ):
        return Change.for_row(row, Change.UNCHANGED, key=old.code)  # nothing is written: nothing to validate
    # A small tuple, not a model instance: 100,000 instances would hold 100 MB until apply.
    values = services.MemberValues(old.pk if old else None, organization, row["member_code"], full_name, status, exempt)
    if old is None:
        details = {"org_code": org_code, "full_name": full_name, "status": status}
        return Change.for_row(row, Change.CREATE, key=values.code, details=details, payload=values)
    diff = {}
    if old.organization_id != organization.pk:
        diff["org_code"] = [old.org_code, org_code]
    for name, before, after in (("full_name", old.full_name, full_name), ("status", old.status, status)):
        if before != after:
            diff[name] = [before, after]
    if old.exempt != exempt:
        diff["exempt"] = [old.exempt, exempt]
    return Change.for_row(row, Change.UPDATE, key=values.code, details=diff, payload=values)


def apply_members(ctx: ImportContext, changes: list[Change]) -> None:
    """New and changed members through the bulk service (the checks of the page's member_save, in bulk;
    audited once per cell)."""
    writes = [change for change in changes if change.action != Change.UNCHANGED]
    try:
        services.members_save_bulk(
            members=[change.payload for change in writes], acting_user=_actor(ctx), reason=_("Workbook import")
        )
    except services.ItemsRefused as exc:
        for index, error in exc.by_index.items():
            ctx.add_validation_error(writes[index].row, error, MEMBER_FIELD_COLUMNS)


# --- exports -----------------------------------------------------------------------------------------


def write_organizations(request, book) -> None:
    root = request.organization(Action.MANAGE)
    sheet = book.sheet("organizations")
    orgs = (
        Organization.objects.subtree_of(root)
        .active()
        .select_related("parent", "cell_type")
        .order_by("path")
        .iterator(chunk_size=2000)
    )
    for org in orgs:
        sheet.append(
            {
                "code": org.code,
                "name": org.name,
                "parent_code": org.parent.code if org.parent_id else None,
                "level": org.level,
                "cell_type": org.cell_type.code if org.cell_type_id else None,
                "sign": org.sign or None,
                "place": org.place or None,
            }
        )


def write_members(request, book) -> None:
    root = request.organization(Action.MANAGE)
    sheet = book.sheet("members")
    members = (
        Member.objects.current()
        .filter(organization__path__startswith=root.path)
        .order_by("organization__path", "code")
        .values_list("organization__code", "code", "full_name", "status", "exempt")
        .iterator(chunk_size=5000)
    )
    for org_code, code, full_name, status, exempt in members:
        sheet.append([org_code, code, full_name, status, "yes" if exempt else "no"])


register_import_sheet(
    ImportSheet(
        name="organizations",
        label="Tổ chức đảng",
        columns=ORGANIZATION_COLUMNS,
        key=("code",),
        plan=plan_organizations,
        apply=apply_organizations,
        description="Cây tổ chức: mỗi dòng một tổ chức; cấp trên có thể nằm trong cùng tệp.",
    )
)
register_import_sheet(
    ImportSheet(
        name="members",
        label="Đảng viên",
        columns=MEMBER_COLUMNS,
        key=("member_code",),
        plan=plan_members,
        apply=apply_members,
        description="Danh sách đảng viên của các chi bộ.",
    )
)
register_export(Export(name="organizations", label="Tổ chức đảng", requires=("org",), write=write_organizations))
register_export(Export(name="members", label="Đảng viên", requires=("org",), write=write_members))

# Members' CELL_LEVELS are re-exported for templates that describe the sheet.
__all__ = ["CELL_LEVELS", "MEMBER_COLUMNS", "ORGANIZATION_COLUMNS"]
