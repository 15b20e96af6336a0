"""A committee's figures over its whole subtree, as the tree stood in the period (the history rule).

The quarterly, six-month and year-end reports read here: the plans of the year and their participants
(cells and grassroots organisations) counted per subordinate committee, by type of cell and by level;
each plan's targets against its results; the cells by the quality level of their meetings in the period;
and every organisation recognized or maintaining its title. Figures are counted by organisation, where
it stood on its last day in the period, never by who owns the plan: so a lower committee's row in its
superior's report is, figure for figure, the total of its own report.

The results come from the campaigns app's selectors (``result_rows``, ``target_rows``): a figure is
computed in one place, the same as the plan's page shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from cells import history
from cells.models import CELL_LEVELS, Level, Organization
from cells.periods import Period
from criteria.models import Comparator
from evaluations.campaigns import rules
from evaluations.campaigns.models import PARTICIPANT_STATUSES, Campaign, Outcome, Registration
from evaluations.campaigns.selectors import ResultRow, result_rows, target_rows

from ..document import Column, ColumnKind, Table

FIGURE_KEYS = ("plans", "participants", "self_assessed", "passed", "recognized", "maintained")


@dataclass
class PlanFigures:
    plans: int = 0
    participants: int = 0
    self_assessed: int = 0
    passed: int = 0
    recognized: int = 0  # newly recognized
    maintained: int = 0

    def add(self, other: PlanFigures) -> None:
        for key in FIGURE_KEYS:
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def count(self, participant: Participant) -> None:
        self.participants += 1
        self.self_assessed += participant.self_assessed
        self.passed += participant.row.result == rules.DAT
        self.recognized += participant.row.status == rules.RECOGNIZED_NEW
        self.maintained += participant.row.status == rules.MAINTAINED

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(getattr(self, key) for key in FIGURE_KEYS)


@dataclass
class Participant:
    """One organisation taking part in one plan of the year, where it stood in the period."""

    row: ResultRow
    campaign: Campaign
    standing: history.Standing
    child_id: int | None
    parent_name: str
    self_assessed: bool

    @property
    def name(self) -> str:
        return self.standing.name

    @property
    def recognized(self) -> bool:
        return self.row.status in (rules.RECOGNIZED_NEW, rules.MAINTAINED)

    @property
    def is_cell(self) -> bool:
        return self.standing.level in CELL_LEVELS


@dataclass
class PlanTarget:
    campaign: Campaign
    owner_name: str
    progress: rules.TargetProgress


@dataclass
class Consolidation:
    root: Organization
    period: Period
    root_name: str
    # Subordinate committee (None: the committee itself, its own plans and direct cells) -> figures.
    by_child: dict[int | None, PlanFigures] = field(default_factory=dict)
    child_names: dict[int, str] = field(default_factory=dict)
    child_paths: dict[int, str] = field(default_factory=dict)
    by_type: dict[str, PlanFigures] = field(default_factory=dict)
    by_level: dict[str, PlanFigures] = field(default_factory=dict)
    total: PlanFigures = field(default_factory=PlanFigures)
    participants: list[Participant] = field(default_factory=list)
    plans: list[Campaign] = field(default_factory=list)
    targets: list[PlanTarget] = field(default_factory=list)

    def child_rows(self) -> list[tuple[str, PlanFigures]]:
        """(name, figures) per subordinate committee in the tree order of the period, the committee's own first."""
        keys = sorted(self.by_child, key=lambda key: self.child_paths.get(key, "") if key else "")
        return [
            (self.child_names.get(key, self.root_name) if key else self.root_name, self.by_child[key]) for key in keys
        ]

    def recognized(self) -> list[Participant]:
        return [p for p in self.participants if p.recognized]


def consolidate(root: Organization, period: Period, root_name: str) -> Consolidation:
    """The plans of ``period``'s year as they touch ``root``'s subtree in the period.

    Queries: the subtree's standings (two), the participants (one), the plans (one), then for each plan
    with participants or owned in the subtree its result rows and targets (the campaigns app's reads)."""
    result = Consolidation(root=root, period=period, root_name=root_name)
    stood = {s.organization_id: s for s in history.standings(root, period.start, period.end)}
    for org_id, standing in stood.items():
        if history.child_on_path(root.pk, standing.path) == org_id:
            result.child_names[org_id] = standing.name
            result.child_paths[org_id] = standing.path
            if standing.level not in CELL_LEVELS:  # every subordinate committee has its row, if only of zeros
                result.by_child[org_id] = PlanFigures()
    registrations = {
        pk: (campaign_id, assessed is not None)
        for pk, campaign_id, assessed in Registration.objects.filter(
            campaign__year=period.year,
            organization_id__in=history.subtree_ids(root, period.start, period.end),
            status__in=PARTICIPANT_STATUSES,
        ).values_list("pk", "campaign_id", "self_assessed_at")
    }
    campaign_ids = {campaign_id for campaign_id, _assessed in registrations.values()}
    owned_here = [org_id for org_id, s in stood.items() if s.level not in CELL_LEVELS]
    campaigns = list(
        Campaign.objects.filter(year=period.year)
        .filter(Q(pk__in=campaign_ids) | Q(owner_id__in=owned_here))
        .order_by("code")
    )
    parent_names = {org_id: s.name for org_id, s in stood.items()}

    def figures(key) -> PlanFigures:
        return result.by_child.setdefault(key, PlanFigures())

    for campaign in campaigns:
        owner = stood.get(campaign.owner_id)
        rows = result_rows(campaign)
        if owner is not None:  # a plan issued inside the subtree: counted where its owner stands
            result.plans.append(campaign)
            figures(history.child_on_path(root.pk, owner.path)).plans += 1
            result.total.plans += 1
            for progress in target_rows(campaign, rows):
                result.targets.append(PlanTarget(campaign, owner.name, progress))
        for row in rows:
            if row.registration_id not in registrations or row.organization_id not in stood:
                continue
            standing = stood[row.organization_id]
            participant = Participant(
                row=row,
                campaign=campaign,
                standing=standing,
                child_id=history.child_on_path(root.pk, standing.path),
                parent_name=parent_names.get(standing.parent_id, ""),
                self_assessed=registrations[row.registration_id][1],
            )
            result.participants.append(participant)
            figures(participant.child_id).count(participant)
            result.total.count(participant)
            result.by_level.setdefault(standing.level, PlanFigures()).count(participant)
            if participant.is_cell:
                result.by_type.setdefault(standing.cell_type_name, PlanFigures()).count(participant)
    result.participants.sort(key=lambda p: (p.standing.path, p.campaign.code))
    return result


# --- Tables ----------------------------------------------------------------------------------------


def figure_columns() -> list[Column]:
    return [
        Column(_("Plans"), ColumnKind.INT, 9),
        Column(_("Participants"), ColumnKind.INT, 11),
        Column(_("Self-assessed"), ColumnKind.INT, 11),
        Column(_("Passed"), ColumnKind.INT, 9),
        Column(_("Newly recognized"), ColumnKind.INT, 11),
        Column(_("Title maintained"), ColumnKind.INT, 11),
    ]


def plans_by_child_table(data: Consolidation, number: str) -> Table:
    return Table(
        columns=[Column(_("No."), ColumnKind.INT, 6), Column(_("Party organisation"), width=34), *figure_columns()],
        rows=[[n, name, *figures.as_tuple()] for n, (name, figures) in enumerate(data.child_rows(), 1)],
        total=["", _("Total"), *data.total.as_tuple()],
        caption=_("Table %(n)s. Plans and their participants by subordinate organisation") % {"n": number},
        sheet_name=_("Plans by organisation"),
        empty_text=_("No plan of the year touches this organisation."),
    )


def plans_by_kind_table(data: Consolidation, number: str) -> Table:
    """By level (cells, grassroots organisations...) then, for cells, by type of cell."""
    rows = []
    for code, label in Level.choices:
        if code in data.by_level:
            rows.append([str(label), *data.by_level[code].as_tuple()[1:]])
    for label, figures in sorted(data.by_type.items()):
        rows.append([label, *figures.as_tuple()[1:]])
    return Table(
        columns=[Column(_("Level or type of cell"), width=40), *figure_columns()[1:]],
        rows=rows,
        caption=_("Table %(n)s. Participants by level and by type of cell") % {"n": number},
        sheet_name=_("Plans by level and type"),
        empty_text=_("No organisation takes part in a plan of the year."),
    )


def number_text(value, share: bool = False) -> str:
    """A figure the Vietnamese way: a count as "3", a share as "66,7%" (one decimal, half up)."""
    from ..render_pdf import format_number

    if value is None:
        return "–"
    if share:
        return format_number(float(value) / 100, ColumnKind.PERCENT)
    if value == int(value):
        return format_number(int(value), ColumnKind.INT)
    return format_number(value, ColumnKind.DECIMAL)


SHARE_METRICS = (rules.METRIC_PASSED_SHARE, *rules.SUBTREE_METRICS)


def targets_table(data: Consolidation, number: str) -> Table:
    rows = []
    for n, target in enumerate(data.targets, 1):
        share = target.progress.metric in SHARE_METRICS
        rows.append(
            [
                n,
                f"{target.campaign.name} ({target.owner_name})",
                target.progress.label,
                f"{Comparator(target.progress.comparator).label} {number_text(target.progress.value, share)}",
                number_text(target.progress.actual, share),
                _("met") if target.progress.met else _("not met"),
            ]
        )
    return Table(
        columns=[
            Column(_("No."), ColumnKind.INT, 6),
            Column(_("Plan of the year"), width=30),
            Column(_("Target"), width=30),
            Column(_("Set"), width=10),
            Column(_("Result"), width=10),
            Column(_("Assessment"), width=12),
        ],
        rows=rows,
        caption=_("Table %(n)s. Targets against results") % {"n": number},
        sheet_name=_("Targets"),
        empty_text=_("The plans set no targets."),
    )


def recognized_table(data: Consolidation, caption: str) -> Table:
    rows = [
        [
            n,
            p.name,
            p.parent_name,
            p.standing.cell_type_name or str(Level(p.standing.level).label),
            p.campaign.name,
            Outcome(p.row.status).label,
        ]
        for n, p in enumerate(data.recognized(), 1)
    ]
    return Table(
        columns=[
            Column(_("No."), ColumnKind.INT, 6),
            Column(_("Party organisation"), width=34),
            Column(_("Belongs to"), width=28),
            Column(_("Level or type of cell"), width=20),
            Column(_("Plan of the year"), width=28),
            Column(_("Recognition"), width=16),
        ],
        rows=rows,
        caption=caption,
        sheet_name=_("Recognized"),
        empty_text=_("No organisation is recognized or maintains its title."),
    )


def plan_attention(data: Consolidation) -> list[tuple[str, str, str]]:
    """(organisation, belongs to, why) for participants that did not self-assess or did not pass."""
    items = []
    for p in data.participants:
        if not p.self_assessed:
            items.append((p.name, p.parent_name, _("has not self-assessed (%(plan)s)") % {"plan": p.campaign.name}))
        elif p.row.result and p.row.result != rules.DAT:
            items.append((p.name, p.parent_name, _("did not pass (%(plan)s)") % {"plan": p.campaign.name}))
    return items


def unmet_targets(data: Consolidation) -> list[PlanTarget]:
    return [t for t in data.targets if not t.progress.met]


# --- Meeting quality by level, per subordinate organisation ----------------------------------------


def quality_by_child_table(rows, root_name: str, names: dict, labels: list[str], number: str):
    """Cells per quality level of the period (the roll-up level where the rubric has one), per subordinate
    organisation. ``rows`` are the ranking's rows with ``child_id`` set; ``labels`` the levels best first."""
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    none_label = _("not rated")
    for row in rows:
        counts[row.child_id][row.level_label or none_label] += 1
    columns = [*labels, none_label]
    table_rows = []
    totals = defaultdict(int)
    for child_id in sorted(counts, key=lambda key: names.get(key, "") if key else ""):
        line = counts[child_id]
        for label in columns:
            totals[label] += line.get(label, 0)
        table_rows.append(
            [names.get(child_id) or root_name, *[line.get(label, 0) for label in columns], sum(line.values())]
        )
    return Table(
        columns=[
            Column(_("Party organisation"), width=34),
            *[Column(label, ColumnKind.INT, 10) for label in columns],
            Column(_("Cells"), ColumnKind.INT, 9),
        ],
        rows=table_rows,
        total=[_("Total"), *[totals[label] for label in columns], len(rows)],
        caption=_("Table %(n)s. Cells by the quality level of their meetings in the period") % {"n": number},
        sheet_name=_("Quality by organisation"),
        empty_text=_("There are no cells."),
    )
