"""Reports on yearly plans (campaigns): the registration list (Y9), the year-end report with targets
against results and the recognition proposal (Y11, F5, T8), and the draft recognition decision (B3).
They read the campaigns app's selectors (result rows, target progress), so the rules live there."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells import history
from cells.history import ONE_DAY
from cells.models import CellType, OrganizationInterval
from evaluations.campaigns import rules
from evaluations.campaigns.models import Campaign, Outcome, Registration, Result, YearRatingCode
from evaluations.campaigns.selectors import result_rows
from evaluations.meetings.selectors import ranking

from ..document import Column, ColumnKind, Paragraph, Section, Table
from ..party_names import standing_committee
from ..registry import Body, BuildContext, report_kind
from . import consolidated
from .common import count_text, short_date
from .meetings import attention_table, grassroots_quality, plans_section, quality_by_child


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


def _proposed(rows):
    return [
        row for row in rows if row.result == rules.DAT and row.status in (Outcome.RECOGNIZED_NEW, Outcome.MAINTAINED)
    ]


def _points_text(row, assessed: set[int]) -> str:
    """A participant's points the Vietnamese way, or "chưa tự đánh giá" when it never self-assessed."""
    if row.registration_id not in assessed or row.total_points is None:
        return _("not self-assessed")
    return consolidated.number_text(row.total_points)


def _own_plan_section(number: str, campaign: Campaign, type_names: dict, table: int) -> Section:
    """The participants of a plan the committee issued itself, with their points, rating and result."""
    rows = result_rows(campaign)
    assessed = set(
        Registration.objects.filter(campaign=campaign, self_assessed_at__isnull=False).values_list("pk", flat=True)
    )
    ratings = dict(YearRatingCode.choices)
    return Section(f"{number}. {campaign.name}").add(
        Table(
            columns=[
                Column(_("No."), ColumnKind.INT, 6),
                Column(_("Party organisation"), width=34),
                Column(_("Cell type"), width=16),
                Column(_("Points"), width=12),
                Column(_("Year-end rating"), width=16),
                Column(_("Result"), width=12),
                Column(_("Recognition"), width=16),
            ],
            rows=[
                [
                    i,
                    row.name,
                    type_names.get(row.cell_type, "–") if row.cell_type else "–",
                    _points_text(row, assessed),
                    ratings.get(row.year_rating, "–") if row.year_rating else "–",
                    Result(row.result).label if row.result else "–",
                    Outcome(row.status).label if row.status else "–",
                ]
                for i, row in enumerate(rows, 1)
            ],
            caption=_("Table %(n)s. Results of the participants") % {"n": table},
            sheet_name=_("Results %(n)s") % {"n": number},
            empty_text=_("No organisation took part."),
        )
    )


@report_kind("year_end", title=gettext_lazy("Year-end report and recognition proposal"), periods=("year",), order=60)
def year_end(ctx: BuildContext) -> Body:
    """The year over the whole subtree (plans, targets, meeting quality, what needs attention), the
    results of the committee's own plans, the proposal, and the annexed list of every organisation
    recognized or maintaining its title."""
    root_name = ctx.organization.name_on(ctx.as_of)
    data = consolidated.consolidate(ctx.organization, ctx.period, root_name)
    ctx.extra["plans"] = data
    ctx.step(40)
    sections = [plans_section(ctx, data, _("I. PLANS AND THEIR RESULTS"), 1)]
    year = ranking(ctx.organization, ctx.period)
    rows = year.rows
    for row in rows:
        row.child_id = history.child_on_path(ctx.organization.pk, row.path)
    names = history.names_in_period({row.child_id for row in rows if row.child_id}, ctx.period.start, ctx.period.end)
    parents = history.names_in_period({row.parent_id for row in rows}, ctx.period.start, ctx.period.end)
    for row in rows:
        row.display_name, row.parent_name = row.name, parents.get(row.parent_id, "")
    ctx.step(60)
    quality = Section(_("II. QUALITY OF MEETINGS OVER THE YEAR")).add(quality_by_child(ctx, rows, names, 4))
    grassroots = grassroots_quality(ctx, 5)
    if grassroots is not None:
        quality.add(grassroots)
    sections.append(quality)
    number = 6 if grassroots is not None else 5
    attention = consolidated.plan_attention(data) + [
        (row.display_name, row.parent_name, _("quality: %(level)s") % {"level": row.level_label})
        for row in rows
        if row.needs_attention
    ]
    sections.append(Section(_("III. WHAT NEEDS ATTENTION")).add(attention_table(attention, number)))
    own = [campaign for campaign in data.plans if campaign.owner_id == ctx.organization.pk]
    if own:
        type_names = dict(CellType.objects.values_list("code", "name"))
        sections.append(Section(_("IV. RESULTS OF THE PLANS OF %(org)s") % {"org": root_name.upper()}))
        for n, campaign in enumerate(own, 1):
            sections.append(_own_plan_section(str(n), campaign, type_names, number + n))
    ctx.step(80)
    recognized = data.recognized()
    new = sum(1 for p in recognized if p.row.status == rules.RECOGNIZED_NEW)
    sections.append(
        Section(_("V. PROPOSAL") if own else _("IV. PROPOSAL")).add(
            Paragraph(
                _(
                    "The standing committee is proposed to recognize %(total)s organisations: %(new)s newly "
                    "recognized and %(maintained)s maintaining their title, as listed in the annex."
                )
                % {
                    "total": count_text(len(recognized)),
                    "new": count_text(new),
                    "maintained": count_text(len(recognized) - new),
                }
            )
        )
    )
    sections.append(
        Section(_("ANNEX"), new_page=True).add(
            consolidated.recognized_table(
                data,
                _("List of the organisations recognized and maintaining their title in %(year)s")
                % {"year": ctx.period.year},
            )
        )
    )
    return Body(
        title=_("year-end review of building model cells in %(org)s, %(period)s and recognition proposal")
        % {"org": root_name, "period": ctx.period.label},
        sections=sections,
    )


@report_kind(
    "recognition_decision",
    title=gettext_lazy("Draft recognition decision"),
    periods=("year",),
    order=70,
    number_kind="QĐ",
)
def recognition_decision(ctx: BuildContext) -> Body:
    """The decision of the committee's plans (Hướng dẫn 36-HD/VPTW): who decides, the bases ("Căn cứ …"),
    "QUYẾT ĐỊNH", three articles, and the list of the organisations recognized annexed."""
    org = ctx.organization
    root_name = org.name_on(ctx.as_of)
    authority = standing_committee(org, ctx.as_of)
    campaigns = _campaigns(ctx, own_only=True)
    proposed = []
    for campaign in campaigns:
        proposed += [(campaign, row) for row in _proposed(result_rows(campaign))]
    ctx.step(60)
    bases = [_("Pursuant to the Charter of the Communist Party of Vietnam;")]
    bases.append(_("Pursuant to the working regulations of %(committee)s;") % {"committee": authority})
    for campaign in campaigns:
        # A plan's legal basis may name several documents, one "Căn cứ" each.
        for basis in campaign.legal_basis.replace("\n", ";").split(";"):
            basis = re.sub(r"^căn cứ\s+", "", basis.strip(" .;-"), flags=re.IGNORECASE)
            if basis:
                bases.append(_("Pursuant to %(basis)s;") % {"basis": basis})
        if campaign.plan_number:
            bases.append(
                _("Pursuant to Plan No. %(number)s of %(owner)s on %(subject)s;")
                % {
                    "number": campaign.plan_number.strip(),
                    "owner": authority,
                    # "Kế hoạch xây dựng chi bộ bốn tốt năm 2024" is the plan "về xây dựng chi bộ bốn tốt năm 2024".
                    "subject": re.sub(r"^kế hoạch\s+(về\s+)?", "", campaign.name.strip(), flags=re.IGNORECASE),
                }
            )
    bases.append(_("Considering the results of the evaluation and appraisal of the party organisations taking part,"))
    plans = "; ".join(campaign.name for campaign in campaigns) or _("the plans of %(year)s") % {"year": ctx.period.year}
    decision = Section("").add(
        Paragraph(authority.upper(), "center"),
        *[Paragraph(basis) for basis in bases],
        Paragraph(_("DECIDES"), "center"),
        Paragraph(
            _(
                "Article 1. To recognize the %(n)s party organisations in the attached list as having achieved "
                "the title under %(plan)s."
            )
            % {"n": len(proposed), "plan": plans}
        ),
        Paragraph(_("Article 2. The recognized party organisations are commended according to the regulations.")),
        Paragraph(
            _(
                "Article 3. The organizing board, the party committees concerned and the party organisations named "
                "in Article 1 carry out this decision. This decision takes effect from the date of signing."
            )
        ),
    )
    annex = Section(_("LIST OF THE RECOGNIZED PARTY ORGANISATIONS"), new_page=True).add(
        Paragraph(_("(attached to this decision of %(authority)s)") % {"authority": authority}, "center-italic"),
        Table(
            columns=[
                Column(_("No."), ColumnKind.INT, 6),
                Column(_("Party organisation"), width=40),
                Column(_("Plan of the year"), width=30),
                Column(_("Recognition"), width=18),
            ],
            rows=[
                [i, row.name, campaign.name, Outcome(row.status).label] for i, (campaign, row) in enumerate(proposed, 1)
            ],
            sheet_name=_("Recognized organisations"),
            empty_text=_("No organisation is proposed."),
        ),
    )
    ctx.extra["proposed"] = [row.name for _campaign, row in proposed]
    return Body(
        title=_("on recognizing model party organisations of %(org)s, %(period)s")
        % {"org": root_name, "period": ctx.period.label},
        sections=[decision, annex] if campaigns else [_no_campaign(ctx)],
        doc_type=_("DECISION"),
        draft=True,
    )
