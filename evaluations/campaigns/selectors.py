"""Reads of the campaign cycle: who sees which campaign, the results rows, the dashboard, a cell's sheet."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, FilteredRelation, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.history import standings, stood_in_period
from cells.models import CellType, Level, Organization
from cells.scoping import Action, user_scope
from criteria.models import Framework
from criteria.scoring import Rubric, RubricCriterion
from criteria.selectors import load_rubric

from . import rules
from .models import (
    PARTICIPANT_LEVELS,
    PARTICIPANT_STATUSES,
    AnnualAnswer,
    Campaign,
    CampaignMilestone,
    CampaignStanding,
    CampaignTarget,
    Registration,
    RegistrationStatus,
    TargetMetric,
    YearRating,
)
from .services import summaries

# --- Which campaigns a user sees -----------------------------------------------------------------


def _ancestor_ids(paths) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def campaigns_visible_to(user, action: str = Action.VIEW):
    """Campaigns owned inside the user's scope, and (for a secretary or a lower committee) campaigns
    owned by a committee above the cells the user may record for."""
    own = Campaign.objects.for_user(user, action)
    if action != Action.VIEW:
        return own
    scope = user_scope(user, Action.RECORD)
    if scope.everything or not scope.paths:
        return own
    above = Campaign.objects.filter(owner_id__in=_ancestor_ids(scope.paths))
    return (own | above).distinct()


def campaign_for_user(user, pk, action: str = Action.VIEW) -> Campaign:
    """A campaign the user may see (404 otherwise, as for one that does not exist)."""
    try:
        return campaigns_visible_to(user, action).select_related("owner", "framework").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def cells_user_may_register(user, campaign: Campaign):
    """Cells and grassroots organisations under the campaign's owner the user may record for: their own cell
    or organisation (its office registers it), or those below a committee (which proposes them)."""
    return (
        Organization.objects.for_user(user, Action.RECORD)
        .filter(level__in=PARTICIPANT_LEVELS)
        .active()
        .filter(path__startswith=campaign.owner.path)
        .exclude(pk=campaign.owner_id)
        .select_related("cell_type")
        .order_by("depth", "name_folded")
    )


# --- Results rows (campaign_results export, dashboard, recognition) -------------------------------


@dataclass
class ResultRow:
    registration_id: int
    org_code: str
    name: str
    cell_type: str
    total_points: Decimal | None
    level: str
    year_rating: str
    result: str
    failed: str
    status: str
    maintaining: bool
    confirmed: bool
    org_level: str = ""
    organization_id: int | None = None


def rubrics_for(campaign: Campaign) -> dict[int, Rubric]:
    """framework id -> rubric, for the campaign's framework and the cells' own frameworks derived from it.

    A fixed number of queries per framework; cells' own frameworks are few, whatever the campaign's size."""
    ids = set(
        Registration.objects.filter(campaign=campaign).order_by().values_list("framework_id", flat=True).distinct()
    )
    ids.add(campaign.framework_id)
    frameworks = Framework.objects.filter(pk__in=ids).select_related("parent", "parent__parent")
    return {framework.pk: load_rubric(framework) for framework in frameworks}


FULL_COLUMNS = ("organization__code", "organization__name", "total_points", "failed")


def result_rows(
    campaign: Campaign, rubrics: dict[int, Rubric] | None = None, *, summary: bool = False
) -> list[ResultRow]:
    """The campaign_results rows, one per participant (approved or maintaining), in code order.

    Queries: one for the rows, one for the year's ratings, one for where each participant stood on its
    last day in the campaign's year (its name and level then, by the history rule), plus the rubrics. A
    confirmed row shows its frozen result; an open row applies the campaign rules to its current scoring,
    with the levels of the framework the cell is scored on. ``summary`` rows (for counting: dashboard,
    targets) leave out the code, name, points and failed groups, and are not sorted."""
    rubrics = rubrics or rubrics_for(campaign)
    min_rating = campaign.min_year_rating or None
    columns = (
        "pk",
        "framework_id",
        "organization__cell_type__code",
        "level_code",
        "level_rank",
        "status",
        "organization_id",
        "confirmed_at",
        "result",
        "outcome",
        "year_rating",
        "organization__level",
    )
    rows = Registration.objects.filter(campaign=campaign, status__in=PARTICIPANT_STATUSES)
    rows = rows.order_by().values_list(*columns) if summary else rows.values_list(*columns, *FULL_COLUMNS)
    if not summary:
        rows = rows.order_by("organization__code")
    # The year's ratings in a second query: a join the planner always does well, unlike a subquery per row.
    ratings = dict(
        YearRating.objects.filter(
            year=campaign.year,
            organization_id__in=Registration.objects.filter(campaign=campaign).values("organization_id"),
        ).values_list("organization_id", "rating")
    )
    # Named, and at the level it had, on its last day in the campaign's year (history rule), not as today.
    stood = stood_in_period(
        Registration.objects.filter(campaign=campaign).values_list("organization_id", flat=True),
        datetime.date(campaign.year, 1, 1),
        datetime.date(campaign.year + 1, 1, 1),
    )
    out = []
    outcomes: dict[tuple, tuple[str, str]] = {}  # few distinct inputs: apply the rules once for each
    for row in rows:
        pk, fw, type_code, level, rank, status, org_id, confirmed, result, outcome, frozen, org_level = row[:12]
        code, name, total, failed = row[12:] if not summary else ("", "", None, "")
        maintaining = status == RegistrationStatus.MAINTAINING
        rating = ratings.get(org_id)
        if confirmed:
            rating = frozen
        else:
            key = (fw, rank, rating, maintaining)
            if key not in outcomes:
                levels = rubrics[fw].levels if fw in rubrics else ()
                applied = rules.result_for(
                    level_rank=rank, levels=levels, year_rating=rating, min_year_rating=min_rating
                )
                outcomes[key] = (applied, rules.status_for(result=applied, maintaining=maintaining))
            result, outcome = outcomes[key]
        then = stood.get(org_id)
        out.append(
            ResultRow(
                registration_id=pk,
                org_code=code,
                name=then.name if then and not summary else name,
                cell_type=type_code or "",
                total_points=total,
                level=level,
                year_rating=rating or "",
                result=result,
                failed=failed,
                status=outcome,
                maintaining=maintaining,
                confirmed=confirmed is not None,
                org_level=then.level if then else org_level,
                organization_id=org_id,
            )
        )
    return out


# --- The same figures counted, for the dashboard and the targets ----------------------------------


@dataclass(frozen=True)
class CountedResult:
    """Participants that share every input of the campaign rules, and how many they are.

    What the dashboard and the targets count of the results rows (cell type, level where the cell stood in the
    campaign's year, result, recognition status), read with one grouped query instead of a row per
    participant: a province's campaign has thousands of participants but a few dozen distinct inputs."""

    count: int
    row: rules.ResultRow
    maintaining: bool
    # For rated_share / recognized_share: whether it stood in the owner's subtree in the campaign's year,
    # and its year rating as stored now (the population reads the stored rating even of a confirmed row).
    in_subtree: bool = False
    rating_now: str = ""
    # For the dashboard's progress: self-assessment submitted, result confirmed.
    self_assessed: bool = False
    confirmed: bool = False


class CountedResults(list):
    """The groups of :func:`counted_results`; ``rows``: the results rows they were counted from, when the
    summary was not current (the population is then worked out from the tree's history, as before)."""

    rows: list[ResultRow] | None = None


def _standings_current(campaign: Campaign) -> bool:
    """Whether the campaign's kept standings are current; when not, they are rebuilt for the next read."""
    if summaries.summary_is_current(campaign, summaries.stored_summary(campaign)):
        return True
    summaries.campaign_summary_rebuild(campaign, unless_current=True)
    return False


def counted_results(campaign: Campaign, rubrics: dict[int, Rubric] | None = None) -> CountedResults:
    """:func:`result_rows` (``summary``) grouped by every input of the rules, with the same figures: a confirmed
    row keeps its frozen result, an open row gets the rules applied once per distinct input.

    The registrations and the year ratings are read as they are; where each participant stood in the
    campaign's year comes from the kept standings (services/summaries.py). Queries: the summary and the
    tree's stamp, one grouped read (plus the rubrics). When the standings are not current (the tree changed
    since, a participant has none), the figures come from :func:`result_rows` and the standings are rebuilt."""
    rubrics = rubrics or rubrics_for(campaign)
    if _standings_current(campaign):
        groups = _counted_from_standings(campaign, rubrics)
        if groups is not None:
            return groups
        summaries.campaign_summary_rebuild(campaign)
    rows = result_rows(campaign, rubrics, summary=True)
    out = CountedResults(
        CountedResult(
            1,
            rules.ResultRow(cell_type=r.cell_type, result=r.result, status=r.status, org_level=r.org_level),
            r.maintaining,
        )
        for r in rows
    )
    out.rows = rows
    return out


def _counted_from_standings(campaign: Campaign, rubrics: dict[int, Rubric]) -> CountedResults | None:
    """None when a participant has no kept standing (registered behind the services' back)."""
    min_rating = campaign.min_year_rating or None
    columns = (
        "framework_id",
        "level_rank",
        "status",
        "is_confirmed",
        "is_self_assessed",
        "result",
        "outcome",
        "rated__rating",
        "organization__cell_type__code",
        "organization__level",
        "stood__level",
        "stood__in_subtree",
    )
    groups = (
        Registration.objects.filter(campaign=campaign, status__in=PARTICIPANT_STATUSES)
        .order_by()
        .annotate(
            stood=FilteredRelation(
                "organization__campaign_standings",
                condition=Q(organization__campaign_standings__campaign=campaign),
            ),
            rated=FilteredRelation(
                "organization__year_ratings", condition=Q(organization__year_ratings__year=campaign.year)
            ),
            is_confirmed=Case(When(confirmed_at__isnull=False, then=Value(True)), default=Value(False)),
            is_self_assessed=Case(When(self_assessed_at__isnull=False, then=Value(True)), default=Value(False)),
        )
        .values_list(*columns)
        .annotate(n=Count("pk"))
    )
    out = CountedResults()
    for fw, rank, status, confirmed, assessed, result, outcome, rating, type_code, level, then, subtree, n in groups:
        if subtree is None:
            return None
        maintaining = status == RegistrationStatus.MAINTAINING
        if not confirmed:
            levels = rubrics[fw].levels if fw in rubrics else ()
            result = rules.result_for(level_rank=rank, levels=levels, year_rating=rating, min_year_rating=min_rating)
            outcome = rules.status_for(result=result, maintaining=maintaining)
        row = rules.ResultRow(cell_type=type_code or "", result=result, status=outcome, org_level=then or level)
        out.append(CountedResult(n, row, maintaining, subtree, rating or "", assessed, confirmed))
    return out


def counted_population(campaign: Campaign, groups: CountedResults) -> list[rules.SubtreeOrg]:
    """:func:`subtree_population` from the kept standings: the owner's subtree in the campaign's year counted by
    cell type, level then and year rating (one grouped read), the recognized among them from ``groups``."""
    if groups.rows is not None:
        return subtree_population(campaign, groups.rows)
    population = (
        CampaignStanding.objects.filter(campaign=campaign, in_subtree=True)
        .order_by()
        .annotate(
            rated=FilteredRelation(
                "organization__year_ratings", condition=Q(organization__year_ratings__year=campaign.year)
            )
        )
        .values_list("organization__cell_type__code", "level", "rated__rating")
        .annotate(n=Count("pk"))
    )
    recognized: Counter = Counter()
    for group in groups:
        if group.in_subtree and group.row.status in (rules.RECOGNIZED_NEW, rules.MAINTAINED):
            recognized[(group.row.cell_type, group.row.org_level, group.rating_now)] += group.count
    out: list[rules.SubtreeOrg] = []
    for type_code, level, rating, n in population:
        key = (type_code or "", level, rating or "")
        yes = recognized[key]
        out += [rules.SubtreeOrg(cell_type=key[0], org_level=level, rating=key[2], recognized=True)] * yes
        out += [rules.SubtreeOrg(cell_type=key[0], org_level=level, rating=key[2], recognized=False)] * (n - yes)
    return out


def target_rows(
    campaign: Campaign,
    results: list[ResultRow] | None = None,
    *,
    groups: CountedResults | None = None,
    type_names: dict[str, str] | None = None,
    figures: CampaignFigures | None = None,
) -> list[rules.TargetProgress]:
    """Every target with its actual figure and whether it is met (the `targets` export, the dashboards).

    Without ``results`` the figures come from :func:`counted_results` (a fixed number of grouped reads,
    whatever the campaign's size; ``groups`` when the caller has read them); with them (a report that has
    drawn the rows already), from those rows; with ``figures`` (the campaign page's, maybe kept), from those."""
    # "All cell types" first within a metric, on every database (PostgreSQL sorts NULL last by default).
    targets = (
        CampaignTarget.objects.filter(campaign=campaign)
        .select_related("cell_type")
        .order_by("metric", F("cell_type__order").asc(nulls_first=True), "cell_type__code", "pk")
    )
    targets = list(targets)
    if not targets:
        return []
    over_subtree = any(t.metric in rules.SUBTREE_METRICS for t in targets)
    type_names = type_names if type_names is not None else dict(CellType.objects.values_list("code", "name"))
    if figures is not None:
        return [
            dataclasses.replace(progress, label=target_label(progress, type_names))
            for progress in figures.progress_of(targets, over_subtree)
        ]
    if results is None:
        groups = groups if groups is not None else counted_results(campaign)
        counted = [row for group in groups for row in [group.row] * group.count]
        population = counted_population(campaign, groups) if over_subtree else ()
    else:
        counted = [
            rules.ResultRow(cell_type=r.cell_type, result=r.result, status=r.status, org_level=r.org_level)
            for r in results
        ]
        population = subtree_population(campaign, results) if over_subtree else ()
    return [
        dataclasses.replace(progress, label=target_label(progress, type_names))
        for progress in _progress(targets, counted, population)
    ]


def target_label(target: rules.TargetProgress, type_names: dict[str, str]) -> str:
    """The target in words, one way for the campaign page, the dashboard and the reports: its metric, the
    organisations counted (cell type, level), the year rating to reach, and the year it is due."""
    label = str(TargetMetric(target.metric).label)
    if target.rating:
        label = f"{label} {target.rating}"
    counted = [str(Level(target.org_level).label)] if target.org_level else []
    if target.cell_type:
        counted.append(type_names.get(target.cell_type, target.cell_type))
    if counted:
        label = f"{label} ({', '.join(counted)})"
    if target.due_year:
        label = f"{label}, " + _("by %(year)s") % {"year": target.due_year}
    return label


def _progress(targets, counted, population):
    return [
        rules.target_progress(
            metric=t.metric,
            cell_type=t.cell_type.code if t.cell_type_id else "",
            comparator=t.comparator,
            value=t.value,
            rows=counted,
            org_level=t.org_level,
            rating=t.rating,
            due_year=t.due_year,
            population=population,
        )
        for t in targets
    ]


def subtree_population(campaign: Campaign, results: list[ResultRow]) -> list[rules.SubtreeOrg]:
    """The organisations of the owner's subtree for rated_share / recognized_share, by the history rule for
    the campaign's year (those that existed on a day of it, at the level they had on their last day in it):
    their level, cell type, year rating of that year, and whether their result is recognized."""
    start, end = datetime.date(campaign.year, 1, 1), datetime.date(campaign.year + 1, 1, 1)
    orgs = standings(campaign.owner, start, end)
    ratings = dict(
        YearRating.objects.filter(
            year=campaign.year, organization_id__in=[o.organization_id for o in orgs]
        ).values_list("organization_id", "rating")
    )
    recognized = {r.organization_id for r in results if r.status in (rules.RECOGNIZED_NEW, rules.MAINTAINED)}
    return [
        rules.SubtreeOrg(
            cell_type=o.cell_type_code,
            org_level=o.level,
            rating=ratings.get(o.organization_id, ""),
            recognized=o.organization_id in recognized,
        )
        for o in orgs
    ]


# --- Dashboard -----------------------------------------------------------------------------------


@dataclass
class Dashboard:
    campaign: Campaign
    targets: list[rules.TargetProgress]
    by_type: list[dict]
    by_status: dict[str, int]
    participants: int
    self_outstanding: int
    appraisal_outstanding: int
    confirmed: int
    deadlines: list[tuple[datetime.date, str]]
    milestones: list[CampaignMilestone]
    cell_type_names: dict[str, str] = field(default_factory=dict)
    # level code -> its label in the frameworks the cells are scored on ("dat" -> "Đạt")
    level_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class CampaignFigures:
    """What the dashboard reads of a campaign's registrations, year ratings, standings and frameworks: the
    costly part of the campaign page at province size, which the page keeps per process while its stamps
    stand (page_cache.py). Shared when kept: read it, never change it."""

    campaign: Campaign
    groups: CountedResults
    status_counts: dict[str, int]
    progress: dict[str, int]
    level_labels: dict[str, str]
    _counted: list | None = field(default=None, repr=False, compare=False)
    _population: list | None = field(default=None, repr=False, compare=False)
    _progress: dict = field(default_factory=dict, repr=False, compare=False)

    def counted_rows(self) -> list[rules.ResultRow]:
        """A row per participant, as the targets count them (built once)."""
        if self._counted is None:
            self._counted = [row for group in self.groups for row in [group.row] * group.count]
        return self._counted

    def population(self) -> list[rules.SubtreeOrg]:
        """The owner's subtree for the shares over it (read once, and only when a target asks for it)."""
        if self._population is None:
            self._population = counted_population(self.campaign, self.groups)
        return self._population

    def progress_of(self, targets: list[CampaignTarget], over_subtree: bool) -> list[rules.TargetProgress]:
        """The targets' progress over these figures, worked out once for the targets as they are (read each
        request: their content is the key)."""
        key = tuple(
            (t.metric, t.cell_type.code if t.cell_type_id else "", t.comparator, t.value, t.org_level, t.rating,
             t.due_year)
            for t in targets
        )  # fmt: skip
        if key not in self._progress:
            population = self.population() if over_subtree else ()
            self._progress[key] = _progress(targets, self.counted_rows(), population)
        return self._progress[key]


def campaign_figures(campaign: Campaign) -> CampaignFigures:
    """The dashboard's figures worked out now: the rubrics, one grouped read of the registrations (with the
    kept standings), their statuses counted."""
    rubrics = rubrics_for(campaign)
    groups = counted_results(campaign, rubrics)
    status_counts = dict(
        Registration.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk")).order_by()
    )
    if groups.rows is None:  # the groups say who has self-assessed and who is confirmed
        progress = {
            "self_outstanding": sum(g.count for g in groups if not g.self_assessed and not g.confirmed),
            "appraisal_outstanding": sum(g.count for g in groups if g.self_assessed and not g.confirmed),
            "confirmed": sum(g.count for g in groups if g.confirmed),
        }
    else:
        progress = Registration.objects.filter(campaign=campaign, status__in=PARTICIPANT_STATUSES).aggregate(
            self_outstanding=Count("pk", filter=Q(self_assessed_at__isnull=True, confirmed_at__isnull=True)),
            appraisal_outstanding=Count("pk", filter=Q(self_assessed_at__isnull=False, confirmed_at__isnull=True)),
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        )
    return CampaignFigures(
        campaign=campaign,
        groups=groups,
        status_counts=status_counts,
        progress=progress,
        level_labels={level.code: level.label for rubric in rubrics.values() for level in rubric.levels},
    )


def dashboard(
    campaign: Campaign, today: datetime.date | None = None, *, figures: CampaignFigures | None = None
) -> Dashboard:
    """Everything the campaign page shows at a glance, in a fixed number of queries whatever the size.
    ``figures``: the campaign's figures as the page keeps them (page_cache.py); worked out now without."""
    today = today or timezone.localdate()
    figures = figures or campaign_figures(campaign)
    groups, status_counts = figures.groups, figures.status_counts
    names = dict(CellType.objects.values_list("code", "name"))
    per_type: dict[str, Counter] = {}
    for group in groups:
        counter = per_type.setdefault(group.row.cell_type, Counter())
        counter["participants"] += group.count
        counter["maintaining"] += group.count if group.maintaining else 0
        counter[group.row.status] += group.count
        counter["passed"] += group.count if group.row.result == rules.DAT else 0
    by_type = [
        {"code": code, "name": names.get(code, code), **counter}
        for code, counter in sorted(per_type.items(), key=lambda item: names.get(item[0], item[0]))
    ]
    milestones = list(CampaignMilestone.objects.filter(campaign=campaign))
    for milestone in milestones:  # past ones stay on the page, done or flagged
        milestone.overdue = milestone.done_on is None and milestone.due_on < today
        milestone.days_late = (today - milestone.due_on).days if milestone.overdue else 0
    deadlines = [
        (day, label)
        for day, label in (
            (campaign.registration_deadline, "registration"),
            (campaign.self_assessment_deadline, "self_assessment"),
            (campaign.recognition_deadline, "recognition"),
        )
        if day and day >= today
    ]
    deadlines += [(m.due_on, m.title) for m in milestones if m.done_on is None and m.due_on >= today]
    deadlines.sort(key=lambda item: item[0])
    return Dashboard(
        campaign=campaign,
        targets=target_rows(campaign, figures=figures, type_names=names),
        by_type=by_type,
        by_status={s: status_counts.get(s, 0) for s in RegistrationStatus.values},
        participants=sum(group.count for group in groups),
        deadlines=deadlines[:6],
        level_labels=dict(figures.level_labels),
        milestones=milestones,
        cell_type_names=names,
        **figures.progress,
    )


def registrations_for(user, campaign: Campaign):
    """The campaign's registrations the user may see (staff: the subtree; a secretary: their cell)."""
    return (
        Registration.objects.for_user(user, Action.VIEW)
        .filter(campaign=campaign)
        .select_related("organization", "organization__cell_type", "organization__parent")
        .order_by("organization__code")
    )


# --- One participant's sheet ---------------------------------------------------------------------


@dataclass
class SheetLine:
    criterion: RubricCriterion
    depth: int
    answer: AnnualAnswer | None
    achieved: bool | None = None
    points: Decimal | None = None
    typed: object | None = None  # on a refused submit, what the user typed for this line (EnteredLine)


def registration_sheet(registration: Registration) -> tuple[Rubric, list[SheetLine], object]:
    """The criteria that apply to the cell, in tree order, with its answers and the current scoring."""
    from criteria.scoring import score

    from .services.answers import final_answers

    rubric = load_rubric(registration.framework)
    answers = {
        a.criterion_id: a
        for a in AnnualAnswer.objects.filter(registration=registration)
        .select_related("criterion")
        .prefetch_related("evidence")
    }
    organization = registration.organization
    result = score(
        rubric,
        final_answers(answers.values()),
        cell_type=organization.cell_type.code if organization.cell_type_id else None,
        org_level=organization.level,
    )
    applicable = set(result.applicable)
    by_code = rubric.by_code()
    lines = []
    for criterion in rubric.criteria:
        if criterion.code not in applicable:
            continue
        depth, parent = 0, criterion.parent_code
        while parent and parent in by_code:
            depth, parent = depth + 1, by_code[parent].parent_code
        lines.append(
            SheetLine(
                criterion=criterion,
                depth=depth,
                answer=answers.get(criterion.id),
                achieved=result.achieved.get(criterion.code),
                points=result.points.get(criterion.code),
            )
        )
    return rubric, lines, result


def frameworks_for_campaigns(user):
    """Published frameworks a staff user may run a campaign on."""
    return Framework.objects.for_user(user, Action.VIEW).published().select_related("owner").order_by("code")


def year_ratings_for(user, year: int | None = None):
    qs = YearRating.objects.for_user(user, Action.VIEW).select_related("organization")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("organization__path", "-year")


def overdue_milestones(user, today: datetime.date | None = None, limit: int = 10) -> list[CampaignMilestone]:
    """Milestones past their date and not done, of the campaigns the user keeps (staff): the home page flags
    them, the oldest first."""
    today = today or timezone.localdate()
    milestones = list(
        CampaignMilestone.objects.for_user(user, Action.MANAGE)
        .filter(done_on__isnull=True, due_on__lt=today)
        .select_related("campaign")
        .order_by("due_on", "id")[:limit]
    )
    for milestone in milestones:
        milestone.days_late = (today - milestone.due_on).days
    return milestones


# --- Support and commendation across campaigns (Y7, Y8, B4) ----------------------------------------


@dataclass
class AwardTotal:
    kind: str
    kind_label: str
    cell_type: str
    count: int
    amount: Decimal


def awards_for(user, *, campaign_id: int | None = None, year: int | None = None, kind: str = ""):
    """Commendations, rewards and support the user may see, across campaigns and years, newest first."""
    from .models import Award, AwardKind

    qs = Award.objects.for_user(user, Action.VIEW).select_related(
        "registration__campaign", "registration__organization__cell_type"
    )
    if campaign_id:
        qs = qs.filter(registration__campaign_id=campaign_id)
    if year:
        qs = qs.filter(registration__campaign__year=year)
    if kind in AwardKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-granted_on", "registration__organization__name_folded", "id")


def award_totals(awards) -> list[AwardTotal]:
    """Totals by kind and type of cell (count, amount), from the same filtered awards (one GROUP BY)."""
    from django.db.models import Sum

    from .models import AwardKind

    labels = dict(AwardKind.choices)
    rows = (
        awards.order_by()
        .values("kind", "registration__organization__cell_type__name")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("kind", "registration__organization__cell_type__name")
    )
    return [
        AwardTotal(
            kind=row["kind"],
            kind_label=str(labels.get(row["kind"], row["kind"])),
            cell_type=row["registration__organization__cell_type__name"] or "—",
            count=row["count"],
            amount=row["amount"] or Decimal(0),
        )
        for row in rows
    ]
