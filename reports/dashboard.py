"""The leadership dashboard of one committee for one year: meeting quality over the months, levels by
cell type, progress against the targets of its plans. Every figure carries the link to the rows behind
it (the drill-down page lists them). A fixed number of queries whatever the size of the subtree."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from cells import history
from cells.models import CellType, Organization
from criteria.models import Comparator, RatingLevel
from evaluations.campaigns import page_cache
from evaluations.campaigns.models import Campaign, Outcome, Result
from evaluations.campaigns.selectors import result_rows, target_rows
from evaluations.meetings.models import Meeting, MeetingStatus
from evaluations.meetings.selectors import label_levels
from evaluations.meetings.summary_models import SubtreeMonthFigures

MAX_ROWS = 500


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "–")


def rows_url(organization: Organization, year: int, **params) -> str:
    query = {"org": organization.pk, "year": year, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('reports:dashboard_rows')}?{urlencode(query)}"


def _levels(codes) -> list[tuple[str, str]]:
    labels: dict[str, str] = {}
    for code, label in RatingLevel.objects.filter(code__in=set(codes)).values_list("code", "label").order_by("rank"):
        labels.setdefault(code, label or code)
    return [(code, labels.get(code, code)) for code in [*labels, *sorted(set(codes) - set(labels))]]


@dataclass
class Dashboard:
    organization: Organization
    year: int
    months: list[int] = field(default_factory=list)
    levels: list[tuple[str, str]] = field(default_factory=list)
    quality: dict = field(default_factory=dict)  # level -> [count per month]
    quality_links: dict = field(default_factory=dict)
    types: list[tuple[str, str]] = field(default_factory=list)
    by_type: dict = field(default_factory=dict)  # level -> [count per cell type]
    by_type_links: dict = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)
    meetings: int = 0

    def chart_data(self) -> dict:
        """What static/js/dashboard.js draws: labels, series and the link of every point."""
        return {
            "quality": {
                "labels": [f"{m:02d}/{self.year}" for m in self.months],
                "series": [
                    {"label": label, "data": self.quality[code], "links": self.quality_links[code]}
                    for code, label in self.levels
                ],
            },
            "types": {
                "labels": [name for _code, name in self.types],
                "series": [
                    {"label": label, "data": self.by_type[code], "links": self.by_type_links[code]}
                    for code, label in self.levels
                ],
            },
            "targets": {
                "labels": [target["label"] for target in self.targets],
                "series": [
                    {
                        "label": _("Target"),
                        "data": [float(t["value"]) for t in self.targets],
                        "links": [t["link"] for t in self.targets],
                    },
                    {
                        "label": _("Result"),
                        "data": [float(t["actual"]) for t in self.targets],
                        "links": [t["link"] for t in self.targets],
                    },
                ],
            },
        }


def year_subtree_ids(organization: Organization, year: int):
    return history.subtree_ids(organization, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))


def subtree_figures(organization: Organization, years, *group) -> list[tuple]:
    """``organization``'s subtree meeting figures of ``years`` (history rule; evaluations' summaries kept on
    write), meetings with a final level counted by ``group`` (fields of ``SubtreeMonthFigures``) as
    ``(*group, n)``, groups of none left out. Drafts are in, with their status (``status`` in ``group``)."""
    rows = (
        SubtreeMonthFigures.objects.filter(committee=organization, year__in=list(years))
        .exclude(final_level="")
        .values_list(*group)
        .annotate(n=Sum("meetings"))
        .order_by()
    )
    return [row for row in rows if row[-1]]


def dashboard(organization: Organization, year: int) -> Dashboard:
    board = Dashboard(organization=organization, year=year, months=list(range(1, 13)))
    # The year's meetings of the organisations that stood in the subtree that year (history rule), read
    # from the figures kept on write. Drafts are not counted (their scores are not declared yet), as in the
    # ranking (README, "Rankings").
    figures = subtree_figures(organization, [year], "status", "month", "final_level", "cell_type")
    scored = [row for row in figures if row[0] != MeetingStatus.DRAFT]
    by_month, by_type = defaultdict(int), defaultdict(int)
    for _status, month, level, cell_type, n in scored:
        by_month[(month, level)] += n
        by_type[(cell_type, level)] += n
    board.levels = _levels({level for _m, level in by_month})
    used_types = {cell_type for cell_type, _l in by_type}
    types = [
        (pk, code, name) for pk, code, name in CellType.objects.values_list("pk", "code", "name") if pk in used_types
    ]
    board.types = [(code, name) for _pk, code, name in types]
    type_index = {pk: i for i, (pk, _code, _name) in enumerate(types)}
    for code, _label in board.levels:
        board.quality[code] = [0] * 12
        board.quality_links[code] = [
            rows_url(organization, year, figure="quality", month=m, level=code) for m in board.months
        ]
        board.by_type[code] = [0] * len(board.types)
        board.by_type_links[code] = [
            rows_url(organization, year, figure="type", cell_type=t, level=code) for t, _n in board.types
        ]
    for (month, level), n in by_month.items():
        board.quality[level][month - 1] += n
        board.meetings += n
    for (cell_type, level), n in by_type.items():
        if cell_type in type_index:
            board.by_type[level][type_index[cell_type]] += n
    board.targets = _targets(organization, year)
    return board


def _targets(organization: Organization, year: int) -> list[dict]:
    out = []
    for campaign in Campaign.objects.filter(owner=organization, year=year).order_by("code"):
        # The campaign page's figures, kept per process while their stamps stand (page_cache): the same
        # targets as counting the registrations again, without doing it on every visit of the home page.
        for target in target_rows(campaign, figures=page_cache.cached_figures(campaign)):
            label = target.label
            out.append(
                {
                    "label": label,
                    "campaign": campaign.name,
                    "comparator": Comparator(target.comparator).label,
                    "value": target.value,
                    "actual": target.actual,
                    "met": target.met,
                    "link": rows_url(
                        organization, year, figure="target", campaign=campaign.pk, cell_type=target.cell_type
                    ),
                }
            )
    return out


@dataclass
class DrillDown:
    title: str
    columns: list[str]
    rows: list[tuple[str, list]]  # (link, cells)
    truncated: bool = False


def drill_down(organization: Organization, year: int, params) -> DrillDown:
    """The rows behind one figure of the dashboard."""
    figure = params.get("figure")
    if figure in ("quality", "type"):
        meetings = (
            Meeting.objects.filter(organization_id__in=year_subtree_ids(organization, year), year=year)
            .exclude(status=MeetingStatus.DRAFT)
            .select_related("organization", "organization__cell_type")
            .order_by("date", "organization__name_folded")
        )
        if params.get("level"):
            meetings = meetings.filter(final_level=params["level"])
        if figure == "quality" and str(params.get("month", "")).isdigit():
            meetings = meetings.filter(month=int(params["month"]))
        if figure == "type" and params.get("cell_type"):
            meetings = meetings.filter(organization__cell_type__code=params["cell_type"])
        found = label_levels(meetings[: MAX_ROWS + 1])
        return DrillDown(
            title=_("Meetings behind the figure"),
            columns=[_("Date"), _("Cell"), _("Cell type"), _("Kind"), _("Points"), _("Quality level")],
            rows=[
                (
                    reverse("evaluations:meetings:detail", args=[m.pk]),
                    [
                        m.date.strftime("%d/%m/%Y"),
                        m.organization.name,
                        # A grassroots organisation's committee meeting: no cell type, its level instead.
                        m.organization.cell_type.name
                        if m.organization.cell_type
                        else m.organization.get_level_display(),
                        m.get_kind_display(),
                        m.final_total,
                        m.final_level_label,
                    ],
                )
                for m in found[:MAX_ROWS]
            ],
            truncated=len(found) > MAX_ROWS,
        )
    if figure == "target" and str(params.get("campaign", "")).isdigit():
        campaign = Campaign.objects.filter(
            pk=int(params["campaign"]), owner__path__startswith=organization.path
        ).first()
        rows = result_rows(campaign) if campaign else []
        if params.get("cell_type"):
            rows = [row for row in rows if row.cell_type == params["cell_type"]]
        results, outcomes = dict(Result.choices), dict(Outcome.choices)
        return DrillDown(
            title=campaign.name if campaign else _("Not found."),
            columns=[_("Cell"), _("Points"), _("Result"), _("Recognition")],
            rows=[
                (
                    reverse("evaluations:registration_detail", args=[row.registration_id]),
                    [
                        row.name,
                        row.total_points,
                        results.get(row.result, row.result),
                        outcomes.get(row.status, row.status),
                    ],
                )
                for row in rows
            ],
        )
    return DrillDown(title=_("Not found."), columns=[], rows=[])
