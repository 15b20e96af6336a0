"""The ranking sheet's rules (WORKBOOK.md), and a query count that does not grow with the cells."""

import datetime
from decimal import Decimal

import pytest

from cells.models import Level
from cells.periods import Period
from evaluations.meetings.models import ThematicTopic
from evaluations.meetings.selectors import RankingRow, assign_ranks, ranking
from tests.factories import make_org

from .helpers import FULL, make_meeting, scored_meeting

pytestmark = pytest.mark.django_db


def _row(code, average):
    return RankingRow(0, code, code, "residential", "", 1, average_points=None if average is None else Decimal(average))


def test_equal_averages_share_a_rank_and_the_next_rank_skips():
    rows = [_row("a", "80"), _row("b", "90"), _row("c", None), _row("d", "80"), _row("e", "70")]
    assign_ranks(rows)
    assert [(r.org_code, r.rank) for r in rows] == [("b", 1), ("a", 2), ("d", 2), ("e", 4), ("c", None)]


def test_ranking_follows_the_sheet_rules(tree, framework):
    topic = ThematicTopic.objects.first()
    scored_meeting(tree.cell, date=datetime.date(2024, 1, 5))  # 100, key full
    scored_meeting(tree.cell, values={**FULL, "3.2": 10}, date=datetime.date(2024, 2, 5))  # 90
    scored_meeting(
        tree.cell, values={**FULL, "4.1": 0, "2.1": 10}, date=datetime.date(2024, 2, 20), kind="thematic", topic=topic
    )
    scored_meeting(tree.school, values={**FULL, "1.1": 9}, date=datetime.date(2024, 1, 5))  # 99, key short
    make_meeting(tree.school, date=datetime.date(2024, 4, 5))  # outside the quarter
    result = ranking(tree.district, Period.parse("2024-Q1"))
    rows = {r.org_code: r for r in result.rows}
    cell = rows[tree.cell.code]
    assert (cell.meetings_expected, cell.meetings_held, cell.thematic_held) == (3, 2, 1)
    assert cell.average_points == Decimal("86.67")
    assert cell.level == "kha" and cell.rank == 2
    school = rows[tree.school.code]
    assert (school.average_points, school.level, school.rank) == (Decimal("99.00"), "kha", 1)
    assert tree.other_cell.code not in rows


def test_the_top_level_needs_every_meeting_key_full(tree, framework):
    scored_meeting(tree.cell, date=datetime.date(2024, 1, 5))
    scored_meeting(tree.cell, values={**FULL, "1.1": 9, "1.2": 5}, date=datetime.date(2024, 2, 5))
    row = next(r for r in ranking(tree.district, Period.parse("2024")).rows if r.org_code == tree.cell.code)
    assert row.average_points == Decimal("99.50")
    assert row.level == "kha"


def test_cells_without_meetings_come_last_unranked(tree, framework):
    scored_meeting(tree.school, date=datetime.date(2024, 3, 5))
    rows = ranking(tree.grassroots, Period.parse("2024-03")).rows
    assert [(r.org_code, r.rank, r.meetings_held) for r in rows] == [
        (tree.school.code, 1, 1),
        (tree.cell.code, None, 0),
    ]


def test_a_cell_type_filter_ranks_residential_cells_among_themselves(tree, framework):
    scored_meeting(tree.school, date=datetime.date(2024, 3, 5))
    scored_meeting(tree.cell, values={**FULL, "2.1": 0}, date=datetime.date(2024, 3, 5))
    rows = ranking(tree.grassroots, Period.parse("2024-03"), cell_type="residential").rows
    assert [(r.org_code, r.rank) for r in rows] == [(tree.cell.code, 1)]


def _many_cells(tree, count):
    for n in range(count):
        cell = make_org(f"Chi bộ {n}", Level.CELL, tree.grassroots)
        scored_meeting(cell, date=datetime.date(2024, 3, 5))


@pytest.mark.parametrize("extra_cells", [0, 25])
def test_ranking_takes_a_fixed_number_of_queries(tree, framework, django_assert_num_queries, extra_cells):
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    _many_cells(tree, extra_cells)
    # the root's states in the period, the GROUP BY, the cells as they stood, the framework, whether any
    # roll-up rule exists for quarters; its rubric was read when the meeting was scored (frozen rubrics
    # are read once per process)
    with django_assert_num_queries(5):
        result = ranking(tree.province, Period.parse("2024-Q1"))
    assert len(result.rows) == 3 + extra_cells


@pytest.mark.parametrize("extra_cells", [0, 25])
def test_a_ranking_with_a_rollup_rule_takes_a_fixed_number_of_queries(
    tree, framework, django_assert_num_queries, extra_cells
):
    from criteria.models import RollupLevel

    RollupLevel.objects.create(
        framework=framework, period="quarter", code="tot", rank=1, count_level="tot", min_count=1
    )
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    _many_cells(tree, extra_cells)
    ranking(tree.province, Period.parse("2024-Q1"))  # reads the frozen framework's roll-up levels once
    # as without a rule: the GROUP BY counts what the rule reads, and the frameworks of the latest regular
    # meetings come with the rubrics' (it was 7: the period's meetings were read one by one)
    with django_assert_num_queries(5):
        result = ranking(tree.province, Period.parse("2024-Q1"))
    assert next(r for r in result.rows if r.org_code == tree.cell.code).rollup
