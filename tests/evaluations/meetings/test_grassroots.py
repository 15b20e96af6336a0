"""Grassroots party organisations' own meetings (WORKBOOK v3, seed 003 items 2.2.1 and 2.2.2): committee and
general meetings recorded by the organisation's office, appraised by the committee above, never the same
person; their ranking (``--level grassroots``) and compliance."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cells.models import AuditEntry, Level, Role
from cells.periods import Period
from cells.workbook.exporter import run_export
from cells.workbook.importer import run_import
from cells.workbook.registry import ExportRequest
from criteria.models import Framework
from evaluations.meetings import selectors, services
from evaluations.meetings.models import Meeting, MeetingStatus
from tests.factories import UserFactory, assign, make_org

from .helpers import FULL, make_framework, make_meeting

pytestmark = pytest.mark.django_db


def _score_post(prefix, values, **extra):
    return {f"{prefix}_{code.replace('.', '_')}": value for code, value in values.items()} | extra


@pytest.fixture
def rubrics(tree):
    """A cell rubric, and the grassroots rubrics: one for committee meetings, one for general meetings
    (a framework for "party organisation meetings", as seed 003's 2.2.2)."""
    cells = make_framework(tree.province, "SH-CB")
    Framework.objects.filter(pk=cells.pk).update(meeting_kind="regular", org_levels=["cell", "grassroots_cell"])
    committee = make_framework(tree.province, "SH-DU")
    general = make_framework(tree.province, "SH-DB")
    Framework.objects.filter(pk=committee.pk).update(meeting_kind="committee", org_levels=["grassroots", "partial"])
    Framework.objects.filter(pk=general.pk).update(meeting_kind="organization", org_levels=["grassroots", "partial"])
    return {"cell": cells, "committee": committee, "general": general}


@pytest.fixture
def office(tree):
    """gina works in the office of the ward's party committee (staff of the grassroots organisation)."""
    gina = UserFactory(username="gina")
    assign(gina, tree.grassroots, Role.STAFF)
    return gina


def _record_post(kind="committee", date="2024-03-05", **extra):
    return {
        "kind": kind,
        "date": date,
        "duration_minutes": "120",
        "members_total": "9",
        "members_present": "8",
        "members_excused": "1",
        "members_unexcused": "0",
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Nghị quyết tháng 3 của Đảng ủy",
        "agenda-0-votes_for": "8",
        "agenda-0-votes_against": "0",
        "agenda-0-votes_abstain": "0",
        **extra,
    }


def test_the_office_records_and_self_assesses_the_committee_above_appraises(client, tree, people, rubrics, office):
    client.force_login(office)
    url = reverse("evaluations:meetings:create", args=[tree.grassroots.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    # The kinds a grassroots organisation holds, by their labels; a cell's kinds are not offered.
    assert 'value="committee"' in body and 'value="general"' in body and 'value="regular"' not in body
    response = client.post(url, _record_post())
    meeting = Meeting.objects.get()
    assert response.url == reverse("evaluations:meetings:assess", args=[meeting.pk])
    assert (meeting.kind, meeting.framework, meeting.members_total, meeting.members_present) == (
        "committee",
        rubrics["committee"],
        9,
        8,
    )
    client.post(
        reverse("evaluations:meetings:assess", args=[meeting.pk]), _score_post("c", {**FULL, "3.2": 15}, submit="1")
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.self_total) == (MeetingStatus.SUBMITTED, Decimal(95))

    # Its own office never appraises it: not in its queue, and the appraisal page is not found.
    assert meeting not in selectors.appraisal_queue(office)
    assert client.get(reverse("evaluations:meetings:appraise", args=[meeting.pk])).status_code == 404
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service, whatever the page
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=office)

    # The committee above (the district's staff) appraises it, with a reason for the change.
    client.force_login(people.alice)
    assert meeting in selectors.appraisal_queue(people.alice)
    appraise = reverse("evaluations:meetings:appraise", args=[meeting.pk])
    client.post(appraise, _score_post("a", {**FULL, "3.2": 10}, r_3_2="Thảo luận chưa sâu"))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.final_total, meeting.appraised_by) == (
        MeetingStatus.APPRAISED,
        Decimal(90),
        people.alice,
    )
    actions = set(AuditEntry.objects.filter(object_id=str(meeting.pk)).values_list("action", flat=True))
    assert {"meeting.create", "meeting.submit", "meeting.appraise"} <= actions
    # The office does not reopen what the committee above appraised.
    client.force_login(office)
    assert client.get(reverse("evaluations:meetings:reopen", args=[meeting.pk])).status_code == 404


def test_whoever_recorded_it_does_not_appraise_it_even_from_above(tree, people, rubrics):
    meeting = services.recording.meeting_create(
        organization=tree.grassroots, kind="general", date=datetime.date(2024, 6, 20), acting_user=people.alice
    )
    assert meeting.framework == rubrics["general"]
    services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=None)
    with pytest.raises(ValidationError):
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.alice)
    assert meeting not in selectors.appraisal_queue(people.alice)


def test_kinds_follow_the_level(client, tree, people, rubrics, office):
    with pytest.raises(ValidationError) as refused:
        make_meeting(tree.grassroots, kind="regular")
    assert "kind" in refused.value.error_dict
    with pytest.raises(ValidationError):
        make_meeting(tree.cell, kind="committee")
    with pytest.raises(ValidationError):
        make_meeting(tree.district, kind="committee")
    client.force_login(people.alice)
    assert client.get(reverse("evaluations:meetings:create", args=[tree.district.pk])).status_code == 404
    # Outside the scope the organisation is not found at all.
    client.force_login(people.charlie)
    assert client.get(reverse("evaluations:meetings:create", args=[tree.grassroots.pk])).status_code == 404
    # A partial committee holds them too, under its own rubric for its level.
    partial = make_org("Đảng bộ bộ phận Khu 1", Level.PARTIAL, tree.grassroots, code="PB1")
    assert make_meeting(partial, kind="committee").framework == rubrics["committee"]


# --- Ranking (WORKBOOK v3 --level grassroots) -----------------------------------------------------------


def _scored(org, date, kind, values, appraiser=None):
    meeting = make_meeting(org, date=date, kind=kind)
    return services.recording.meeting_self_assess(meeting=meeting, values=values, submit=True, acting_user=None)


def _with_total(total):
    """FULL with 3.2 lowered to reach ``total`` (3.2 is not a key criterion)."""
    return {**FULL, "3.2": 20 - (100 - total)}


@pytest.fixture
def year_of_meetings(tree, rubrics):
    """Q1 2024. G1: committee meetings of 85 (Jan) and 95 (Feb), a general meeting of 80 (Mar), and a draft
    committee meeting in March (held, not scored). G2: one committee meeting of 90. PB1, a partial committee
    under G1 created before the year: nothing."""
    partial = make_org("Đảng bộ bộ phận Khu 1", Level.PARTIAL, tree.grassroots, code="PB1")
    _scored(tree.grassroots, datetime.date(2024, 1, 8), "committee", _with_total(85))
    _scored(tree.grassroots, datetime.date(2024, 2, 6), "committee", _with_total(95))
    _scored(tree.grassroots, datetime.date(2024, 3, 12), "general", _with_total(80))
    make_meeting(tree.grassroots, date=datetime.date(2024, 3, 5), kind="committee")
    _scored(tree.other_grassroots, datetime.date(2024, 1, 9), "committee", FULL | {"3.2": 10})
    # A cell meeting never counts in the grassroots ranking.
    _scored(tree.cell, datetime.date(2024, 1, 10), "regular", FULL)
    return partial


def test_the_grassroots_ranking_counts_committee_and_general_meetings(tree, year_of_meetings):
    result = selectors.ranking(tree.province, Period.parse("2024-Q1"), org_level="grassroots")
    rows = {row.org_code: row for row in result.rows}
    assert [row.org_code for row in result.rows] == ["G2", "G1", "PB1"]
    g1, g2, pb1 = rows["G1"], rows["G2"], rows["PB1"]
    # G1: 3 committee meetings held (the draft counts as held), 1 general; (85 + 95 + 80) / 3 = 86.67.
    assert (g1.meetings_expected, g1.meetings_held, g1.thematic_held, g1.general_held) == (3, 3, 0, 1)
    assert (g1.average_points, g1.level, g1.rank, g1.cell_type) == (Decimal("86.67"), "kha", 2, "")
    assert (g2.meetings_held, g2.general_held, g2.average_points, g2.level, g2.rank) == (
        1,
        0,
        Decimal("90.00"),
        "tot",
        1,
    )
    assert (pb1.meetings_expected, pb1.meetings_held, pb1.average_points, pb1.rank) == (3, 0, None, None)
    # The cells' ranking is unchanged beside it.
    cells = selectors.ranking(tree.province, Period.parse("2024-Q1"))
    assert {row.org_code for row in cells.rows} == {"C1", "C2", "C3"}


def test_export_workbook_ranking_level_grassroots(tmp_path, tree, people, year_of_meetings):
    path = tmp_path / "ranking.xlsx"
    run_export(ExportRequest(user=people.alice, sheet="ranking", org="D1", period="2024-Q1", level="grassroots"), path)
    sheet = load_workbook(path)["ranking"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "org_code",
        "name",
        "cell_type",
        "meetings_expected",
        "meetings_held",
        "thematic_held",
        "general_held",
        "average_points",
        "level",
        "rank",
    ]
    # Under the district only G1 and its partial committee: G2 lies in the other district.
    assert [row[0] for row in rows[1:]] == ["G1", "PB1"]
    assert rows[1][3:] == [3, 3, 0, 1, 86.67, "kha", 1]
    assert rows[2][3:] == [3, 0, 0, 0, None, None, None]


def test_the_ranking_page_switches_to_grassroots_organisations(client, tree, people, year_of_meetings):
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:ranking")
    page = client.get(url, {"org": tree.district.pk, "period": "2024-Q1", "level": "grassroots"})
    body = page.content.decode()
    assert tree.grassroots.name in body and "86,67" in body and tree.cell.name not in body
    cells = client.get(url, {"org": tree.district.pk, "period": "2024-Q1"}).content.decode()
    assert tree.cell.name in cells and "86,67" not in cells


# --- Compliance ------------------------------------------------------------------------------------------


def test_compliance_flags_months_without_a_committee_meeting_and_too_few_general_meetings(tree, rubrics):
    for month in (1, 2, 4):
        make_meeting(tree.grassroots, date=datetime.date(2024, month, 5), kind="committee")
    make_meeting(tree.grassroots, date=datetime.date(2024, 3, 20), kind="general")
    make_meeting(tree.grassroots, date=datetime.date(2024, 9, 20), kind="general")
    rows = selectors.grassroots_compliance(tree.district, 2024, today=datetime.date(2024, 5, 15))
    assert [row.code for row in rows] == ["G1"]
    g1 = rows[0]
    # January to April have gone by; March had none. Two general meetings: enough.
    assert (g1.missing_months, g1.committee_total, g1.general_held, g1.general_short) == ([3], 3, 2, False)
    # G2: one general meeting in the year is one short of two; no committee meeting in a year gone by.
    make_meeting(tree.other_grassroots, date=datetime.date(2024, 7, 1), kind="general")
    other = selectors.grassroots_compliance(tree.other_district, 2024, today=datetime.date(2025, 1, 2))[0]
    assert (other.missing_months, other.general_held, other.general_short) == (list(range(1, 13)), 1, True)


# --- The v3 meetings sheets --------------------------------------------------------------------------------


def _book(tmp_path, meetings, scores, name="book.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "meetings"
    for row in meetings:
        ws.append(row)
    ws2 = wb.create_sheet("meeting_scores")
    for row in scores:
        ws2.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


MEETINGS = [
    ["org_code", "date", "kind", "framework_code", "topic", "members_total", "members_present", "members_excused"],
    ["G1", "05/03/2024", "committee", "SH-DU", None, 9, 8, 1],
    ["G1", "2024-06-20", "general", "SH-DB", None, 120, 110, 6],
]
SELF = [["org_code", "date", "kind", "criterion_code", "self_points"]] + [
    ["G1", "05/03/2024", "committee", code, points] for code, points in FULL.items()
]
APPRAISED = [["org_code", "date", "kind", "criterion_code", "appraised_points"]] + [
    ["G1", "05/03/2024", "committee", "3.2", 12]
]


def test_a_v3_workbook_of_committee_and_general_meetings_imports_twice_without_change(
    tmp_path, tree, people, rubrics, office
):
    path = _book(tmp_path, MEETINGS, SELF)
    result = run_import(path, user=office)
    assert result.ok, result.errors
    committee = Meeting.objects.get(kind="committee")
    general = Meeting.objects.get(kind="general")
    assert (committee.framework, committee.status, committee.self_total) == (
        rubrics["committee"],
        MeetingStatus.SUBMITTED,
        Decimal(100),
    )
    assert (general.framework, general.members_total, general.members_present) == (rubrics["general"], 120, 110)
    again = run_import(path, user=office)
    assert again.ok and all(s.created == 0 and s.updated == 0 for s in again.sheets)
    # Its own office may not bring in the appraisal; the committee above may.
    appraisal = _book(tmp_path, MEETINGS, APPRAISED, "appraisal.xlsx")
    assert not run_import(appraisal, user=office).ok
    assert run_import(appraisal, user=people.alice).ok
    committee.refresh_from_db()
    assert (committee.status, committee.final_total) == (MeetingStatus.APPRAISED, Decimal(92))


def test_a_wrong_kind_for_the_level_writes_nothing(tmp_path, tree, people, rubrics):
    meetings = MEETINGS + [["C1", "06/03/2024", "committee", "SH-DU", None, 9, 8, 1]]
    result = run_import(_book(tmp_path, meetings, SELF), user=people.alice)
    assert not result.ok
    assert any(error.sheet == "meetings" and error.row == 4 for error in result.errors)
    assert Meeting.objects.count() == 0


def test_the_grassroots_level_reads_the_rollups_of_the_committee_meetings_rubric(tree, rubrics, year_of_meetings):
    from criteria.models import RollupLevel

    # On the general meetings' rubric: never read (the latest committee meeting's rubric is).
    RollupLevel.objects.create(framework=rubrics["general"], period="quarter", code="kem", rank=1)
    RollupLevel.objects.create(
        framework=rubrics["committee"], period="quarter", code="tot", rank=1, count_level="tot", min_count=1
    )
    RollupLevel.objects.create(framework=rubrics["committee"], period="quarter", code="kha", rank=2)
    g1 = next(
        row
        for row in selectors.ranking(tree.district, Period.parse("2024-Q1"), org_level="grassroots").rows
        if row.org_code == "G1"
    )
    # February's committee meeting was Tốt (95): one is enough, though the average (86.67) is Khá.
    assert (g1.rollup, g1.level, g1.rank) == (True, "tot", 1)
