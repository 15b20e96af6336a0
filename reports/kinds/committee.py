"""Committee completeness (Y6): cells whose committee (chi ủy, bí thư, phó bí thư) has vacancies."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells.models import Position
from cells.selectors import officer_vacancies

from ..document import Column, ColumnKind, Paragraph, Section, Table, ratio
from ..registry import Body, BuildContext, report_kind
from .common import count_text, officers_on, short_date, subtree_cells


def vacancy_text(vacancies) -> str:
    parts = []
    for vacancy in vacancies:
        if vacancy.position == Position.SECRETARY:
            parts.append(_("no secretary"))
        elif vacancy.position == Position.DEPUTY_SECRETARY:
            parts.append(_("%(n)s deputy secretary missing") % {"n": vacancy.missing})
        else:
            parts.append(_("%(n)s committee member(s) missing") % {"n": vacancy.missing})
    return "; ".join(parts)


@report_kind(
    "committee_completeness",
    title=gettext_lazy("Completeness of cell committees"),
    periods=("month", "quarter", "half", "year"),
    order=80,
)
def build(ctx: BuildContext) -> Body:
    org, day = ctx.organization, ctx.as_of
    cells = subtree_cells(org, day)
    officers = officers_on(org, day)
    ctx.step(30)
    groups: dict[int, dict] = {}
    incomplete = []
    totals = defaultdict(int)
    for cell in cells:
        held = officers[cell.pk].positions if cell.pk in officers else []
        vacancies = officer_vacancies(committee_size=cell.committee_size, deputy_slots=cell.deputy_slots, held=held)
        group = groups.setdefault(cell.parent_id_then, {"name": cell.parent_name_then, "counts": defaultdict(int)})
        counts = group["counts"]
        counts["cells"] += 1
        missing = {vacancy.position for vacancy in vacancies}
        counts["incomplete"] += bool(vacancies)
        counts["secretary"] += Position.SECRETARY in missing
        counts["deputy"] += Position.DEPUTY_SECRETARY in missing
        counts["member"] += Position.COMMITTEE_MEMBER in missing
        if vacancies:
            secretary = officers[cell.pk].secretary if cell.pk in officers else ""
            incomplete.append((cell, group["name"], secretary, vacancy_text(vacancies)))
    for group in groups.values():
        for key, value in group["counts"].items():
            totals[key] += value
    ctx.step(60)
    ctx.extra["totals"] = dict(totals)

    general = Section(_("I. GENERAL SITUATION"))
    general.add(
        Paragraph(
            _(
                "On %(date)s, %(org)s has %(cells)s cells; %(complete)s of them (%(percent)s) have a complete "
                "committee, %(incomplete)s still have vacancies: %(secretary)s without a secretary, %(deputy)s "
                "short of a deputy secretary, %(member)s short of committee members."
            )
            % {
                "date": short_date(day),
                "org": org.name_on(day),
                "cells": count_text(totals["cells"]),
                "complete": count_text(totals["cells"] - totals["incomplete"]),
                "percent": _percent(ratio(totals["cells"] - totals["incomplete"], totals["cells"])),
                "incomplete": count_text(totals["incomplete"]),
                "secretary": count_text(totals["secretary"]),
                "deputy": count_text(totals["deputy"]),
                "member": count_text(totals["member"]),
            }
        )
    )
    keys = ("cells", "complete", "incomplete", "secretary", "deputy", "member")
    rows = []
    for n, group in enumerate(sorted(groups.values(), key=lambda g: g["name"]), 1):
        counts = group["counts"]
        rows.append([n, group["name"], *[_count(counts, key) for key in keys]])
    general.add(
        Table(
            columns=[
                Column(_("No."), ColumnKind.INT, 6),
                Column(_("Party organisation"), width=40),
                Column(_("Cells"), ColumnKind.INT, 10),
                Column(_("Complete"), ColumnKind.INT, 10),
                Column(_("With vacancies"), ColumnKind.INT, 12),
                Column(_("No secretary"), ColumnKind.INT, 12),
                Column(_("Short of a deputy"), ColumnKind.INT, 12),
                Column(_("Short of members"), ColumnKind.INT, 12),
            ],
            rows=rows,
            total=["", _("Total"), *[_count(totals, key) for key in keys]],
            caption=_("Table 1. Cell committees by party organisation"),
            sheet_name=_("By organisation"),
            empty_text=_("There are no cells."),
        )
    )
    listing = Section(_("II. CELLS WITH VACANCIES"))
    listing.add(
        Table(
            columns=[
                Column(_("No."), ColumnKind.INT, 6),
                Column(_("Cell"), width=34),
                Column(_("Belongs to"), width=28),
                Column(_("Cell type"), width=26),
                Column(_("Current secretary"), width=22),
                Column(_("Vacancies"), width=32),
            ],
            rows=[
                [n, cell.name_then, parent_name, cell.cell_type.name, secretary or "–", text]
                for n, (cell, parent_name, secretary, text) in enumerate(incomplete, 1)
            ],
            caption=_("Table 2. Cells whose committee has vacancies"),
            sheet_name=_("Cells with vacancies"),
            empty_text=_("Every cell has a complete committee."),
        )
    )
    ctx.step(90)
    proposals = Section(_("III. PROPOSALS")).add(
        Paragraph(
            _(
                "The party committees concerned are asked to complete the committees of the cells listed above "
                "without delay, and to report the result to the organizing board."
            )
        )
    )
    return Body(
        title=_("on the completeness of cell committees in %(org)s, %(period)s")
        % {"org": org.name_on(day), "period": ctx.period.label},
        sections=[general, listing, proposals],
    )


def _count(counts, key):
    if key == "complete":
        return counts["cells"] - counts["incomplete"]
    return counts[key]


def _percent(value) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%".replace(".", ",")
