"""Reports on cell meetings: the quarterly report (L6), the six-month review (F3), the ranking of cells
by meeting quality (Y5) and the supervision summary (Y4, L7, F6). They read the meetings app's
selectors (ranking, supervision summary) and the subtree's plans (:mod:`.consolidated`) so a figure is
computed in one place; a committee's report covers its whole subtree as it stood in the period."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells import history
from criteria.models import RatingLevel
from evaluations.meetings.models import Meeting
from evaluations.meetings.selectors import GRASSROOTS_RANKING, ranking, supervision_summary

from ..document import Column, ColumnKind, Paragraph, Section, Table, ratio
from ..registry import Body, BuildContext, report_kind
from . import consolidated
from .common import count_text, percent_text, short_date


def _level_labels(codes) -> dict[str, str]:
    """Level code -> label, best level first (by the rank the levels have in their frameworks)."""
    labels: dict[str, str] = {}
    for code, label in RatingLevel.objects.filter(code__in=set(codes)).values_list("code", "label").order_by("rank"):
        labels.setdefault(code, label or code)
    return labels


def _meetings_section(ctx, rows, names) -> Section:
    org, period = ctx.organization, ctx.period
    expected = sum(row.meetings_expected for row in rows)
    held = sum(min(row.meetings_held, row.meetings_expected) for row in rows)
    thematic = sum(row.thematic_held for row in rows)
    no_thematic = sum(1 for row in rows if not row.thematic_held)
    # Read once: the committee's own row of the table (its direct cells) would otherwise read it per group.
    root_name = org.name_on(ctx.as_of)
    section = Section(_("I. CELL MEETINGS"))
    section.add(
        Paragraph(
            _(
                "In %(period)s, the %(cells)s cells of %(org)s held %(held)s of the %(expected)s regular meetings "
                "expected (%(percent)s) and %(thematic)s thematic meetings; %(no_thematic)s cells held no thematic "
                "meeting."
            )
            % {
                "period": period.label,
                "cells": count_text(len(rows)),
                "org": root_name,
                "held": count_text(held),
                "expected": count_text(expected),
                "percent": percent_text(ratio(held, expected)),
                "thematic": count_text(thematic),
                "no_thematic": count_text(no_thematic),
            }
        )
    )
    groups: dict[int | None, list] = defaultdict(list)
    for row in rows:
        groups[row.child_id].append(row)
    table_rows = []
    for child_id, members in sorted(groups.items(), key=lambda item: names.get(item[0], "")):
        g_expected = sum(r.meetings_expected for r in members)
        g_held = sum(min(r.meetings_held, r.meetings_expected) for r in members)
        table_rows.append(
            [
                names.get(child_id) or root_name,
                len(members),
                g_held,
                g_expected,
                ratio(g_held, g_expected),
                sum(r.thematic_held for r in members),
                sum(1 for r in members if not r.thematic_held),
            ]
        )
    section.add(
        Table(
            columns=[
                Column(_("Organisation"), width=36),
                Column(_("Cells"), ColumnKind.INT, 9),
                Column(_("Regular meetings held"), ColumnKind.INT, 11),
                Column(_("Expected"), ColumnKind.INT, 10),
                Column(_("Rate"), ColumnKind.PERCENT, 9),
                Column(_("Thematic meetings"), ColumnKind.INT, 11),
                Column(_("Cells without a thematic meeting"), ColumnKind.INT, 12),
            ],
            rows=table_rows,
            total=[_("Total"), len(rows), held, expected, ratio(held, expected), thematic, no_thematic],
            caption=_("Table 1. Meetings by subordinate organisation"),
            sheet_name=_("Meetings"),
            empty_text=_("There are no cells."),
        )
    )
    return section


def _quality_section(ctx, heading: str) -> Section:
    org, period = ctx.organization, ctx.period
    counts = dict(
        Meeting.objects.filter(
            organization_id__in=history.subtree_ids(org, period.start, period.end),
            date__gte=period.start,
            date__lt=period.end,
        )
        .exclude(final_level="")
        .values_list("final_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = _level_labels(counts)
    total = sum(counts.values())
    ordered = sorted(counts, key=lambda code: list(labels).index(code) if code in labels else 99)
    return Section(heading).add(
        Paragraph(_("%(n)s meetings were scored in the period.") % {"n": total}),
        Table(
            columns=[
                Column(_("Quality level"), width=24),
                Column(_("Meetings"), ColumnKind.INT, 12),
                Column(_("Share"), ColumnKind.PERCENT, 10),
            ],
            rows=[[labels.get(code, code), counts[code], ratio(counts[code], total)] for code in ordered],
            total=[_("Total"), total, 1.0 if total else None],
            caption=_("Table 2. Meetings by quality level"),
            sheet_name=_("Quality"),
            empty_text=_("No meeting was scored in the period."),
        ),
    )


def _supervision_section(ctx, cells: int, heading: str) -> Section:
    """Coverage and attendance from the supervision summary the supervision page shows (one rule for
    both): each cell with an assignment in the period counted once, and its meetings once."""
    per_cell: dict[int, dict] = {}
    for row in supervision_summary(ctx.organization, ctx.period):
        entry = per_cell.setdefault(
            row.assignment.organization_id, {"meetings": row.meetings, "attended": 0, "appraised": row.appraised}
        )
        entry["attended"] = min(entry["meetings"], entry["attended"] + row.attended)
    covered = len(per_cell)
    figures = {key: sum(entry[key] for entry in per_cell.values()) for key in ("meetings", "attended", "appraised")}
    ctx.extra["supervision"] = {"covered": covered, **figures}
    return Section(heading).add(
        Paragraph(
            _(
                "%(covered)s of %(cells)s cells (%(percent)s) had a supervisor or a supervision team assigned; "
                "supervisors attended %(attended)s of their cells' %(meetings)s meetings and appraised %(appraised)s."
            )
            % {
                "covered": count_text(covered),
                "cells": count_text(cells),
                "percent": percent_text(ratio(covered, cells)),
                **{key: count_text(value) for key, value in figures.items()},
            }
        )
    )


def plans_section(ctx, data: consolidated.Consolidation, heading: str, first_table: int) -> Section:
    """The plans of the year over the subtree: per subordinate organisation, by level and type, targets."""
    total = data.total
    return Section(heading).add(
        Paragraph(
            _(
                "In %(year)s, %(plans)s plans were issued in %(org)s; %(participants)s organisations take part "
                "(%(cells)s cells), %(self_assessed)s have self-assessed and %(passed)s passed; %(recognized)s are "
                "newly recognized and %(maintained)s maintain their title."
            )
            % {
                "year": ctx.period.year,
                "plans": count_text(total.plans),
                "org": data.root_name,
                "participants": count_text(total.participants),
                "cells": count_text(sum(1 for p in data.participants if p.is_cell)),
                "self_assessed": count_text(total.self_assessed),
                "passed": count_text(total.passed),
                "recognized": count_text(total.recognized),
                "maintained": count_text(total.maintained),
            }
        ),
        consolidated.plans_by_child_table(data, str(first_table)),
        consolidated.plans_by_kind_table(data, str(first_table + 1)),
        consolidated.targets_table(data, str(first_table + 2)),
        *unmet_paragraphs(data),
    )


def unmet_paragraphs(data: consolidated.Consolidation) -> list[Paragraph]:
    unmet = consolidated.unmet_targets(data)
    if not unmet:
        return []
    return [
        Paragraph(
            _("Targets not met: %(targets)s.")
            % {"targets": "; ".join(f"{t.progress.label} ({t.campaign.name})" for t in unmet)}
        )
    ]


def quality_by_child(ctx, rows, names, number: int) -> Table:
    """Cells by their level of the period (the roll-up level where the rubric has one), per subordinate
    organisation, the levels best first."""
    codes = list(dict.fromkeys(row.level for row in rows if row.level))
    label_of = {row.level: row.level_label for row in rows if row.level}
    ranked = list(_level_labels(codes))
    ordered = [code for code in ranked if code in label_of] + [code for code in codes if code not in ranked]
    labels = list(dict.fromkeys(label_of[code] for code in ordered))
    return consolidated.quality_by_child_table(rows, ctx.organization.name_on(ctx.as_of), names, labels, str(number))


def grassroots_quality(ctx, number: int) -> Table | None:
    """Grassroots organisations (and partial committees) by the level of their committee meetings in the
    period, per subordinate organisation (the meetings app's ranking of that level); None when the
    subtree has none."""
    org, period = ctx.organization, ctx.period
    rows = ranking(org, period, org_level=GRASSROOTS_RANKING).rows
    if not rows:
        return None
    for row in rows:
        row.child_id = history.child_on_path(org.pk, row.path)
    names = history.names_in_period({row.child_id for row in rows if row.child_id}, period.start, period.end)
    table = quality_by_child(ctx, rows, names, number)
    table.caption = _(
        "Table %(n)s. Grassroots organisations by the quality level of their committee meetings in the period"
    ) % {"n": number}
    table.columns[-1] = Column(_("Number of organisations"), ColumnKind.INT, 9)
    table.sheet_name = _("Grassroots quality")
    table.empty_text = _("There are no grassroots organisations.")
    return table


def attention_table(items, number: int) -> Table:
    """``items``: (organisation, belongs to, why) tuples; an organisation is one row with all its reasons."""
    merged: dict[tuple[str, str], list[str]] = {}
    for name, parent, why in items:
        merged.setdefault((name, parent), []).append(why)
    items = [(name, parent, "; ".join(reasons)) for (name, parent), reasons in merged.items()]
    return Table(
        columns=[
            Column(_("No."), ColumnKind.INT, 6),
            Column(_("Party organisation"), width=36),
            Column(_("Belongs to"), width=30),
            Column(_("Why"), width=44),
        ],
        rows=[[n, name, parent, why] for n, (name, parent, why) in enumerate(items, 1)],
        caption=_("Table %(n)s. Organisations needing attention") % {"n": number},
        sheet_name=_("Attention"),
        empty_text=_("No organisation needs particular attention."),
    )


def meeting_attention(rows, period_kind) -> list[tuple[str, str, str]]:
    items = []
    for row in rows:
        reasons = attention_reasons(row, period_kind)
        if reasons:
            items.append((row.display_name, row.parent_name, "; ".join(reasons)))
    return items


def attention_reasons(row, period_kind) -> list[str]:
    reasons = []
    if row.meetings_held < row.meetings_expected:
        reasons.append(
            _("%(held)s of %(expected)s regular meetings")
            % {"held": row.meetings_held, "expected": row.meetings_expected}
        )
    if not row.thematic_held and period_kind != "month":
        reasons.append(_("no thematic meeting"))
    if row.needs_attention:
        reasons.append(_("quality: %(level)s") % {"level": row.level_label})
    return reasons


def _collect(ctx):
    """The ranking's rows, each with where its cell stood on its last day in the period: the
    subordinate organisation it belonged to (``child_id``), its name and its parent's name then."""
    org, period = ctx.organization, ctx.period
    result = ranking(org, period)
    for row in result.rows:
        row.child_id = history.child_on_path(org.pk, row.path)
        row.display_name = row.name
    names = history.names_in_period(
        {row.parent_id for row in result.rows} | {row.child_id for row in result.rows if row.child_id},
        period.start,
        period.end,
    )
    for row in result.rows:
        row.parent_name = names.get(row.parent_id, "")
    return result.rows, names


def _annex(rows) -> Table:
    return Table(
        columns=[
            Column(_("No."), ColumnKind.INT, 6),
            Column(_("Cell"), width=36),
            Column(_("Belongs to"), width=30),
            Column(_("Regular meetings held"), ColumnKind.INT, 10),
            Column(_("Thematic meetings"), ColumnKind.INT, 10),
            Column(_("Average points"), ColumnKind.DECIMAL, 10),
            Column(_("Quality level"), width=14),
        ],
        rows=[
            [
                n,
                row.display_name,
                row.parent_name,
                row.meetings_held,
                row.thematic_held,
                row.average_points,
                row.level_label or "–",
            ]
            for n, row in enumerate(sorted(rows, key=lambda r: (r.parent_name, r.display_name)), 1)
        ],
        caption=_("Annex 1. Meetings of every cell"),
        sheet_name=_("Cells"),
        empty_text=_("There are no cells."),
    )


def _meetings_report(ctx: BuildContext, title: str) -> Body:
    rows, names = _collect(ctx)
    ctx.step(25)
    root_name = ctx.organization.name_on(ctx.as_of)
    quality = _quality_section(ctx, _("II. QUALITY OF MEETINGS")).add(quality_by_child(ctx, rows, names, 3))
    grassroots = grassroots_quality(ctx, 4)
    if grassroots is not None:
        quality.add(grassroots)
    sections = [_meetings_section(ctx, rows, names), quality]
    number = 5 if grassroots is not None else 4
    ctx.step(45)
    sections.append(_supervision_section(ctx, len(rows), _("III. SUPERVISION")))
    data = consolidated.consolidate(ctx.organization, ctx.period, root_name)
    ctx.extra["plans"] = data
    sections.append(plans_section(ctx, data, _("IV. PLANS OF THE YEAR"), number))
    ctx.step(65)
    attention = meeting_attention(rows, ctx.period.kind) + consolidated.plan_attention(data)
    sections.append(Section(_("V. WHAT NEEDS ATTENTION")).add(attention_table(attention, number + 3)))
    ctx.step(85)
    sections.append(
        Section(_("ANNEX"), new_page=True).add(
            _annex(rows),
            consolidated.recognized_table(
                data,
                _("Annex 2. Organisations recognized and maintaining their title in %(year)s")
                % {"year": ctx.period.year},
            ),
        )
    )
    ctx.extra["rows"] = rows
    return Body(title=title % {"org": root_name, "period": ctx.period.label}, sections=sections)


@report_kind(
    "quarterly", title=gettext_lazy("Quarterly report on cell meetings"), periods=("quarter", "month"), order=10
)
def quarterly(ctx: BuildContext) -> Body:
    return _meetings_report(ctx, _("on cell meetings in %(org)s, %(period)s"))


@report_kind("six_month", title=gettext_lazy("Six-month review"), periods=("half",), order=20)
def six_month(ctx: BuildContext) -> Body:
    return _meetings_report(ctx, _("six-month review of building model cells in %(org)s, %(period)s"))


@report_kind(
    "ranking",
    title=gettext_lazy("Ranking of cells by meeting quality"),
    periods=("month", "quarter", "half", "year"),
    order=40,
)
def ranking_report(ctx: BuildContext) -> Body:
    rows, _names = _collect(ctx)
    ctx.step(60)
    table = Table(
        columns=[
            Column(_("Rank"), ColumnKind.INT, 7),
            Column(_("Cell"), width=36),
            Column(_("Belongs to"), width=30),
            Column(_("Cell type"), width=18),
            Column(_("Scored meetings"), ColumnKind.INT, 10),
            Column(_("Average points"), ColumnKind.DECIMAL, 10),
            Column(_("Quality level"), width=14),
        ],
        rows=[
            [
                row.rank,
                row.display_name,
                row.parent_name,
                row.cell_type_name,
                row.meetings_scored,
                row.average_points,
                row.level_label or "–",
            ]
            for row in rows
        ],
        caption=_("Ranking of cells by the average points of their meetings"),
        sheet_name=_("Ranking"),
        empty_text=_("There are no cells."),
    )
    return Body(
        title=_("ranking of cells by meeting quality in %(org)s, %(period)s")
        % {"org": ctx.organization.name_on(ctx.as_of), "period": ctx.period.label},
        sections=[Section("").add(table)],
    )


@report_kind(
    "supervision", title=gettext_lazy("Supervision summary"), periods=("month", "quarter", "half", "year"), order=50
)
def supervision_report(ctx: BuildContext) -> Body:
    rows = supervision_summary(ctx.organization, ctx.period)
    ctx.step(60)
    table_rows = []
    for n, row in enumerate(rows, 1):
        assignment = row.assignment
        who = (
            assignment.supervisor.get_full_name() or assignment.supervisor.username
            if assignment.supervisor_id
            else assignment.team.name
        )
        table_rows.append(
            [
                n,
                row.cell_name,
                who,
                short_date(assignment.valid_from),
                row.meetings,
                row.attended,
                row.appraised,
                row.waiting,
            ]
        )
    table = Table(
        columns=[
            Column(_("No."), ColumnKind.INT, 6),
            Column(_("Cell"), width=34),
            Column(_("Supervisor or team"), width=26),
            Column(_("Since"), width=12),
            Column(_("Meetings"), ColumnKind.INT, 9),
            Column(_("Attended"), ColumnKind.INT, 9),
            Column(_("Appraised"), ColumnKind.INT, 9),
            Column(_("Waiting"), ColumnKind.INT, 9),
        ],
        rows=table_rows,
        total=["", _("Total"), "", "", *[sum(r[i] for r in table_rows) for i in range(4, 8)]],
        caption=_("Supervision of cells in the period"),
        sheet_name=_("Supervision"),
        empty_text=_("No supervisor was assigned in the period."),
    )
    return Body(
        title=_("summary of supervision of cell meetings in %(org)s, %(period)s")
        % {"org": ctx.organization.name_on(ctx.as_of), "period": ctx.period.label},
        sections=[Section("").add(table)],
    )
