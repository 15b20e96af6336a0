"""Organisation and membership overview: cells and members by cell type and by subordinate organisation,
with an annex listing every cell (its type, roster and secretary)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells import history
from cells.models import CellType, Level

from ..document import Column, ColumnKind, Paragraph, Section, Table, ratio
from ..registry import Body, BuildContext, report_kind
from .common import RosterCounts, child_of, count_text, officers_on, roster_counts, short_date, subtree_cells


def _roster_columns() -> list[Column]:
    return [
        Column(_("Cells"), ColumnKind.INT, 10),
        Column(_("Members"), ColumnKind.INT, 12),
        Column(_("Official"), ColumnKind.INT, 12),
        Column(_("Probationary"), ColumnKind.INT, 12),
        Column(_("Exempt from meetings"), ColumnKind.INT, 12),
        Column(_("Members per cell"), ColumnKind.DECIMAL, 12),
    ]


def _roster_values(cells: int, counts: RosterCounts) -> list:
    return [
        cells,
        counts.members,
        counts.official,
        counts.probationary,
        counts.exempt,
        ratio(counts.members, cells),
    ]


@report_kind(
    "organization_overview",
    title=gettext_lazy("Organisations and members by cell type"),
    periods=("month", "quarter", "half", "year"),
    order=90,
)
def build(ctx: BuildContext) -> Body:
    org, day = ctx.organization, ctx.as_of
    cells = subtree_cells(org, day)
    rosters = roster_counts(org, day)
    officers = officers_on(org, day)
    ctx.step(25)
    by_level: dict[str, int] = defaultdict(int)
    stood = history.standings_on(org, day)
    for standing in stood:
        if standing.organization_id != org.pk:
            by_level[standing.level] += 1

    by_type: dict[int, tuple[int, RosterCounts]] = {}
    by_child: dict[int | None, tuple[int, RosterCounts]] = {}
    total = RosterCounts()
    for cell in cells:
        counts = rosters.get(cell.pk, RosterCounts())
        total.add(counts)
        for table, key in ((by_type, cell.cell_type_id), (by_child, child_of(org, cell))):
            n, acc = table.get(key, (0, RosterCounts()))
            acc.add(counts)
            table[key] = (n + 1, acc)
    ctx.step(50)
    ctx.extra["cells"] = len(cells)
    ctx.extra["members"] = total.members

    summary = Section(_("I. PARTY ORGANISATIONS"))
    summary.add(
        Paragraph(
            _("On %(date)s, %(org)s has %(cells)s cells with %(members)s members (%(probationary)s probationary).")
            % {
                "date": short_date(day),
                "org": org.name_on(day),
                "cells": count_text(len(cells)),
                "members": count_text(total.members),
                "probationary": count_text(total.probationary),
            }
        ),
        Table(
            columns=[
                Column(_("Organisation level"), width=40),
                Column(_("Number of organisations"), ColumnKind.INT, 14),
            ],
            rows=[[label, by_level[code]] for code, label in Level.choices if by_level.get(code)],
            total=[_("Total"), sum(by_level.values())],
            caption=_("Table 1. Party organisations by level"),
            sheet_name=_("By level"),
            empty_text=_("There are no organisations below this one."),
        ),
    )
    types = Section(_("II. CELLS AND MEMBERS BY CELL TYPE"))
    type_rows = [
        [cell_type.name, *_roster_values(*by_type[cell_type.pk])]
        for cell_type in CellType.objects.order_by("order", "name")
        if cell_type.pk in by_type
    ]
    types.add(
        Table(
            columns=[Column(_("Cell type"), width=30), *_roster_columns()],
            rows=type_rows,
            total=[_("Total"), *_roster_values(len(cells), total)],
            caption=_("Table 2. Cells and members by cell type"),
            sheet_name=_("By cell type"),
            empty_text=_("There are no cells."),
        )
    )
    ctx.step(65)
    # The subordinate organisations as they stood that day: named then, in the tree order of then.
    children = {s.organization_id: s for s in stood if s.organization_id in by_child and s.organization_id is not None}
    child_rows = [
        [children[key].name, *_roster_values(*value)]
        for key, value in sorted(by_child.items(), key=lambda item: children[item[0]].path if item[0] else "")
        if key
    ]
    subordinate = Section(_("III. BY SUBORDINATE ORGANISATION"))
    subordinate.add(
        Table(
            columns=[Column(_("Organisation"), width=40), *_roster_columns()],
            rows=child_rows,
            total=[_("Total"), *_roster_values(len(cells), total)],
            caption=_("Table 3. Cells and members by subordinate organisation"),
            sheet_name=_("By organisation"),
            empty_text=_("There are no subordinate organisations."),
        )
    )
    annex_rows = []
    for n, cell in enumerate(cells, 1):
        counts = rosters.get(cell.pk, RosterCounts())
        secretary = officers[cell.pk].secretary if cell.pk in officers else ""
        annex_rows.append(
            [
                n,
                cell.name_then,
                cell.parent_name_then,
                cell.cell_type.name,
                counts.members,
                counts.probationary,
                secretary or "–",
            ]
        )
    ctx.step(90)
    annex = Section(_("ANNEX: LIST OF CELLS"))
    annex.add(
        Table(
            columns=[
                Column(_("No."), ColumnKind.INT, 7),
                Column(_("Cell"), width=40),
                Column(_("Belongs to"), width=34),
                Column(_("Cell type"), width=18),
                Column(_("Members"), ColumnKind.INT, 10),
                Column(_("Probationary"), ColumnKind.INT, 10),
                Column(_("Secretary"), width=26),
            ],
            rows=annex_rows,
            caption=_("Table 4. Cells, their rosters and secretaries"),
            sheet_name=_("List of cells"),
            empty_text=_("There are no cells."),
        )
    )
    return Body(
        title=_("on party organisations and members of %(org)s, %(period)s")
        % {"org": org.name_on(day), "period": ctx.period.label},
        sections=[summary, types, subordinate, annex],
    )
