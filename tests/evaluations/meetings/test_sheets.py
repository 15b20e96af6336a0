"""The meetings and meeting_scores sheets in, the ranking sheet out (WORKBOOK.md)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from cells.workbook.importer import run_import
from evaluations.meetings.models import Meeting, MeetingStatus

from .helpers import FULL, scored_meeting

pytestmark = pytest.mark.django_db


def _book(tmp_path, meetings, scores):
    wb = Workbook()
    ws = wb.active
    ws.title = "meetings"
    for row in meetings:
        ws.append(row)
    ws2 = wb.create_sheet("meeting_scores")
    for row in scores:
        ws2.append(row)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


MEETINGS = [
    ["org_code", "date", "kind", "framework_code", "topic", "members_total", "members_present", "members_excused"],
    ["C1", "05/03/2024", "regular", "SH-TEST", None, 20, 18, 2],
    ["C1", "2024-03-20", "thematic", "SH-TEST", "Giáo dục truyền thống cách mạng", 20, 17, 1],
]
SCORES = [["org_code", "date", "kind", "criterion_code", "self_points", "appraised_points"]] + [
    ["C1", "05/03/2024", "regular", code, points, 10 if code == "3.2" else None]
    for code, points in FULL.items()
    if code != "1.2"
]


# The cell's own values, as its secretary (or staff for it) brings them in; the appraisal comes from someone else.
SELF_SCORES = [row[:5] + [None] for row in SCORES[:1]] + [[*row[:5], None] for row in SCORES[1:]]
SELF_SCORES[0] = SCORES[0]


@pytest.fixture
def root(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")


def _import_recorded_then_appraised(tmp_path, people, root):
    assert run_import(_book(tmp_path, MEETINGS, SELF_SCORES), user=people.alice).ok
    path = _book(tmp_path, MEETINGS, SCORES)
    result = run_import(path, user=root)
    assert result.ok, result.errors
    return path


def test_a_year_of_paper_score_sheets_imports_and_reimports_unchanged(tmp_path, tree, people, framework, root):
    path = _import_recorded_then_appraised(tmp_path, people, root)
    meeting = Meeting.objects.get(kind="regular")
    assert (meeting.self_total, meeting.final_total, meeting.status) == (
        Decimal(95),  # 1.2 is not in the sheet: a scored leaf with no answer has 0 points
        Decimal(85),
        MeetingStatus.APPRAISED,
    )
    assert Meeting.objects.get(kind="thematic").topic.code == "truyen-thong"
    again = run_import(path, user=people.alice)
    assert again.ok
    assert all(s.created == 0 and s.updated == 0 for s in again.sheets)


def test_a_wrong_row_writes_nothing_and_says_where(tmp_path, tree, people, framework):
    scores = SCORES + [
        ["C1", "05/03/2024", "regular", "9.9", 5, None],
        ["C1", "05/03/2024", "regular", "1.2", 6, None],
    ]
    result = run_import(_book(tmp_path, MEETINGS, scores), user=people.alice)
    assert {(e.sheet, e.column) for e in result.errors} - {("meeting_scores", "appraised_points")} == {
        ("meeting_scores", "criterion_code"),
        ("meeting_scores", "self_points"),
    }
    assert not Meeting.objects.exists()


def test_an_outsider_cannot_import_meetings_of_another_subtree(tmp_path, tree, people, framework):
    result = run_import(_book(tmp_path, MEETINGS, SCORES[:1]), user=people.charlie)
    assert result.errors and result.errors[0].column == "org_code"


def test_export_workbook_writes_the_ranking_sheet(tmp_path, tree, people, framework):
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    target = tmp_path / "ranking.xlsx"
    call_command("export_workbook", "--sheet", "ranking", "--org", "D1", "--period", "2024-Q1", "-o", str(target))
    ws = load_workbook(target)["ranking"]
    rows = list(ws.values)
    assert rows[0] == (
        "org_code",
        "name",
        "cell_type",
        "meetings_expected",
        "meetings_held",
        "thematic_held",
        "average_points",
        "level",
        "rank",
    )
    assert rows[1][:4] == ("C1", tree.cell.name, "residential", 3) and rows[1][6:] == (100, "tot", 1)
    assert rows[2][0] == "C2" and rows[2][8] is None


def test_a_changed_row_updates_an_open_meeting_and_is_refused_on_an_appraised_one(
    tmp_path, tree, people, framework, root
):
    _import_recorded_then_appraised(tmp_path, people, root)
    changed = [MEETINGS[0], [*MEETINGS[1][:6], 15, 2], [*MEETINGS[2][:6], 12, 1]]
    result = run_import(_book(tmp_path, changed, SCORES[:1]), user=people.alice)
    assert [(e.sheet, e.row) for e in result.errors] == [("meetings", 2)]
    result = run_import(_book(tmp_path, [MEETINGS[0], MEETINGS[1], changed[2]], SCORES[:1]), user=people.alice)
    assert result.ok and result.sheets[0].updated == 1
    assert Meeting.objects.get(kind="thematic").members_present == 12


def test_a_partly_appraised_score_sheet_keeps_the_cells_own_points(tmp_path, tree, people, framework, root):
    """WORKBOOK v2: the board's sheet names only the items it appraised and leaves self_points empty.
    By hand: self 10+5+20+25+20+20 = 100; appraised 3.2 -> 10 and 4.1 -> 15: final 100 - 10 - 5 = 85."""
    self_rows = [["C1", "05/03/2024", "regular", code, points, None] for code, points in FULL.items()]
    assert run_import(_book(tmp_path, MEETINGS[:2], [SCORES[0], *self_rows]), user=people.alice).ok
    board = [
        SCORES[0],
        ["C1", "05/03/2024", "regular", "3.2", None, 10],
        ["C1", "05/03/2024", "regular", "4.1", None, 15],
    ]
    result = run_import(_book(tmp_path, MEETINGS[:2], board), user=root)
    assert result.ok, result.errors
    meeting = Meeting.objects.get(kind="regular")
    assert (meeting.self_total, meeting.final_total, meeting.status) == (Decimal(100), Decimal(85), "appraised")
    # The cell's sheet again, appraisal column empty: the appraisal stays.
    assert run_import(_book(tmp_path, MEETINGS[:2], [SCORES[0], *self_rows]), user=people.alice).ok
    meeting.refresh_from_db()
    assert meeting.final_total == Decimal(85)
