"""Reports on yearly plans (campaigns): the registration list (Y9), the year-end report with targets
against results and the recognition proposal (Y11, F5, T8), and the draft recognition decision (B3).
They read the campaigns app's selectors (result rows, target progress), so the rules live there."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells import history
from cells.history import ONE_DAY
from cells.models import CellType, OrganizationInterval
from criteria.models import Comparator, RollupLevel
from evaluations.campaigns import rules
from evaluations.campaigns.models import Campaign, Outcome, Registration, Result
from evaluations.campaigns.selectors import result_rows, target_rows
from evaluations.meetings.selectors import ranking

from ..document import Column, ColumnKind, Paragraph, Section, Table
from ..registry import Body, BuildContext, report_kind
from .common import short_date
from .meetings import rollup_paragraphs


def _campaigns(ctx: BuildContext, own_only: bool = False) -> list[Campaign]:
    """The year's campaigns of the organisation (and, unless ``own_only``, those of the committees above it)."""
    org = ctx.organization
    # The committees above it as the tree stood on the report's day: a ward now under the province
    # still answers, for 2024, to the city's plan it stood under then.
    stood = OrganizationInterval.objects.filter(organization=org).on(ctx.as_of).values_list("path", flat=True).first()
    path = stood or org.path
    owners = [org.pk] if own_only else [int(part) for part in path.strip("/").split("/") if part]
    return list(Campaign.objects.filter(year=ctx.period.year, owner_id__in=owners).select_related("owner", "framework"))


def _year_ids(ctx):
    return history.subtree_ids(ctx.organization, ctx.period.start, ctx.period.end)


def _no_campaign(ctx) -> Section:
    return Section("").add(
        Paragraph(
            _("There is no plan for %(year)s in %(org)s.")
            % {"year": ctx.period.year, "org": ctx.organization.name_on(ctx.as_of)}
        )
    )


@report_kind("registrations", title=gettext_lazy("Registration list"), periods=("year",), order=30)
def registration_list(ctx: BuildContext) -> Body:
    sections = []
    for n, campaign in enumerate(_campaigns(ctx), 1):
        regs = list(
            Registration.objects.filter(campaign=campaign, organization_id__in=_year_ids(ctx))
            .select_related("organization__cell_type")
            .order_by("organization__path")
        )
        # Each cell named, and placed, as it stood on the report's day (or on its last day, if it ended).
        stood = history.stood_in_period([r.organization_id for r in regs], ctx.period.start, ctx.as_of + ONE_DAY)
        parents = history.names_in_period({s.parent_id for s in stood.values()}, ctx.period.start, ctx.as_of + ONE_DAY)
        regs.sort(key=lambda reg: stood[reg.organization_id].path if reg.organization_id in stood else "")
        rows = [
            [
                i,
                stood[reg.organization_id].name if reg.organization_id in stood else reg.organization.name,
                parents.get(stood[reg.organization_id].parent_id, "") if reg.organization_id in stood else "",
                reg.organization.cell_type.name,
                short_date(reg.registered_on),
                reg.get_status_display(),
            ]
            for i, reg in enumerate(regs, 1)
        ]
        sections.append(
            Section(f"{n}. {campaign.name}").add(
                Table(
                    columns=[
                        Column(_("No."), ColumnKind.INT, 6),
                        Column(_("Cell"), width=36),
                        Column(_("Belongs to"), width=30),
                        Column(_("Cell type"), width=18),
                        Column(_("Registered on"), width=12),
                        Column(_("Status"), width=20),
                    ],
                    rows=rows,
                    caption=_("Cells registered for %(plan)s") % {"plan": campaign.name},
                    sheet_name=f"{_('Registrations')} {n}",
                    empty_text=_("No cell has registered."),
                )
            )
        )
    ctx.step(80)
    return Body(
        title=_("list of cells registered in %(year)s in %(org)s")
        % {"year": ctx.period.year, "org": ctx.organization.name_on(ctx.as_of)},
        sections=sections or [_no_campaign(ctx)],
        doc_type=_("LIST"),
    )


def _target_label(target, type_names) -> str:
    return f"{target.label} {Comparator(target.comparator).label} {target.value.normalize():f}"


def _proposed(rows):
    return [
        row for row in rows if row.result == rules.DAT and row.status in (Outcome.RECOGNIZED_NEW, Outcome.MAINTAINED)
    ]


@report_kind("year_end", title=gettext_lazy("Year-end report and recognition proposal"), periods=("year",), order=60)
def year_end(ctx: BuildContext) -> Body:
    type_names = dict(CellType.objects.values_list("code", "name"))
    sections = []
    for n, campaign in enumerate(_campaigns(ctx, own_only=True), 1):
        # The organisation's own plan: its participants (campaign_results), named as on their last day in the year.
        rows = result_rows(campaign)
        targets = target_rows(campaign, rows)
        passed = sum(1 for row in rows if row.result == rules.DAT)
        section = Section(f"{n}. {campaign.name}").add(
            Paragraph(
                _("%(participants)s cells took part; %(passed)s passed, %(failed)s did not.")
                % {"participants": len(rows), "passed": passed, "failed": len(rows) - passed}
            ),
            Table(
                columns=[
                    Column(_("Target"), width=44),
                    Column(_("Result"), ColumnKind.DECIMAL, 12),
                    Column(_("Met"), width=10),
                ],
                rows=[[_target_label(t, type_names), t.actual, _("yes") if t.met else _("no")] for t in targets],
                caption=_("Targets against results"),
                sheet_name=f"{_('Targets')} {n}",
                empty_text=_("The plan sets no targets."),
            ),
            Table(
                columns=[
                    Column(_("No."), ColumnKind.INT, 6),
                    Column(_("Cell"), width=36),
                    Column(_("Cell type"), width=18),
                    Column(_("Points"), ColumnKind.DECIMAL, 9),
                    Column(_("Year-end rating"), width=10),
                    Column(_("Result"), width=12),
                    Column(_("Recognition"), width=18),
                ],
                rows=[
                    [
                        i,
                        row.name,
                        type_names.get(row.cell_type, row.cell_type),
                        row.total_points,
                        row.year_rating or "–",
                        Result(row.result).label if row.result else "–",
                        Outcome(row.status).label if row.status else "–",
                    ]
                    for i, row in enumerate(rows, 1)
                ],
                caption=_("Results of the participating cells"),
                sheet_name=f"{_('Results')} {n}",
                empty_text=_("No cell took part."),
            ),
        )
        proposed = _proposed(rows)
        section.add(
            Paragraph(_("The standing committee is proposed to recognize %(n)s cells:") % {"n": len(proposed)}, "bold"),
            Table(
                columns=[
                    Column(_("No."), ColumnKind.INT, 6),
                    Column(_("Cell"), width=40),
                    Column(_("Recognition"), width=20),
                ],
                rows=[[i, row.name, Outcome(row.status).label] for i, row in enumerate(proposed, 1)],
                caption=_("Cells proposed for recognition"),
                sheet_name=f"{_('Proposal')} {n}",
                empty_text=_("No cell is proposed."),
            ),
        )
        sections.append(section)
    ctx.step(70)
    # The year's meetings rated by a roll-up rule, where a rubric has one (no ranking is computed otherwise).
    year_meetings = ranking(ctx.organization, ctx.period) if RollupLevel.objects.exists() else None
    if year_meetings and year_meetings.rollups:
        sections.append(Section(_("Meeting quality over the year")).add(*rollup_paragraphs(year_meetings)))
    ctx.step(80)
    return Body(
        title=_("year-end review of building model cells in %(org)s, %(period)s and recognition proposal")
        % {"org": ctx.organization.name_on(ctx.as_of), "period": ctx.period.label},
        sections=sections or [_no_campaign(ctx)],
    )


@report_kind(
    "recognition_decision",
    title=gettext_lazy("Draft recognition decision"),
    periods=("year",),
    order=70,
    number_kind="QĐ",
)
def recognition_decision(ctx: BuildContext) -> Body:
    sections = []
    for campaign in _campaigns(ctx, own_only=True):
        rows = result_rows(campaign)
        proposed = _proposed(rows)
        sections.append(
            Section("").add(
                Paragraph(
                    _("Article 1. Recognize the %(n)s cells listed below as having achieved %(plan)s.")
                    % {"n": len(proposed), "plan": campaign.name}
                ),
                Table(
                    columns=[
                        Column(_("No."), ColumnKind.INT, 6),
                        Column(_("Cell"), width=44),
                        Column(_("Recognition"), width=20),
                    ],
                    rows=[[i, row.name, Outcome(row.status).label] for i, row in enumerate(proposed, 1)],
                    caption=_("List of recognized cells"),
                    sheet_name=_("Recognized cells"),
                    empty_text=_("No cell is proposed."),
                ),
                Paragraph(_("Article 2. The recognized cells are commended according to the regulations.")),
                Paragraph(
                    _("Article 3. The organizing board and the cells named in Article 1 carry out this decision.")
                ),
            )
        )
    ctx.step(80)
    return Body(
        title=_("on recognizing model cells of %(org)s, %(period)s")
        % {"org": ctx.organization.name_on(ctx.as_of), "period": ctx.period.label},
        sections=sections or [_no_campaign(ctx)],
        doc_type=_("DECISION (DRAFT)"),
    )
