"""The ranking at its edges: rounding of the average and how the level reads it, the last and first day
of a period, merged (inactive) cells, the all-achieved flag, draft meetings, a framework changed within
the period. Each figure is worked out by hand in the test's comment."""

import datetime
from decimal import Decimal

import pytest

from cells import services as cell_services
from cells.periods import Period
from criteria.models import RatingLevel
from criteria.selectors import forget_rubrics
from evaluations.meetings.models import Meeting
from evaluations.meetings.selectors import ranking

from .helpers import FULL, make_framework, scored_meeting

pytestmark = pytest.mark.django_db


def _row(tree, period="2024-Q1", org=None):
    rows = {r.org_code: r for r in ranking(tree.district, Period.parse(period)).rows}
    return rows.get((org or tree.cell).code)


def _meeting_with_total(cell, total, day, **flags):
    """A submitted, key-full meeting whose final total is ``total`` (the ranking reads stored totals)."""
    meeting = scored_meeting(cell, date=day)
    Meeting.objects.filter(pk=meeting.pk).update(final_total=Decimal(total), **flags)
    return meeting


def test_an_average_of_89_985_rounds_half_up_and_stays_below_the_top_level(tree, framework):
    # (89.98 + 89.99) / 2 = 89.985 → 89.99 half up (half-even would give 89.98); below 90: Khá.
    _meeting_with_total(tree.cell, "89.98", datetime.date(2024, 1, 10))
    _meeting_with_total(tree.cell, "89.99", datetime.date(2024, 2, 10))
    row = _row(tree)
    assert row.average_points == Decimal("89.99")
    assert row.level == "kha"


def test_an_average_of_89_995_rounds_to_90_and_the_level_reads_the_rounded_figure(tree, framework):
    # (89.99 + 90.00) / 2 = 89.995 → 90.00: the level is read from the rounded average, so Tốt.
    _meeting_with_total(tree.cell, "89.99", datetime.date(2024, 1, 10))
    _meeting_with_total(tree.cell, "90.00", datetime.date(2024, 2, 10))
    row = _row(tree)
    assert (row.average_points, row.level) == (Decimal("90.00"), "tot")


def test_thirds_round_half_up_at_the_third_place(tree, framework):
    # (100 + 100 + 99.99) / 3 = 99.99666… → 100.00; (90 + 90 + 90.01) / 3 = 90.00333… → 90.00.
    for month, total in ((1, "100"), (2, "100"), (3, "99.99")):
        _meeting_with_total(tree.cell, total, datetime.date(2024, month, 10))
    for month, total in ((1, "90"), (2, "90"), (3, "90.01")):
        _meeting_with_total(tree.school, total, datetime.date(2024, month, 10))
    assert _row(tree).average_points == Decimal("100.00")
    assert _row(tree, org=tree.school).average_points == Decimal("90.00")


def test_the_period_ends_on_its_last_day(tree, framework):
    # 31 March belongs to Q1 and to March; 1 April to Q2 and April only.
    _meeting_with_total(tree.cell, "80", datetime.date(2024, 3, 31))
    _meeting_with_total(tree.cell, "60", datetime.date(2024, 4, 1))
    q1, q2 = _row(tree, "2024-Q1"), _row(tree, "2024-Q2")
    assert (q1.meetings_held, q1.average_points) == (1, Decimal("80.00"))
    assert (q2.meetings_held, q2.average_points) == (1, Decimal("60.00"))
    assert _row(tree, "2024-03").meetings_held == 1 and _row(tree, "2024-04").meetings_held == 1
    assert _row(tree, "2024-02").meetings_held == 0


def test_a_merged_cell_is_listed_only_for_periods_it_stood_in(tree, framework, people):
    """The history rule (issue 12): merged on 1 June, the school is in Q1's ranking with its meeting,
    and in no period after the merger."""
    _meeting_with_total(tree.school, "95", datetime.date(2024, 1, 10))
    cell_services.organization_merge(
        source=tree.school, target=tree.cell, effective_on=datetime.date(2024, 6, 1), acting_user=None
    )
    assert _row(tree, "2024-Q1", org=tree.school).average_points == Decimal("95.00")
    codes = [r.org_code for r in ranking(tree.district, Period.parse("2024-Q3")).rows]
    assert tree.school.code not in codes and tree.cell.code in codes


def test_the_all_achieved_flag_gates_a_level_that_requires_it(tree, framework):
    RatingLevel.objects.filter(framework=framework, code="tot").update(require_all_achieved=True)
    forget_rubrics()
    _meeting_with_total(tree.cell, "100", datetime.date(2024, 1, 10))
    _meeting_with_total(tree.cell, "100", datetime.date(2024, 2, 10), final_all_achieved=False)
    _meeting_with_total(tree.school, "100", datetime.date(2024, 1, 10))
    assert (_row(tree).average_points, _row(tree).level) == (Decimal("100.00"), "kha")
    assert _row(tree, org=tree.school).level == "tot"


def test_one_meeting_short_of_key_full_loses_the_top_level(tree, framework):
    _meeting_with_total(tree.cell, "100", datetime.date(2024, 1, 10))
    _meeting_with_total(tree.cell, "100", datetime.date(2024, 2, 10), final_key_full=False)
    assert _row(tree).level == "kha"


def test_a_draft_meeting_counts_as_held_but_its_score_does_not(tree, framework):
    """Decision (README, "Rankings"): a draft is a meeting that took place, so it counts as held; its
    self-assessment is not declared until submitted, so it is not in the average nor the level."""
    scored_meeting(tree.cell, date=datetime.date(2024, 1, 10))  # 100, submitted
    scored_meeting(tree.cell, values={**FULL, "2.1": 0}, submit=False, date=datetime.date(2024, 2, 10))  # 80, draft
    row = _row(tree)
    assert (row.meetings_held, row.meetings_scored, row.average_points, row.level) == (2, 1, Decimal("100.00"), "tot")


def test_a_cell_with_only_a_draft_is_held_but_unranked(tree, framework):
    scored_meeting(tree.cell, submit=False, date=datetime.date(2024, 1, 10))
    row = _row(tree)
    assert (row.meetings_held, row.average_points, row.rank, row.level) == (1, None, None, "")


def test_a_framework_changed_mid_period_reads_the_level_by_the_newer_framework(tree, framework):
    """Meetings of January used the old framework, March's the new one (whose Tốt needs 95): the average
    is of the stored totals, the level is read with the framework of the latest meeting's version."""
    _meeting_with_total(tree.cell, "92", datetime.date(2024, 1, 10))
    newer = make_framework(tree.province, code="SH-TEST-V2")
    RatingLevel.objects.filter(framework=newer, code="tot").update(min_points=95)
    forget_rubrics()
    later = _meeting_with_total(tree.cell, "94", datetime.date(2024, 3, 10))
    Meeting.objects.filter(pk=later.pk).update(framework=newer)
    row = _row(tree)
    assert row.average_points == Decimal("93.00")
    assert row.level == "kha"  # 93 ≥ 90 would be Tốt by the old framework; the new one needs 95
