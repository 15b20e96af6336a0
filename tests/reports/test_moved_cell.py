"""The history rule (WORKBOOK.md) for a cell moved in the middle of a period, hand-computed.

Thôn Hai (C3) stood under Huyện ủy Hai (D2) until 31 July 2025; from 1 August 2025 it stands under
Đảng ủy phường Một in Thành ủy Một (D1), and from 1 October 2025 it is called "Chi bộ Thôn Hai Mới".
In 2026 it moves again (directly under D2, so it becomes a grassroots cell) and is renamed again, so
"today" differs from 31 December 2025 in place, name and level.

Every export and report of 2025 (and of its second half and third quarter) shows it once, in Thành ủy
Một's subtree, named "Chi bộ Thôn Hai Mới", at level ``cell``, with every month of the period expected
and all the period's meetings; Huyện ủy Hai's shows nothing of it.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from cells import services as cell_services
from cells.models import CellType, Level
from cells.periods import Period
from evaluations.campaigns.models import CampaignTarget, Outcome, Registration, Result, YearRating
from evaluations.meetings.selectors import ranking
from reports.building import build_document
from reports.registry import all_kinds, get_kind
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, assign_supervisor, make_framework, scored_meeting

pytestmark = pytest.mark.django_db

MOVED_ON = datetime.date(2025, 8, 1)
RENAMED_ON = datetime.date(2025, 10, 1)
NAME_ON_31_DECEMBER = "Chi bộ Thôn Hai Mới"
NAME_TODAY = "Chi bộ Thôn Hai (2026)"
OLD_NAME = "Chi bộ Thôn Hai"
# Each kind's longest period that has the move in its middle (the year, its second half, its third
# quarter), and the moved cell's name on that period's last day.
PERIODS = (
    ("year", "2025", NAME_ON_31_DECEMBER),
    ("half", "2025-H2", NAME_ON_31_DECEMBER),
    ("quarter", "2025-Q3", OLD_NAME),
)
FIELDS = {"number": "1-BC/HU", "place": "Lào Cai", "issued_on": datetime.date(2026, 1, 10), "signer_name": "Sơn"}


@pytest.fixture
def moved(tree, people):
    """The move, the meetings and the two campaigns of the module docstring.

    Thôn Hai's 2025 meetings: 10/02 (under D2) scored 40, level Kém; 10/09 (under D1) scored 100, Tốt.
    Thành ủy Một's 2025 plan: Thôn Hai recognized (confirmed, HTXSNV) and the residential cell (open, no
    answers); year ratings 2025: Thôn Hai HTXSNV, the residential cell HTTNV, the school none.
    """
    make_framework(tree.province)
    poor = {key: 0 for key in FULL} | {"2.1": 20, "4.1": 20}
    scored_meeting(tree.other_cell, values=poor, date=datetime.date(2025, 2, 10))
    assign_supervisor(tree.other_cell, people.sam)
    cell_services.organization_move(
        organization=tree.other_cell, new_parent=tree.grassroots, effective_on=MOVED_ON, acting_user=None
    )
    scored_meeting(tree.other_cell, date=datetime.date(2025, 9, 10))
    cell_services.organization_rename(
        organization=tree.other_cell, new_name=NAME_ON_31_DECEMBER, effective_on=RENAMED_ON, acting_user=None
    )

    campaign = builders.campaign(tree, code="KH-2025", year=2025, registration_deadline=datetime.date(2025, 2, 25))
    recognized = builders.participant(campaign, tree.other_cell)
    Registration.objects.filter(pk=recognized.pk).update(
        confirmed_at=timezone.now(),
        level_code="dat",
        failed="",
        result=Result.DAT,
        outcome=Outcome.RECOGNIZED_NEW,
        year_rating="HTXSNV",
    )
    builders.participant(campaign, tree.cell)
    YearRating.objects.create(organization=tree.other_cell, year=2025, rating="HTXSNV")
    YearRating.objects.create(organization=tree.cell, year=2025, rating="HTTNV")
    CampaignTarget.objects.create(campaign=campaign, metric="recognized_new", org_level=Level.CELL, value=1)
    CampaignTarget.objects.create(campaign=campaign, metric="rated_share", rating="HTTNV", value=50)
    CampaignTarget.objects.create(campaign=campaign, metric="recognized_share", value=30)
    other = builders.campaign(
        tree,
        builders.four_good_framework(tree.other_district, code="4T-D2"),
        code="KH-D2-2025",
        owner=tree.other_district,
        year=2025,
        registration_deadline=datetime.date(2025, 2, 25),
    )
    CampaignTarget.objects.create(campaign=other, metric="rated_share", rating="HTTNV", value=50)

    # 2026: today's tree differs from 31 December 2025 in place, level and name.
    cell_services.organization_move(
        organization=tree.other_cell,
        new_parent=tree.other_district,
        effective_on=datetime.date(2026, 3, 1),
        acting_user=None,
    )
    cell_services.organization_rename(
        organization=tree.other_cell, new_name=NAME_TODAY, effective_on=datetime.date(2026, 4, 1), acting_user=None
    )
    tree.other_cell.refresh_from_db()
    assert (tree.other_cell.level, tree.other_cell.parent_id) == (Level.GRASSROOTS_CELL, tree.other_district.pk)
    return campaign


def _export(tmp_path, *args) -> list[tuple]:
    target = tmp_path / "export.xlsx"
    call_command("export_workbook", *args, "-o", str(target), stdout=io.StringIO())
    sheet = load_workbook(target).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_ranking_export_of_the_year_lists_the_moved_cell_once_where_it_stood_on_31_december(tree, moved, tmp_path):
    residential = CellType.objects.get(code="residential")
    # Thôn Hai: 12 months expected (it existed on the first day of each, under one committee or the other),
    # both its meetings, (40 + 100) / 2 = 70.00, level Khá (≥ 70; Tốt needs 90); the other two held none.
    assert _export(tmp_path, "--sheet", "ranking", "--org", "D1", "--period", "2025") == [
        ("org_code", "name", "cell_type", "meetings_expected", "meetings_held", "thematic_held",
         "average_points", "level", "rank"),
        ("C3", NAME_ON_31_DECEMBER, residential.code, 12, 2, 0, 70, "kha", 1),
        ("C1", "Chi bộ Tổ dân phố số 3", "residential", 12, 0, 0, None, None, None),
        ("C2", "Chi bộ Trường Tiểu học", "public_service", 12, 0, 0, None, None, None),
    ]  # fmt: skip
    # Its former committee's year has no row of it (not six months, not any).
    assert _export(tmp_path, "--sheet", "ranking", "--org", "D2", "--period", "2025")[1:] == []
    # The province's: once.
    province = _export(tmp_path, "--sheet", "ranking", "--org", "P", "--period", "2025")
    assert [row for row in province if row[0] == "C3"] == [
        ("C3", NAME_ON_31_DECEMBER, "residential", 12, 2, 0, 70, "kha", 1)
    ]
    # A period ending before the move: it stood in its former commune, named as it was then.
    assert _export(tmp_path, "--sheet", "ranking", "--org", "G2", "--period", "2025-Q2")[1:] == [
        ("C3", "Chi bộ Thôn Hai", "residential", 3, 0, 0, None, None, None)
    ]
    # The quarter the move fell in: where it stood on 30 September, three months expected, the September meeting.
    assert _export(tmp_path, "--sheet", "ranking", "--org", "G1", "--period", "2025-Q3")[1] == (
        "C3", "Chi bộ Thôn Hai", "residential", 3, 1, 0, 100, "tot", 1
    )  # fmt: skip


def test_the_ranking_places_the_moved_cell_under_its_parent_of_31_december(tree, moved):
    rows = [row for row in ranking(tree.province, Period.parse("2025")).rows if row.org_code == "C3"]
    assert [(row.parent_id, row.meetings_expected, row.meetings_held) for row in rows] == [(tree.grassroots.pk, 12, 2)]
    assert ranking(tree.other_district, Period.parse("2025")).rows == []


def test_the_campaign_results_export_names_and_levels_the_moved_cell_as_on_31_december(tree, moved, tmp_path):
    rows = _export(tmp_path, "--sheet", "campaign_results", "--campaign", "KH-2025")
    assert rows[0] == (
        "org_code", "name", "org_level", "cell_type", "total_points", "level", "year_rating", "result", "failed",
        "status",
    )  # fmt: skip
    assert [row for row in rows if row[0] == "C3"] == [
        ("C3", NAME_ON_31_DECEMBER, "cell", "residential", None, "dat", "HTXSNV", "dat", None, "recognized_new")
    ]
    assert [row[0] for row in rows[1:]] == ["C1", "C3"]


def test_the_targets_export_counts_the_moved_cell_where_and_as_it_stood_on_31_december(tree, moved, tmp_path):
    # recognized_new of cells: Thôn Hai was a cell on 31 December 2025 (a grassroots cell only in 2026): 1.
    # Thành ủy Một's cells in 2025 by the history rule: the residential cell, the school and Thôn Hai.
    # rated_share HTTNV or better: the residential cell (HTTNV) and Thôn Hai (HTXSNV): 2 of 3 = 66.67.
    # recognized_share: Thôn Hai: 1 of 3 = 33.33.
    assert _export(tmp_path, "--sheet", "targets", "--campaign", "KH-2025") == [
        ("metric", "cell_type", "org_level", "comparator", "value", "rating", "actual", "met"),
        ("rated_share", None, None, ">=", 50, "HTTNV", 66.67, "yes"),
        ("recognized_new", None, "cell", ">=", 1, None, 1, "yes"),
        ("recognized_share", None, None, ">=", 30, None, 33.33, "yes"),
    ]
    # Huyện ủy Hai had no cell left on 31 December 2025: none counted (not Thôn Hai's 100%).
    assert _export(tmp_path, "--sheet", "targets", "--campaign", "KH-D2-2025")[1:] == [
        ("rated_share", None, None, ">=", 50, "HTTNV", 0, "no"),
    ]


def _period(kind) -> tuple[Period, str]:
    """The kind's period for these tests, and the moved cell's name on the period's last day."""
    return next((Period.parse(code), name) for span, code, name in PERIODS if span in get_kind(kind).periods)


def _document(kind, org):
    with translation.override("vi"):
        return build_document(
            kind_code=kind, organization=org, period=_period(kind)[0], fields=FIELDS, today=datetime.date(2026, 12, 7)
        )


def _rows_naming(document, text) -> list[list]:
    """Every table row (and title or paragraph, as a one-item row) that mentions ``text``."""
    found = [[document.header.title]] if text in document.header.title else []
    for section in document.sections:
        for block in section.blocks:
            if hasattr(block, "rows"):
                found += [row for row in block.rows if any(text in str(cell) for cell in row)]
            elif text in getattr(block, "text", ""):
                found.append([block.text])
    return found


def _table(document, caption_start) -> object:
    return next(table for _section, table in document.tables() if table.caption.startswith(caption_start))


@pytest.mark.parametrize("kind", [kind.code for kind in all_kinds()])
def test_every_report_of_the_period_shows_the_moved_cell_once_in_its_committee_of_31_december(tree, moved, kind):
    mine, former = _document(kind, tree.district), _document(kind, tree.other_district)
    name_then = _period(kind)[1]
    assert _rows_naming(former, "Thôn Hai") == []
    # Named as on the period's last day: not as today, not as before.
    assert _rows_naming(mine, NAME_TODAY) == []
    for _section, table in mine.tables():
        rows = [row for row in table.rows if any("Thôn Hai" in str(cell) for cell in row)]
        assert len(rows) <= 1, (table.caption, rows)
        assert all(name_then in row for row in rows), (table.caption, rows)
    if kind != "committee_completeness":  # it lists only the cells with vacancies; Thôn Hai has none
        assert _rows_naming(mine, name_then), kind


def test_the_meeting_reports_expect_every_month_of_the_period_of_the_moved_cell(tree, moved):
    # Q3 2025: three cells under the ward, three months each; Thôn Hai's September meeting is the one held.
    table = _table(_document("quarterly", tree.district), "Bảng 1")  # by subordinate organisation
    assert table.rows == [["Đảng ủy phường Một", 3, 1, 9, pytest.approx(1 / 9), 0, 3]]
    assert _table(_document("quarterly", tree.other_district), "Bảng 1").rows == []
    # The second half: six months each.
    assert _table(_document("six_month", tree.district), "Bảng 1").rows[0][1:4] == [3, 1, 18]
    # The year's ranking: Thôn Hai first with both its meetings, placed under the ward.
    ranking_rows = _table(_document("ranking", tree.district), "Xếp hạng").rows
    assert ranking_rows[0][:3] == [1, NAME_ON_31_DECEMBER, "Đảng ủy phường Một"]
    assert ranking_rows[0][4:6] == [2, Decimal("70.00")]
    # The year's supervision: sam's assignment, with both the year's meetings (submitted, waiting).
    supervision = _table(_document("supervision", tree.district), "Giám sát").rows
    assert [row[1] for row in supervision] == [NAME_ON_31_DECEMBER]
    assert supervision[0][4:] == [2, 0, 0, 2]
    assert _table(_document("supervision", tree.other_district), "Giám sát").rows == []
