"""Reports on cell meetings: the quarterly report (L6), the six-month review (F3), the ranking of cells
by meeting quality (Y5) and the supervision summary (Y4, L7, F6). They read the meetings app's
selectors (ranking, supervision summary) so a figure is computed in one place."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells import history
from criteria.models import RatingLevel
from evaluations.campaigns.models import Registration, RegistrationStatus
from evaluations.meetings.models import Meeting, MeetingStatus, SupervisionAssignment
from evaluations.meetings.rollups import rules_in_words
from evaluations.meetings.selectors import ranking, supervision_summary

from ..document import Column, ColumnKind, Paragraph, Section, Table, ratio
from ..registry import Body, BuildContext, report_kind
from .common import percent_text, short_date


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
                "cells": len(rows),
                "org": root_name,
                "held": held,
                "expected": expected,
                "percent": percent_text(ratio(held, expected)),
                "thematic": thematic,
                "no_thematic": no_thematic,
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


def _quality_section(ctx) -> Section:
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
    return Section(_("II. QUALITY OF MEETINGS")).add(
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


def _supervision_section(ctx, cells: int) -> Section:
    """Coverage and attendance in two aggregate queries (the per-assignment listing is the supervision kind)."""
    org, period = ctx.organization, ctx.period
    assigned = (
        SupervisionAssignment.objects.filter(
            organization_id__in=history.subtree_ids(org, period.start, period.end), valid_from__lt=period.end
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .values("organization_id")
        .distinct()
    )
    covered = assigned.count()
    figures = Meeting.objects.filter(
        organization_id__in=assigned, date__gte=period.start, date__lt=period.end
    ).aggregate(
        meetings=Count("pk"),
        attended=Count("pk", filter=Q(attending_supervisor__isnull=False)),
        appraised=Count("pk", filter=Q(status=MeetingStatus.APPRAISED)),
    )
    return Section(_("III. SUPERVISION")).add(
        Paragraph(
            _(
                "%(covered)s of %(cells)s cells (%(percent)s) had a supervisor or a supervision team assigned; "
                "supervisors attended %(attended)s of their cells' %(meetings)s meetings and appraised %(appraised)s."
            )
            % {
                "covered": covered,
                "cells": cells,
                "percent": percent_text(ratio(covered, cells)),
                **figures,
            }
        )
    )


def _registration_section(ctx) -> Section:
    org = ctx.organization
    regs = Registration.objects.filter(
        organization_id__in=history.subtree_ids(org, ctx.period.start, ctx.period.end),
        campaign__year=ctx.period.year,
    )
    counts = dict(regs.values_list("status").annotate(n=Count("pk")).order_by())
    progress = regs.filter(status__in=[RegistrationStatus.APPROVED, RegistrationStatus.MAINTAINING]).aggregate(
        participants=Count("pk"),
        self_assessed=Count("pk", filter=Q(self_assessed_at__isnull=False)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
    )
    return Section(_("IV. REGISTRATION AND SELF-ASSESSMENT")).add(
        Paragraph(
            _(
                "For the plans of %(year)s, %(participants)s cells take part (%(maintaining)s maintaining their "
                "title); %(self_assessed)s have sent their self-assessment and %(confirmed)s have been appraised."
            )
            % {
                "year": ctx.period.year,
                "participants": progress["participants"],
                "maintaining": counts.get(RegistrationStatus.MAINTAINING, 0),
                "self_assessed": progress["self_assessed"],
                "confirmed": progress["confirmed"],
            }
        ),
        Table(
            columns=[Column(_("Registration status"), width=30), Column(_("Cells"), ColumnKind.INT, 10)],
            rows=[[label, counts.get(code, 0)] for code, label in RegistrationStatus.choices],
            total=[_("Total"), sum(counts.values())],
            caption=_("Table 3. Registrations by status"),
            sheet_name=_("Registrations"),
        ),
    )


def rollup_paragraphs(result) -> list[Paragraph]:
    """When the period's levels come from roll-up rules (WORKBOOK v2): the rules in words with their basis,
    and how many cells got each level by them."""
    paragraphs = []
    for rule in rules_in_words(result):
        text = _("Levels of the period by the rule of %(framework)s: %(rule)s.") % {
            "framework": rule["framework"].name,
            "rule": "; ".join(rule["lines"]),
        }
        if rule["basis"]:
            text += " " + _("Basis: %(basis)s.") % {"basis": rule["basis"]}
        paragraphs.append(Paragraph(text, "italic"))
    counts: dict[str, int] = defaultdict(int)
    for row in result.rows:
        if row.rollup:
            counts[row.level_label or _("no level")] += 1
    if counts:
        paragraphs.append(
            Paragraph(
                _("By the roll-up rule: %(counts)s.")
                % {"counts": ", ".join(f"{label} {n}" for label, n in sorted(counts.items(), key=lambda i: -i[1]))}
            )
        )
    return paragraphs


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
    ctx.extra["rollup_paragraphs"] = rollup_paragraphs(result)
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
        caption=_("Annex. Meetings of every cell"),
        sheet_name=_("Cells"),
        empty_text=_("There are no cells."),
    )


def _meetings_report(ctx: BuildContext, title: str) -> Body:
    rows, names = _collect(ctx)
    ctx.step(25)
    sections = [_meetings_section(ctx, rows, names), _quality_section(ctx).add(*ctx.extra["rollup_paragraphs"])]
    ctx.step(45)
    sections.append(_supervision_section(ctx, len(rows)))
    sections.append(_registration_section(ctx))
    ctx.step(65)
    attention = [(row, attention_reasons(row, ctx.period.kind)) for row in rows]
    attention = [(row, reasons) for row, reasons in attention if reasons]
    sections.append(
        Section(_("V. CELLS NEEDING ATTENTION")).add(
            Table(
                columns=[
                    Column(_("No."), ColumnKind.INT, 6),
                    Column(_("Cell"), width=36),
                    Column(_("Belongs to"), width=30),
                    Column(_("Why"), width=44),
                ],
                rows=[
                    [n, row.display_name, row.parent_name, "; ".join(reasons)]
                    for n, (row, reasons) in enumerate(attention, 1)
                ],
                caption=_("Table 4. Cells needing attention"),
                sheet_name=_("Attention"),
                empty_text=_("No cell needs particular attention."),
            )
        )
    )
    ctx.step(85)
    sections.append(Section(_("ANNEX")).add(_annex(rows)))
    ctx.extra["rows"] = rows
    return Body(
        title=title % {"org": ctx.organization.name_on(ctx.as_of), "period": ctx.period.label}, sections=sections
    )


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
    note = Paragraph(_("Cells with no scored meeting in the period are listed last, without a rank."), "italic")
    return Body(
        title=_("ranking of cells by meeting quality in %(org)s, %(period)s")
        % {"org": ctx.organization.name_on(ctx.as_of), "period": ctx.period.label},
        sections=[Section("").add(note, *ctx.extra["rollup_paragraphs"], table)],
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
