"""The ``reorganizations`` sheet (WORKBOOK.md version 2): dated steps in, the subtree's history out.

Every row becomes a :class:`cells.reorganization.Step` and the whole sheet goes through
``plan_apply``, as the reorganisation page does; a step already in the tree changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import history
from .models import Organization, OrganizationInterval
from .reorganization import PlanError, Step, StepAction, already_done, plan_apply
from .scoping import Action
from .workbook import lookups
from .workbook.registry import Change, Column, Export, ImportSheet, register_export, register_import_sheet

COLUMNS = (
    Column("date", "Ngày hiệu lực", type=Column.DATE, required=True, help="ngày đầu tiên của trạng thái mới"),
    Column("org_code", "Mã tổ chức", required=True),
    Column(
        "action",
        "Thay đổi",
        type=Column.CHOICE,
        required=True,
        choices=(("rename", "Đổi tên"), ("move", "Chuyển"), ("merge", "Sáp nhập"), ("dissolve", "Giải thể")),
    ),
    Column("new_name", "Tên mới", help="bắt buộc khi đổi tên"),
    Column("new_parent_code", "Mã cấp trên mới", help="bắt buộc khi chuyển"),
    Column("into_code", "Mã tổ chức tiếp nhận", help="bắt buộc khi sáp nhập"),
)
NEEDS = {StepAction.RENAME: "new_name", StepAction.MOVE: "new_parent_code", StepAction.MERGE: "into_code"}


def plan_reorganizations(ctx, rows) -> list[Change]:
    codes = {row[key] for row in rows for key in ("org_code", "new_parent_code", "into_code") if row[key]}
    orgs = {org.code: org for org in Organization.objects.filter(code__in=codes)}
    changes = []
    for row in rows:
        step = _step(ctx, row, orgs)
        if step is not None:
            # A step the tree already holds is unchanged: importing the same rows again changes nothing.
            action = Change.UNCHANGED if already_done(step) else Change.UPDATE
            changes.append(Change.for_row(row, action, key=f"{row['date']}:{row['org_code']}", payload=step))
    return changes


def _step(ctx, row, orgs) -> Step | None:
    failed = False
    for key in ("org_code", "new_parent_code", "into_code"):
        code = row[key]
        if code and (code not in orgs or not ctx.can(Action.MANAGE, orgs[code].path)):
            ctx.error(row, key, lookups.not_found("organization", code))
            failed = True
    needed = NEEDS.get(row["action"])
    if needed and not row[needed]:
        ctx.error(row, needed, _("This column is required for this change."))
        failed = True
    if failed:
        return None
    return Step(
        number=row.number,
        date=row["date"],
        organization=orgs[row["org_code"]],
        action=row["action"],
        new_name=row["new_name"] or "",
        new_parent=orgs.get(row["new_parent_code"]),
        into=orgs.get(row["into_code"]),
    )


def apply_reorganizations(ctx, changes: list[Change]) -> None:
    try:
        plan_apply(
            [change.payload for change in changes], acting_user=ctx.user if getattr(ctx.user, "pk", None) else None
        )
    except PlanError as exc:
        for number, message in exc.problems:
            ctx.error(number, "date", message)


def write_reorganizations(request, book) -> None:
    """The steps that made the subtree's history, in date order: importing them again changes nothing."""
    root = request.organization(Action.MANAGE)
    sheet = book.sheet("reorganizations")
    ids = set(history.ever_in_subtree_ids(root))
    states = list(
        OrganizationInterval.objects.filter(organization_id__in=ids)
        .select_related("organization", "parent", "organization__merged_into")
        .order_by("organization_id", "valid_from")
    )
    rows, previous = [], None
    for state in states:
        if previous is not None and previous.organization_id == state.organization_id:
            if state.parent_id != previous.parent_id:
                rows.append((state.valid_from, 0, state.organization.code, "move", None, state.parent.code, None))
            if state.name != previous.name:
                rows.append((state.valid_from, 1, state.organization.code, "rename", state.name, None, None))
        previous = state
        org = state.organization
        if state.valid_to and not org.is_active and org.dissolved_on == state.valid_to:
            if org.merged_into_id:
                rows.append((state.valid_to, 2, org.code, "merge", None, None, org.merged_into.code))
            else:
                rows.append((state.valid_to, 3, org.code, "dissolve", None, None, None))
    for day, _order, code, action, name, parent, into in sorted(rows):
        sheet.append([day, code, action, name, parent, into])


register_import_sheet(
    ImportSheet(
        name="reorganizations",
        label="Sắp xếp tổ chức",
        columns=COLUMNS,
        key=("date", "org_code", "action"),
        plan=plan_reorganizations,
        apply=apply_reorganizations,
        description="Các bước sắp xếp tổ chức có ngày hiệu lực: đổi tên, chuyển, sáp nhập, giải thể.",
    )
)
register_export(Export(name="reorganizations", label="Sắp xếp tổ chức", requires=("org",), write=write_reorganizations))
