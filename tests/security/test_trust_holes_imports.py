"""Trust holes of issue 22 in the imports, and the separation of duties of WORKBOOK v3 ("Common rules"):
whoever changed a meeting's self-assessed values (on the assess page, even without "submit", or with a
workbook's ``self_points``) does not appraise it, on the page or in a workbook; an imported
self-assessment counts as submitted; an appraisal of a meeting never submitted is refused; one workbook
brings the self-assessment or the appraisal of a meeting, not both; the command line without ``--user``
is nobody. The page and the sheet go through the same services, so the same rules hold both ways."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cells.models import Role
from cells.workbook.importer import run_import
from cells.workbook.users import command_user
from cells.workbook.writer import WorkbookWriter
from evaluations.campaigns import services as campaign_services
from evaluations.campaigns.models import AnnualAnswer, Registration, RegistrationStatus
from evaluations.meetings import services
from evaluations.meetings.forms import field_name
from evaluations.meetings.models import Meeting, MeetingScore, MeetingStatus, ThematicTopic
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, assign_supervisor, make_framework
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 5)


@pytest.fixture
def draft(tree):
    make_framework(tree.province)
    return services.recording.meeting_create(organization=tree.cell, kind="regular", date=DAY, acting_user=None)


@pytest.fixture
def submitted(draft, people):
    """The cell's secretary self-assessed and submitted the meeting."""
    return services.recording.meeting_self_assess(meeting=draft, values=FULL, submit=True, acting_user=people.sue)


def _scores(path, rows):
    """A workbook with a meeting_scores sheet: rows of (criterion, self_points, appraised_points) of C1's
    regular meeting of 05/03/2024."""
    book = WorkbookWriter()
    book.sheet("meeting_scores").extend([["C1", "05/03/2024", "regular", code, s, a] for code, s, a in rows])
    book.save(path)
    return path


def _import(tmp_path, user, rows, name="s.xlsx"):
    return run_import(_scores(tmp_path / name, rows), user=user)


def _meeting():
    return Meeting.objects.get(date=DAY)


# --- Hole 1: editing the self-assessment makes a self-assessor ----------------------------------


def test_a_draft_save_on_the_assess_page_keeps_its_author_off_the_appraisal(client, tree, people, submitted):
    """The probe: a secretary submits, a staff member changes one item (saved without "submit"), then
    appraises the same meeting: it was accepted and locked."""
    client.force_login(people.alice)
    data = {field_name("c", code): str(points) for code, points in FULL.items()}
    data.update({field_name("c", "1.1"): "4", "version": str(submitted.version)})
    response = client.post(reverse("evaluations:meetings:assess", args=[submitted.pk]), data)
    assert response.status_code == 302
    meeting = _meeting()
    assert meeting.status == MeetingStatus.SUBMITTED and people.alice in meeting.self_assessors.all()
    with pytest.raises(ValidationError, match="người khác phải thẩm định"):
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.alice)
    page = client.post(reverse("evaluations:meetings:appraise", args=[meeting.pk]), {"version": meeting.version})
    assert page.status_code == 302
    assert _meeting().status == MeetingStatus.SUBMITTED and _meeting().appraised_by is None


def test_who_imported_self_points_may_not_import_the_appraisal(tmp_path, tree, people, submitted):
    assert _import(tmp_path, people.alice, [("1.1", 4, None)], "self.xlsx").ok
    result = _import(tmp_path, people.alice, [("1.1", None, 3)], "appraisal.xlsx")
    assert [(e.column, e.row) for e in result.errors] == [("appraised_points", 2)]
    assert "người khác phải thẩm định" in result.errors[0].message
    assert _meeting().status == MeetingStatus.SUBMITTED


def test_an_appraisal_of_a_meeting_never_submitted_is_refused(tmp_path, tree, people, draft):
    """The probe: an import with only appraised_points turned a draft meeting into an appraised one."""
    assign_supervisor(tree.cell, people.sam)
    services.recording.meeting_self_assess(meeting=draft, values=FULL, acting_user=people.sue)  # a draft
    result = _import(tmp_path, people.sam, [("1.1", None, 3)])
    assert [e.column for e in result.errors] == ["appraised_points"]
    assert "chưa gửi" in result.errors[0].message
    assert _meeting().status == MeetingStatus.DRAFT
    assert MeetingScore.objects.get(meeting=draft, code="1.1").appraised_points is None


# --- WORKBOOK v3 separation of duties in imports ------------------------------------------------


def test_an_imported_self_assessment_counts_as_submitted_so_a_later_workbook_appraises_it(
    tmp_path, tree, people, draft
):
    assign_supervisor(tree.cell, people.sam)
    assert _import(tmp_path, people.sue, [(code, points, None) for code, points in FULL.items()], "a.xlsx").ok
    meeting = _meeting()
    assert (meeting.status, meeting.submitted_by) == (MeetingStatus.SUBMITTED, people.sue)
    result = _import(tmp_path, people.sam, [("1.1", None, 3)], "b.xlsx")
    assert result.ok, result.errors
    meeting = _meeting()
    assert (meeting.status, meeting.appraised_by, meeting.final_total) == (MeetingStatus.APPRAISED, people.sam, 93)


def test_the_command_line_without_a_user_is_nobody(tmp_path, tree, people, draft):
    """Two absent users are never the same person: the command line imports the cell's self-assessment,
    then (another paper, another run) its appraisal."""
    nobody = command_user(None)
    assert _import(tmp_path, nobody, [(code, points, None) for code, points in FULL.items()], "a.xlsx").ok
    assert _meeting().status == MeetingStatus.SUBMITTED
    result = _import(tmp_path, command_user(None), [("1.1", None, 3)], "b.xlsx")
    assert result.ok, result.errors
    assert _meeting().status == MeetingStatus.APPRAISED


def test_one_workbook_may_not_bring_both_the_self_assessment_and_the_appraisal(tmp_path, tree, people, draft):
    result = _import(tmp_path, command_user(None), [("1.1", 10, None), ("1.2", None, 3)])
    assert [(e.column, e.row) for e in result.errors] == [("appraised_points", 3)]
    assert _meeting().status == MeetingStatus.DRAFT and not MeetingScore.objects.exists()


def test_who_recorded_the_meeting_may_not_import_its_appraisal(tmp_path, tree, people):
    make_framework(tree.province)
    meeting = services.recording.meeting_create(
        organization=tree.cell, kind="regular", date=DAY, acting_user=people.alice
    )
    services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=people.sue)
    result = _import(tmp_path, people.alice, [("1.1", None, 3)])
    assert [e.column for e in result.errors] == ["appraised_points"]
    assert _meeting().status == MeetingStatus.SUBMITTED


def test_an_assess_page_drawn_before_an_import_refuses_to_save_over_it(client, tmp_path, tree, people, submitted):
    client.force_login(people.sue)
    url = reverse("evaluations:meetings:assess", args=[submitted.pk])
    drawn = submitted.version
    assert f'name="version" value="{drawn}"' in client.get(url).content.decode()
    assert _import(tmp_path, people.alice, [("1.1", 4, None)]).ok
    data = {field_name("c", code): str(points) for code, points in FULL.items()}
    response = client.post(url, {**data, "version": str(drawn)})
    assert response.status_code == 200 and "Người khác đã lưu" in response.content.decode()
    assert MeetingScore.objects.get(meeting=submitted, code="1.1").self_points == 4


# --- The page and the sheet obey one rule ------------------------------------------------------


def _self_assess_by_page(client, user, meeting, tmp_path):
    client.force_login(user)
    data = {field_name("c", code): str(points) for code, points in FULL.items()}
    data.update({field_name("c", "1.2"): "3", "version": str(meeting.version)})
    assert client.post(reverse("evaluations:meetings:assess", args=[meeting.pk]), data).status_code == 302


def _self_assess_by_sheet(client, user, meeting, tmp_path):
    assert _import(tmp_path, user, [("1.2", 3, None)], "self.xlsx").ok


def _appraise_by_page(client, user, meeting, tmp_path) -> bool:
    client.force_login(user)
    meeting = _meeting()
    data = {field_name("a", row.code): str(row.self_points) for row in meeting.scores.all()}
    data.update({field_name("a", "1.1"): "3", field_name("r", "1.1"): "Thiếu tài liệu", "version": meeting.version})
    client.post(reverse("evaluations:meetings:appraise", args=[meeting.pk]), data)
    return _meeting().status == MeetingStatus.APPRAISED


def _appraise_by_sheet(client, user, meeting, tmp_path) -> bool:
    return _import(tmp_path, user, [("1.1", None, 3)], "appraisal.xlsx").ok


@pytest.mark.parametrize("self_assess", [_self_assess_by_page, _self_assess_by_sheet], ids=["page", "sheet"])
@pytest.mark.parametrize("appraise", [_appraise_by_page, _appraise_by_sheet], ids=["page", "sheet"])
def test_who_changed_the_self_assessment_never_appraises_it_however_each_is_done(
    client, tmp_path, tree, people, submitted, self_assess, appraise
):
    self_assess(client, people.alice, submitted, tmp_path)
    assert not appraise(client, people.alice, submitted, tmp_path)
    assert _meeting().status == MeetingStatus.SUBMITTED
    assign_supervisor(tree.cell, people.sam)
    assert appraise(client, people.sam, submitted, tmp_path)
    meeting = _meeting()
    assert (meeting.status, meeting.appraised_by, meeting.final_total) == (MeetingStatus.APPRAISED, people.sam, 91)


# --- Hole 8: one message for "no such code" and "outside your scope" ----------------------------

# (sheet, the row naming something of the other district (D2), the row naming what does not exist,
#  the column, the code named in each row)
UNKNOWN_OR_ELSEWHERE = [
    ("organizations", {"code": "N1", "name": "Chi bộ mới", "parent_code": "G2", "level": "cell",
                       "cell_type": "residential"}, {"code": "N2", "parent_code": "NOPE"}, "parent_code", "G2"),
    ("members", {"org_code": "C3", "member_code": "X-1", "full_name": "Người Lạ"},
     {"org_code": "NOPE", "member_code": "X-2"}, "org_code", "C3"),
    ("frameworks", {"code": "F-NEW", "name": "Bộ mới", "kind": "four_good", "owner_code": "D2"},
     {"code": "F-NEW2", "owner_code": "NOPE"}, "owner_code", "D2"),
    ("criteria", {"framework_code": "4T-D2", "code": "9", "title": "Mới"}, {"framework_code": "NOPE"},
     "framework_code", "4T-D2"),
    ("campaigns", {"code": "KH-NEW", "name": "Mới", "owner_code": "D1", "framework_code": "4T-D2", "year": 2024},
     {"code": "KH-NEW2", "framework_code": "NOPE"}, "framework_code", "4T-D2"),
    ("campaigns", {"code": "KH-NEW", "name": "Mới", "owner_code": "D2", "framework_code": "4T-TEST", "year": 2024},
     {"code": "KH-NEW2", "owner_code": "NOPE"}, "owner_code", "D2"),
    ("registrations", {"campaign_code": "KH-D2", "org_code": "C1"}, {"campaign_code": "NOPE"}, "campaign_code",
     "KH-D2"),
    ("year_ratings", {"org_code": "C3", "year": 2024, "rating": "HTTNV"}, {"org_code": "NOPE"}, "org_code", "C3"),
    ("meetings", {"org_code": "C3", "date": "05/03/2024", "kind": "regular", "framework_code": "SH-TEST"},
     {"org_code": "NOPE"}, "org_code", "C3"),
    ("meeting_scores", {"org_code": "C3", "date": "05/03/2024", "kind": "regular", "criterion_code": "1.1",
                        "self_points": 5}, {"org_code": "C1", "date": "06/03/2024"}, "date", ""),
]  # fmt: skip


@pytest.fixture
def other_district_things(tree):
    make_framework(tree.province)
    services.recording.meeting_create(organization=tree.other_cell, kind="regular", date=DAY, acting_user=None)
    builders.four_good_framework(tree.district, code="4T-TEST")
    other = builders.four_good_framework(tree.other_district, code="4T-D2")
    builders.campaign(tree, other, code="KH-D2", owner=tree.other_district)


@pytest.mark.parametrize(("sheet", "elsewhere", "unknown", "column", "code"), UNKNOWN_OR_ELSEWHERE)
def test_an_import_says_the_same_of_a_code_elsewhere_and_of_no_such_code(
    tmp_path, tree, people, other_district_things, sheet, elsewhere, unknown, column, code
):
    """As pages answer one 404, an import's message for a code of another subtree is word for word the
    one for a code that exists nowhere: it tells nothing of what exists outside the importer's scope."""
    book = WorkbookWriter()
    book.sheet(sheet).extend([elsewhere, {**elsewhere, **unknown}])
    book.save(tmp_path / "b.xlsx")
    result = run_import(tmp_path / "b.xlsx", user=people.alice)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(sheet, 2, column), (sheet, 3, column)]
    named = unknown.get(column, "")
    first, second = result.errors[0].message, result.errors[1].message
    assert first.replace(code, "…") == second.replace(named, "…") if code else first == second


# --- Hole 6: a meeting's key in a workbook names exactly one meeting ----------------------------


def _thematic(cell, date=DAY, subject="Chuyên đề"):
    topic = ThematicTopic.objects.create(code=f"cd-{subject[:10]}", title=subject)
    return services.recording.meeting_create(
        organization=cell, kind="thematic", date=date, topic=topic, subject=subject, acting_user=None
    )


def test_a_second_meeting_of_the_same_kind_the_same_day_is_refused_by_page_service_and_database(client, tree, people):
    """The probe: the pages allowed several thematic meetings of a cell on one day, and a repeat import
    bound a different one of them. One meeting per cell, day and kind is the rule everywhere."""
    make_framework(tree.province)
    _thematic(tree.cell)
    with pytest.raises(ValidationError) as refused:
        _thematic(tree.cell, subject="Chuyên đề thứ hai")
    assert "05/03/2024" in str(refused.value.message_dict["date"])
    client.force_login(people.sue)
    response = client.post(
        reverse("evaluations:meetings:create", args=[tree.cell.pk]),
        {
            "kind": "thematic",
            "date": "2024-03-05",
            "topic": ThematicTopic.objects.first().pk,
            "subject": "Lần nữa",
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "05/03/2024" in response.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.bulk_create([Meeting(organization=tree.cell, kind="thematic", date=DAY, year=2024, month=3)])
    assert Meeting.objects.filter(organization=tree.cell, kind="thematic").count() == 1
    # Another kind the same day, or the same kind another day, is still a meeting of its own.
    _thematic(tree.cell, date=DAY + datetime.timedelta(days=1), subject="Hôm sau")
    services.recording.meeting_create(organization=tree.cell, kind="regular", date=DAY, acting_user=None)


def test_a_repeat_import_binds_the_same_meeting(tmp_path, tree, people):
    make_framework(tree.province)
    meeting = _thematic(tree.cell, subject="Giáo dục truyền thống")
    book = WorkbookWriter()
    book.sheet("meetings").extend([["C1", "05/03/2024", "thematic", "SH-TEST", "Giáo dục truyền thống", 60]])
    book.sheet("meeting_scores").extend([["C1", "05/03/2024", "thematic", "1.1", 8, None]])
    book.save(tmp_path / "m.xlsx")
    for _run in range(2):
        assert run_import(tmp_path / "m.xlsx", user=people.alice).ok
    assert list(Meeting.objects.filter(kind="thematic")) == [meeting]
    assert MeetingScore.objects.get(meeting=meeting, code="1.1").self_points == 8


# --- Annual answers and registrations: the page and the sheet obey one rule ---------------------


@pytest.fixture
def participant(tree):
    campaign = builders.campaign(tree, min_year_rating="")
    return builders.participant(campaign, tree.cell)


def _answers_book(path, rows):
    book = WorkbookWriter()
    book.sheet("annual_results").extend([["KH-2024", "C1", *row] for row in rows])
    book.save(path)
    return path


def _annual_self_by_page(client, user, registration, tmp_path):
    client.force_login(user)
    one_one = builders.criterion(registration, "1.1")
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    version = client.get(url).context["version"]
    assert client.post(url, {f"a_{one_one.pk}": "1", "version": version}).status_code == 302


def _annual_self_by_sheet(client, user, registration, tmp_path):
    assert run_import(_answers_book(tmp_path / "self.xlsx", [["1.1", None, "có"]]), user=user).ok


def _annual_appraise_by_page(client, user, registration, tmp_path) -> bool:
    client.force_login(user)
    one_one = builders.criterion(registration, "1.1")
    url = reverse("evaluations:registration_appraise", args=[registration.pk])
    client.post(url, {f"aa_{one_one.pk}": "0", f"r_{one_one.pk}": "Chưa đủ minh chứng"})
    return AnnualAnswer.objects.get(registration=registration, criterion=one_one).appraised_achieved is False


def _annual_appraise_by_sheet(client, user, registration, tmp_path) -> bool:
    path = _answers_book(tmp_path / "appraisal.xlsx", [["1.1", None, None, None, "không"]])
    return run_import(path, user=user).ok


@pytest.mark.parametrize("self_assess", [_annual_self_by_page, _annual_self_by_sheet], ids=["page", "sheet"])
@pytest.mark.parametrize("appraise", [_annual_appraise_by_page, _annual_appraise_by_sheet], ids=["page", "sheet"])
def test_who_self_assessed_an_annual_result_never_appraises_it_however_each_is_done(
    client, tmp_path, tree, people, participant, self_assess, appraise
):
    self_assess(client, people.alice, participant, tmp_path)
    assert not appraise(client, people.alice, participant, tmp_path)
    colleague = UserFactory(username="colleague")
    assign(colleague, tree.district, Role.STAFF)
    assert appraise(client, colleague, participant, tmp_path)
    participant.refresh_from_db()
    assert participant.self_assessed_by == people.alice


def test_an_annual_page_drawn_before_an_import_refuses_to_save_over_it(client, tmp_path, tree, people, participant):
    client.force_login(people.sue)
    url = reverse("evaluations:registration_assess", args=[participant.pk])
    drawn = client.get(url).context["version"]
    assert run_import(_answers_book(tmp_path / "a.xlsx", [["1.1", None, "không"]]), user=people.alice).ok
    one_one = builders.criterion(participant, "1.1")
    response = client.post(url, {f"a_{one_one.pk}": "1", "version": drawn})
    assert response.status_code == 200 and "Người khác đã lưu" in response.content.decode()
    assert AnnualAnswer.objects.get(registration=participant, criterion=one_one).self_achieved is False


def test_a_confirmed_result_changes_neither_on_the_page_nor_from_a_sheet(client, tmp_path, tree, people, participant):
    _annual_self_by_page(client, people.sue, participant, tmp_path)
    colleague = UserFactory(username="colleague")
    assign(colleague, tree.district, Role.STAFF)
    campaign_services.answers.registration_confirm(registration=participant, acting_user=colleague)
    result = run_import(_answers_book(tmp_path / "late.xlsx", [["1.2", None, "có"]]), user=people.alice)
    assert [e.column for e in result.errors] == ["self_points"] and "xác nhận" in result.errors[0].message
    client.force_login(people.alice)
    one_two = builders.criterion(participant, "1.2")
    client.post(reverse("evaluations:registration_assess", args=[participant.pk]), {f"a_{one_two.pk}": "1"})
    assert not AnnualAnswer.objects.filter(registration=participant, criterion=one_two, self_achieved=True).exists()


def test_the_plans_own_committee_never_registers_on_the_page_nor_from_a_sheet(tmp_path, tree, people):
    """Cells and grassroots organisations under the plan's committee register (issue 23); the committee
    that issued the plan does not, by the page or by a sheet, with the same message."""
    campaign = builders.campaign(tree, min_year_rating="")
    with pytest.raises(ValidationError) as page:
        campaign_services.registration.registration_submit(
            campaign=campaign,
            organization=tree.district,
            survey_report="",
            expected_completion=None,
            acting_user=people.alice,
            today=datetime.date(2024, 2, 1),
        )
    book = WorkbookWriter()
    book.sheet("registrations").extend([["KH-2024", "D1", None, "approved"]])
    book.save(tmp_path / "r.xlsx")
    result = run_import(tmp_path / "r.xlsx", user=people.alice)
    assert [e.message for e in result.errors] == page.value.messages
    assert not Registration.objects.exists()


def test_a_decided_registration_changes_neither_by_the_page_nor_by_a_sheet(client, tmp_path, tree, people):
    campaign = builders.campaign(tree, min_year_rating="")
    registration = builders.participant(campaign, tree.cell, status=RegistrationStatus.REJECTED)
    with pytest.raises(ValidationError):
        campaign_services.registration.registration_decide(
            registration=registration, decision="approve", acting_user=people.alice
        )
    book = WorkbookWriter()
    book.sheet("registrations").extend([["KH-2024", "C1", None, "approved"]])
    book.save(tmp_path / "r.xlsx")
    result = run_import(tmp_path / "r.xlsx", user=people.alice)
    assert [e.column for e in result.errors] == ["status"]
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.REJECTED


def test_whoever_changed_an_annual_answer_stays_off_its_appraisal_after_someone_else_changes_another(
    client, tmp_path, tree, people, participant
):
    """Hole 1 for the year's results: the last self-assessor used to be the only one kept, so the first
    could appraise once a colleague had changed another item."""
    _annual_self_by_page(client, people.alice, participant, tmp_path)
    colleague = UserFactory(username="colleague")
    assign(colleague, tree.district, Role.STAFF)
    assert run_import(_answers_book(tmp_path / "more.xlsx", [["1.2", None, "có"]]), user=colleague).ok
    for who in (people.alice, colleague):
        assert not _annual_appraise_by_sheet(client, who, participant, tmp_path)
        assert not _annual_appraise_by_page(client, who, participant, tmp_path)
    third = UserFactory(username="third")
    assign(third, tree.district, Role.STAFF)
    assert _annual_appraise_by_page(client, third, participant, tmp_path)


def _registrations_book(path, rows):
    book = WorkbookWriter()
    book.sheet("registrations").extend(rows)
    book.save(path)
    return path


def test_whoever_submitted_a_registration_decides_it_neither_on_the_page_nor_from_a_sheet(tmp_path, tree, people):
    campaign = builders.campaign(tree, min_year_rating="")
    registration = campaign_services.registration.registration_submit(
        campaign=campaign,
        organization=tree.cell,
        survey_report="Khảo sát",
        expected_completion=None,
        acting_user=people.alice,
        today=datetime.date(2024, 2, 1),
    )
    with pytest.raises(ValidationError) as page:
        campaign_services.registration.registration_decide(
            registration=registration, decision="approve", acting_user=people.alice
        )
    result = run_import(
        _registrations_book(tmp_path / "r.xlsx", [["KH-2024", "C1", None, "approved"]]), user=people.alice
    )
    assert [e.message for e in result.errors] == page.value.messages
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.SUBMITTED


def test_the_selection_cap_holds_for_a_sheet_as_on_the_page(tmp_path, tree, people):
    campaign = builders.campaign(tree, min_year_rating="", selection_cap=1)
    builders.participant(campaign, tree.cell)  # the grassroots committee's one selected cell
    school = builders.participant(campaign, tree.school, status=RegistrationStatus.SUBMITTED)
    with pytest.raises(ValidationError) as page:
        campaign_services.registration.registration_decide(
            registration=school, decision="approve", acting_user=people.alice
        )
    result = run_import(
        _registrations_book(tmp_path / "r.xlsx", [["KH-2024", "C2", None, "approved"]]), user=people.alice
    )
    assert [e.message for e in result.errors] == page.value.messages
    assert Registration.objects.get(pk=school.pk).status == RegistrationStatus.SUBMITTED


def test_an_imported_approval_is_the_boards_decision_audited_and_told_to_the_cell(tmp_path, tree, people):
    from cells.models import AuditEntry, Notification

    builders.campaign(tree, min_year_rating="")
    result = run_import(
        _registrations_book(tmp_path / "r.xlsx", [["KH-2024", "C1", None, "approved"]]), user=people.alice
    )
    assert not result.errors
    registration = Registration.objects.get(organization=tree.cell)
    assert registration.status == RegistrationStatus.APPROVED and registration.decided_by == people.alice
    assert registration.eligibility["eligible"] in (True, False)  # checked as the page's submit keeps it
    approval = AuditEntry.objects.get(action="registration.approve", object_id=str(registration.pk))
    assert approval.reason == "Đã quyết định trên giấy, nhập từ tệp Excel."
    assert Notification.objects.filter(user=people.sue, kind="registration-approve").exists()
    again = run_import(tmp_path / "r.xlsx", user=people.alice)  # twice: nothing changes the second time
    assert not again.errors and AuditEntry.objects.filter(action__startswith="registration.").count() == 2
