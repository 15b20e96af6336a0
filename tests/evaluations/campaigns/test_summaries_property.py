"""The campaign summaries (services/summaries.py) against a recomputation from the raw rows.

After any sequence of the campaign's services (register through the workbook's service, self-assess,
appraise, confirm, reopen, year ratings) and of the tree's (move a cell in the campaign's year or later,
change its cell type), the figures the pages read from the kept standings (``target_rows`` without rows,
the dashboard's counts) equal those worked out from every participant's row and the tree's history, as
they were before the summaries (``result_rows`` and ``subtree_population``); and once read, the kept
standings equal the tree's history worked out again, and the next read uses them."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cells import services as cell_services
from cells.models import CellType, Level
from evaluations.campaigns import rules, selectors, services
from evaluations.campaigns.models import PARTICIPANT_STATUSES, CampaignStanding, CampaignTarget, Registration
from evaluations.campaigns.services import summaries

from . import builders

pytestmark = pytest.mark.django_db

CELLS = ("cell", "school", "other_cell", "grassroots")  # the last two: outside the subtree, and not a cell
TARGETS = [
    {"metric": "recognized_new", "value": 1},
    {"metric": "recognized_total", "value": 1, "org_level": Level.CELL},
    {"metric": "passed_share", "value": 50},
    {"metric": "rated_share", "value": 50, "rating": "HTTNV"},
    {"metric": "rated_share", "value": 50, "rating": "HTXSNV", "org_level": Level.GRASSROOTS_CELL},
    {"metric": "recognized_share", "value": 20},
    {"metric": "recognized_share", "value": 20, "org_level": Level.GRASSROOTS},
]

step = st.one_of(
    st.tuples(st.just("register"), st.sampled_from(CELLS), st.sampled_from(["approved", "maintaining", "returned"])),
    st.tuples(st.just("self"), st.sampled_from(CELLS), st.sampled_from(["1.1", "1.2"]), st.booleans()),
    st.tuples(st.just("appraise"), st.sampled_from(CELLS), st.sampled_from(["1.1", "1.2"]), st.booleans()),
    st.tuples(st.just("confirm"), st.sampled_from(CELLS)),
    st.tuples(st.just("submit"), st.sampled_from(CELLS)),
    st.tuples(st.just("reopen"), st.sampled_from(CELLS)),
    st.tuples(st.just("rate"), st.sampled_from(CELLS), st.sampled_from(rules.RATING_ORDER)),
    st.tuples(st.just("move"), st.sampled_from(CELLS[:3]), st.sampled_from(["district", "other_grassroots"])),
    st.tuples(st.just("retype"), st.sampled_from(CELLS[:3]), st.sampled_from(["residential", "public_service"])),
)


def _apply(tree, campaign, action) -> None:
    kind, name, *args = action
    organization = getattr(tree, name)
    organization.refresh_from_db()
    registration = Registration.objects.filter(campaign=campaign, organization=organization).first()
    if kind == "register":
        services.registration.registration_import(
            campaign=campaign,
            organization=organization,
            status=args[0],
            registered_on=datetime.date(builders.YEAR, 2, 1),
            registration=registration,
            acting_user=None,
        )
    elif kind == "rate":
        services.ratings.year_rating_set(
            organization=organization, year=builders.YEAR, rating=args[0], acting_user=None
        )
    elif kind == "move":
        # In the campaign's year (its level then changes) the first time, later afterwards (then it does not).
        moved = organization.intervals.count() > 1
        cell_services.organization_move(
            organization=organization,
            new_parent=getattr(tree, args[0]),
            effective_on=datetime.date(builders.YEAR + (2 if moved else 0), 7, 1),
            acting_user=None,
        )
    elif kind == "retype":
        cell_type = CellType.objects.get(code=args[0])
        cell_services.organization_update(organization=organization, cell_type=cell_type, acting_user=None)
    elif registration is None:
        return
    elif kind == "self":
        criterion = builders.criterion(registration, args[0])
        services.answers.answer_self_save(
            registration=registration, criterion=criterion, achieved=args[1], acting_user=None
        )
    elif kind == "appraise":
        criterion = builders.criterion(registration, args[0])
        services.answers.answer_appraise(
            registration=registration, criterion=criterion, achieved=args[1], reason="Thẩm định", acting_user=None
        )
    elif kind == "submit":
        services.answers.self_assessment_submit(registration=registration, acting_user=None)
    elif kind == "confirm":
        services.answers.registration_confirm(registration=registration, acting_user=None)
    elif kind == "reopen":
        services.answers.registration_reopen(registration=registration, reason="Sửa", acting_user=None)


def _recomputed(campaign):
    """The figures as they were worked out before the summaries: a row per participant, the tree's history."""
    rows = selectors.result_rows(campaign, summary=True)
    by_type: dict[str, Counter] = {}
    for row in rows:
        counter = by_type.setdefault(row.cell_type, Counter())
        counter["participants"] += 1
        counter["maintaining"] += row.maintaining
        counter[row.status] += 1
        counter["passed"] += row.result == rules.DAT
    progress = Registration.objects.filter(campaign=campaign, status__in=PARTICIPANT_STATUSES).aggregate(
        self_outstanding=Count("pk", filter=Q(self_assessed_at__isnull=True, confirmed_at__isnull=True)),
        appraisal_outstanding=Count("pk", filter=Q(self_assessed_at__isnull=False, confirmed_at__isnull=True)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
    )
    by_type = {code: dict(c) for code, c in by_type.items()}
    return selectors.target_rows(campaign, rows), len(rows), by_type, progress


def _read(campaign):
    dash = selectors.dashboard(campaign, today=datetime.date(builders.YEAR, 6, 1))
    by_type = {row["code"]: {k: v for k, v in row.items() if k not in ("code", "name")} for row in dash.by_type}
    progress = {
        "self_outstanding": dash.self_outstanding,
        "appraisal_outstanding": dash.appraisal_outstanding,
        "confirmed": dash.confirmed,
    }
    return selectors.target_rows(campaign), dash.participants, by_type, progress


@pytest.fixture
def campaign(tree):
    campaign = builders.campaign(tree)
    for target in TARGETS:
        CampaignTarget.objects.create(campaign=campaign, **target)
    return campaign


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=12))
def test_the_summaries_equal_a_recomputation_after_any_sequence_of_services(tree, campaign, steps):
    with transaction.atomic():
        for action in steps:
            try:
                with transaction.atomic():
                    _apply(tree, campaign, action)
            except (ValidationError, PermissionDenied):
                pass  # refused by the services' own rules: nothing changed
        campaign.refresh_from_db()
        assert _read(campaign) == _recomputed(campaign)
        # Once read, the kept standings are current and equal the history worked out again ...
        assert summaries.summary_is_current(campaign, summaries.stored_summary(campaign))
        stored = {
            org_id: (level, in_subtree)
            for org_id, level, in_subtree in CampaignStanding.objects.filter(campaign=campaign).values_list(
                "organization_id", "level", "in_subtree"
            )
        }
        assert stored == summaries.worked_out_standings(campaign)
        # ... and the next read counts from them (not from a row per participant).
        assert selectors.counted_results(campaign).rows is None
        transaction.set_rollback(True)


def test_a_move_in_the_campaigns_year_changes_the_figures_and_the_summary_follows(tree, campaign):
    """Not vacuous: the moved cell counts at its new level (a grassroots cell, directly under the district):
    the grassroots cells rated HTXSNV or better go from none (0 %) to it (100 %)."""
    services.ratings.year_rating_set(organization=tree.cell, year=builders.YEAR, rating="HTXSNV", acting_user=None)
    for name in ("cell", "school"):
        services.registration.registration_import(
            campaign=campaign, organization=getattr(tree, name), status="approved", registered_on=None, acting_user=None
        )
    before = _read(campaign)
    assert selectors.counted_results(campaign).rows is None
    cell_services.organization_move(
        organization=tree.cell,
        new_parent=tree.district,
        effective_on=datetime.date(builders.YEAR, 7, 1),
        acting_user=None,
    )
    after = _read(campaign)
    assert after != before
    assert after == _recomputed(campaign)
    levels = dict(CampaignStanding.objects.filter(campaign=campaign).values_list("organization_id", "level"))
    assert levels[tree.cell.pk] == Level.GRASSROOTS_CELL
