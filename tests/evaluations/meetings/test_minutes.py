"""The preparation checklist, the minutes on the template, the votes and the four-good progress (issue 24:
seed 001 L2 and L4, seed 004 B5), through the pages: effects in the database and the audit entry."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cells.models import AuditEntry, Role
from evaluations.campaigns import services as campaign_services
from evaluations.meetings import four_good, minutes, services
from evaluations.meetings.minutes_models import PreparationStep, PreparationTick
from evaluations.meetings.models import AgendaItem, Meeting, Presence
from tests.evaluations.campaigns.builders import campaign, criterion, participant
from tests.factories import MemberFactory, assign
from tests.reports.pdftext import pdf_text

from .helpers import make_framework, make_meeting

EXPECTED = Path(__file__).parent / "expected"
DAY = datetime.date(2024, 3, 10)


def _steps(framework, user=None):
    return [
        services.minutes.preparation_step_save(framework=framework, title="Chi ủy họp chuẩn bị", acting_user=user),
        services.minutes.preparation_step_save(
            framework=framework, title="Dự thảo nghị quyết", acting_user=user, days_before=None
        ),
        services.minutes.preparation_step_save(
            framework=framework,
            title="Gửi tài liệu trên Sổ tay đảng viên",
            fact="documents_sent_on",
            days_before=1,
            acting_user=user,
        ),
    ]


@pytest.fixture
def members(tree):
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
    return [MemberFactory(organization=tree.cell, full_name=name) for name in names]


@pytest.fixture
def meeting(tree, members):
    framework = make_framework(tree.province)
    _steps(framework)
    attendance = {m.pk: Presence.PRESENT for m in members}
    attendance[members[3].pk] = Presence.EXCUSED
    attendance[members[4].pk] = Presence.UNEXCUSED
    return make_meeting(
        tree.cell,
        date=DAY,
        attendance=attendance,
        duration_minutes=95,
        agenda=[services.recording.AgendaLine("Nghị quyết tháng 3", 3, 0, 0)],
    )


def _post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


# --- The checklist -------------------------------------------------------------------------------------


def test_the_secretary_ticks_the_checklist_with_dates_and_it_is_audited(client, people, meeting):
    steps = list(PreparationStep.objects.order_by("order"))
    url = reverse("evaluations:meetings:preparation", kwargs={"pk": meeting.pk})
    response = _post(
        client,
        people.sue,
        url,
        {f"step_{steps[0].pk}": "05/03/2024", f"step_{steps[2].pk}": "08/03/2024", "version": meeting.version},
    )
    assert response.status_code == 302
    ticks = {t.step_id: t.done_on for t in PreparationTick.objects.filter(meeting=meeting)}
    assert ticks == {steps[0].pk: datetime.date(2024, 3, 5), steps[2].pk: datetime.date(2024, 3, 8)}
    meeting.refresh_from_db()
    assert meeting.documents_sent_on == datetime.date(2024, 3, 8)
    entry = AuditEntry.objects.get(action="meeting.prepare")
    assert entry.actor == people.sue
    assert entry.after["documents_sent_on"] == "2024-03-08" and entry.before["documents_sent_on"] is None
    assert entry.after["steps"] == {
        "Chi ủy họp chuẩn bị": "2024-03-05",
        "Gửi tài liệu trên Sổ tay đảng viên": "2024-03-08",
    }
    page = client.get(reverse("evaluations:meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "08/03/2024" in page and "Gửi tài liệu trên Sổ tay đảng viên" in page


def test_a_step_done_after_the_meeting_is_refused_and_nothing_is_saved(client, people, meeting):
    steps = list(PreparationStep.objects.order_by("order"))
    url = reverse("evaluations:meetings:preparation", kwargs={"pk": meeting.pk})
    response = _post(
        client,
        people.sue,
        url,
        {f"step_{steps[0].pk}": "05/03/2024", f"step_{steps[1].pk}": "11/03/2024", "version": meeting.version},
    )
    assert response.status_code == 200
    assert "trước buổi sinh hoạt" in response.content.decode() or "before the meeting" in response.content.decode()
    assert not PreparationTick.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.prepare").exists()


def test_a_step_done_the_day_before_is_in_time_and_the_same_day_is_late(meeting):
    step = PreparationStep.objects.get(fact="documents_sent_on")
    services.minutes.meeting_preparation_save(
        meeting=meeting, done={step.pk: DAY - datetime.timedelta(days=1)}, acting_user=None
    )
    [line] = [line for line in minutes.checklist(meeting) if line.step == step]
    assert line.in_time is True
    meeting.refresh_from_db()
    services.minutes.meeting_preparation_save(meeting=meeting, done={step.pk: DAY}, acting_user=None)
    [line] = [line for line in minutes.checklist(meeting) if line.step == step]
    assert line.in_time is False


def test_unticking_the_documents_step_clears_the_fact(meeting):
    step = PreparationStep.objects.get(fact="documents_sent_on")
    services.minutes.meeting_preparation_save(
        meeting=meeting, done={step.pk: datetime.date(2024, 3, 1)}, acting_user=None
    )
    meeting.refresh_from_db()
    services.minutes.meeting_preparation_save(meeting=meeting, done={step.pk: None}, acting_user=None)
    meeting.refresh_from_db()
    assert meeting.documents_sent_on is None


def test_a_ticked_step_removed_by_the_committee_stays_on_its_meeting(tree, people, meeting):
    step = PreparationStep.objects.order_by("order").first()
    services.minutes.meeting_preparation_save(
        meeting=meeting, done={step.pk: datetime.date(2024, 3, 1)}, acting_user=None
    )
    assign(people.alice, tree.province, Role.STAFF)
    services.minutes.preparation_step_remove(step=step, acting_user=people.alice)
    step.refresh_from_db()
    assert step.is_active is False
    assert step in [line.step for line in minutes.checklist(meeting)]
    other = make_meeting(tree.cell, date=datetime.date(2024, 4, 10))
    assert step not in [line.step for line in minutes.checklist(other)]


def test_staff_add_a_step_on_the_rubric_page_and_a_sibling_gets_404(client, tree, people):
    framework = make_framework(tree.district, code="SH-D1")
    url = reverse("evaluations:meetings:preparation_steps", kwargs={"framework_pk": framework.pk})
    response = _post(client, people.alice, url, {"title": "Chi ủy họp", "fact": "", "days_before": "2"})
    assert response.status_code == 302
    step = PreparationStep.objects.get(framework=framework)
    assert (step.title, step.days_before) == ("Chi ủy họp", 2)
    assert AuditEntry.objects.get(action="preparation_step.save").actor == people.alice
    assert _post(client, people.charlie, url, {"title": "X"}).status_code == 404
    assert PreparationStep.objects.count() == 1


# --- Votes -----------------------------------------------------------------------------------------------


def test_the_secretary_records_the_votes_on_each_item_and_they_are_audited(client, people, meeting):
    item = meeting.agenda.get()
    url = reverse("evaluations:meetings:votes", kwargs={"pk": meeting.pk})
    data = {f"item_{item.pk}_for": "2", f"item_{item.pk}_against": "1", f"item_{item.pk}_abstain": "0"}
    response = _post(client, people.sue, url, {**data, "version": meeting.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (2, 1, 0)
    entry = AuditEntry.objects.get(action="meeting.votes")
    assert entry.actor == people.sue
    assert entry.before == {"votes": {"Nghị quyết tháng 3": [3, 0, 0]}}
    assert entry.after == {"votes": {"Nghị quyết tháng 3": [2, 1, 0]}}


def test_more_votes_than_members_present_are_refused(client, people, meeting):
    """3 present (5 on the roster, 2 absent): 2 + 1 + 1 = 4 votes cannot stand; 3 can."""
    item = meeting.agenda.get()
    url = reverse("evaluations:meetings:votes", kwargs={"pk": meeting.pk})
    data = {f"item_{item.pk}_for": "2", f"item_{item.pk}_against": "1", f"item_{item.pk}_abstain": "1"}
    response = _post(client, people.sue, url, {**data, "version": meeting.version})
    assert response.status_code == 200
    assert "(4)" in response.content.decode() and "(3)" in response.content.decode()
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (3, 0, 0)
    assert not AuditEntry.objects.filter(action="meeting.votes").exists()


def test_a_supervisor_cannot_record_votes(client, people, meeting, sam_assigned):
    item = meeting.agenda.get()
    url = reverse("evaluations:meetings:votes", kwargs={"pk": meeting.pk})
    response = _post(
        client,
        people.sam,
        url,
        {f"item_{item.pk}_for": "1", f"item_{item.pk}_against": "0", f"item_{item.pk}_abstain": "0"},
    )
    assert response.status_code == 404
    assert AgendaItem.objects.get().votes_for == 3


# --- Minutes -------------------------------------------------------------------------------------------


def _write_minutes(meeting, members):
    return services.minutes.meeting_minutes_update(
        meeting=meeting,
        acting_user=None,
        place="Nhà văn hóa Tổ dân phố số 3",
        started_at=datetime.time(19, 30),
        chair=members[0],
        recorder=members[1],
        minutes_text="Đồng chí Cường phát biểu về vệ sinh môi trường.",
        conclusions="Chi bộ thống nhất ra quân dọn vệ sinh ngày 15/3.",
    )


def test_the_minutes_are_written_through_the_page_and_audited(client, people, meeting, members):
    url = reverse("evaluations:meetings:minutes_edit", kwargs={"pk": meeting.pk})
    data = {
        "place": "Nhà văn hóa",
        "started_at": "19:30",
        "chair": members[0].pk,
        "recorder": members[1].pk,
        "minutes_text": "Thảo luận",
        "conclusions": "Kết luận",
        "version": meeting.version,
    }
    assert _post(client, people.sue, url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.chair, meeting.recorder, meeting.started_at) == (
        "Nhà văn hóa",
        members[0],
        members[1],
        datetime.time(19, 30),
    )
    entry = AuditEntry.objects.get(action="meeting.minutes")
    assert entry.actor == people.sue and entry.after["conclusions"] == "Kết luận"


def test_a_chair_from_another_cell_is_refused(tree, meeting):
    stranger = MemberFactory(organization=tree.other_cell)
    with pytest.raises(Exception) as refused:
        services.minutes.meeting_minutes_update(meeting=meeting, acting_user=None, chair=stranger)
    assert "chair" in str(refused.value)
    assert Meeting.objects.get(pk=meeting.pk).chair_id is None


def _png_of_first_page(data: bytes, tmp_path) -> Path:
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    return next(tmp_path.glob("p*.png"))


def _differing_share(a, b) -> float:
    from PIL import Image, ImageChops

    first, second = Image.open(a).convert("L"), Image.open(b).convert("L")
    if first.size != second.size:
        return 1.0
    diff = ImageChops.difference(first, second).point(lambda v: 255 if v > 64 else 0)
    return diff.histogram()[255] / (first.size[0] * first.size[1])


def test_the_minutes_pdf_says_what_the_record_says_and_its_first_page_is_kept(
    client, people, meeting, members, tmp_path
):
    """The PDF through its page: the cell and its committee, date and place, chair and secretary, attendance
    with the absent by name, the item with its vote, the discussion and the conclusions, the signatures.

    tests/evaluations/meetings/expected/minutes-page1.png is the first page as drawn today, for reviewers to
    hold against Hướng dẫn 36-HD/VPTW; CHIBO_UPDATE_EXPECTED=1 rewrites it (look at it before committing)."""
    _write_minutes(Meeting.objects.get(pk=meeting.pk), members)
    client.force_login(people.sue)
    response = client.get(reverse("evaluations:meetings:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = pdf_text(data)
    for expected in [
        "ĐẢNG ỦY PHƯỜNG MỘT",
        "CHI BỘ TỔ DÂN PHỐ SỐ 3",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BIÊN BẢN",
        "10/03/2024",
        "19:30",
        "Nhà văn hóa Tổ dân phố số 3",
        "Chủ trì: Nguyễn Văn An",
        "Thư ký: Trần Thị Bình",
        "Vắng có lý do: Phạm Thị Dung",
        "Vắng không có lý do: Hoàng Văn Em",
        "có mặt: 3",
        "1. Nghị quyết tháng 3 3 0 0 Thông qua",
        "Đồng chí Cường phát biểu về vệ sinh môi trường.",
        "Chi bộ thống nhất ra quân dọn vệ sinh ngày 15/3.",
    ]:
        assert expected in text, expected
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed: the first page is not compared with its picture")
    rendered = _png_of_first_page(data, tmp_path)
    expected_png = EXPECTED / "minutes-page1.png"
    if os.environ.get("CHIBO_UPDATE_EXPECTED") == "1":
        shutil.copy(rendered, expected_png)
    assert expected_png.exists(), "minutes-page1.png is missing: run with CHIBO_UPDATE_EXPECTED=1 and look at it"
    share = _differing_share(rendered, expected_png)
    assert share <= 0.00025, f"{share:.3%} of the page differs from minutes-page1.png"


def test_the_minutes_docx_says_the_same(client, people, meeting, members):
    from docx import Document

    _write_minutes(Meeting.objects.get(pk=meeting.pk), members)
    client.force_login(people.sue)
    response = client.get(reverse("evaluations:meetings:minutes_docx", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = " ".join(
        [p.text for p in doc.paragraphs]
        + [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    )
    for expected in [
        "CHI BỘ TỔ DÂN PHỐ SỐ 3",
        "BIÊN BẢN",
        "Chủ trì: Nguyễn Văn An",
        "Vắng có lý do: Phạm Thị Dung",
        "Vắng không có lý do: Hoàng Văn Em",
        "1. Nghị quyết tháng 3",
        "Thông qua",
        "Chi bộ thống nhất ra quân dọn vệ sinh ngày 15/3.",
    ]:
        assert expected in text, expected


def test_the_committee_changes_the_wording_and_its_cells_minutes_follow(client, tree, people, meeting, members):
    url = reverse("evaluations:meetings:minutes_template", kwargs={"org_pk": tree.district.pk})
    data = {
        "title": "BIÊN BẢN HỌP",
        "heading": "Sinh hoạt {kind} tháng {month} năm {year}",
        "opening": "Vào hồi {time} ngày {date}, tại {place}, {cell} họp.",
        "closing": "Biên bản lập xong lúc 21 giờ.",
        "chair_label": "CHỦ TỌA",
        "secretary_label": "NGƯỜI GHI",
    }
    assert _post(client, people.alice, url, data).status_code == 302
    assert AuditEntry.objects.get(action="minutes_template.save").actor == people.alice
    _write_minutes(Meeting.objects.get(pk=meeting.pk), members)
    text = pdf_text(minutes.minutes_pdf(Meeting.objects.get(pk=meeting.pk)))
    assert "BIÊN BẢN HỌP" in text
    assert "Sinh hoạt thường kỳ tháng 03 năm 2024" in text
    assert "Vào hồi 19:30 ngày 10/03/2024, tại Nhà văn hóa Tổ dân phố số 3, Chi bộ Tổ dân phố số 3 họp." in text
    assert "CHỦ TỌA" in text and "NGƯỜI GHI" in text
    # The sibling district's cells keep the built-in wording.
    assert minutes.wording_for(tree.other_cell)["title"] != "BIÊN BẢN HỌP"


def test_an_unknown_placeholder_is_refused_and_nothing_is_saved(client, tree, people):
    url = reverse("evaluations:meetings:minutes_template", kwargs={"org_pk": tree.district.pk})
    data = {
        "title": "BIÊN BẢN",
        "heading": "Sinh hoạt {thang}",
        "opening": "x",
        "closing": "y",
        "chair_label": "A",
        "secretary_label": "B",
    }
    response = _post(client, people.alice, url, data)
    assert response.status_code == 200 and "{thang}" in response.content.decode()
    assert not AuditEntry.objects.filter(action="minutes_template.save").exists()


def test_the_signed_minutes_are_attached_and_set_the_filing_date(client, people, meeting):
    url = reverse("evaluations:meetings:signed_minutes", kwargs={"pk": meeting.pk})
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    upload = SimpleUploadedFile("bien-ban.png", png, content_type="image/png")
    response = _post(client, people.sue, url, {"upload": upload, "filed_on": "11/03/2024"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_file.name.startswith("minutes/")
    assert meeting.minutes_filed_on == datetime.date(2024, 3, 11)
    assert AuditEntry.objects.get(action="meeting.minutes_filed").actor == people.sue


def test_a_signed_minutes_file_that_is_not_an_image_or_pdf_is_refused(client, people, meeting):
    url = reverse("evaluations:meetings:signed_minutes", kwargs={"pk": meeting.pk})
    upload = SimpleUploadedFile("bien-ban.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    response = _post(client, people.sue, url, {"upload": upload})
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert not meeting.minutes_file
    assert not AuditEntry.objects.filter(action="meeting.minutes_filed").exists()


# --- Four-good progress --------------------------------------------------------------------------------


def test_the_committee_sees_the_four_good_status_and_carries_it_into_the_draft_resolution(
    client, tree, people, meeting
):
    """Group 1 achieved (both items yes); group 2 at risk: dropout 1.2% against the cell's own target < 1.5
    is met, resolution study 95% against ≥ 98 is not."""
    registration = participant(campaign(tree), tree.cell)
    for code, values in {
        "1.1": {"achieved": True},
        "1.2": {"achieved": True},
        "2.1": {"actual": Decimal("1.2"), "target": Decimal("1.5")},
        "2.2": {"actual": Decimal("95")},
    }.items():
        campaign_services.answers.answer_self_save(
            registration=registration, criterion=criterion(registration, code), acting_user=None, **values
        )
    status = four_good.four_good_status(tree.cell, DAY)
    assert [(g.title, g.achieved) for g in status.goods] == [("Lãnh đạo tốt", True), ("Chỉ tiêu", False)]
    assert status.at_risk == ["Học tập nghị quyết"]
    assert [(i.title, i.met, four_good.indicator_text(i)) for i in status.indicators] == [
        ("Tỷ lệ bỏ học", True, "1,2 / < 1,5 %"),
        ("Học tập nghị quyết", False, "95 / ≥ 98 %"),
    ]
    client.force_login(people.sue)
    page = client.get(reverse("evaluations:meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "Học tập nghị quyết" in page and "95 / ≥ 98 %" in page
    url = reverse("evaluations:meetings:four_good_carry", kwargs={"pk": meeting.pk})
    assert client.post(url).status_code == 302
    titles = list(meeting.agenda.values_list("title", flat=True))
    assert len(titles) == 3
    assert "Lãnh đạo tốt" in titles[1] and "Học tập nghị quyết" in titles[2]
    assert AuditEntry.objects.get(action="meeting.agenda_add").actor == people.sue
    client.post(url)
    assert meeting.agenda.count() == 3  # not twice


def test_a_meeting_to_come_is_prepared_then_its_steps_ticked_before_it_is_held(client, tree, people):
    framework = make_framework(tree.province)
    _steps(framework)
    day = datetime.date.today() + datetime.timedelta(days=5)
    url = reverse("evaluations:meetings:prepare", kwargs={"cell_pk": tree.cell.pk})
    response = _post(client, people.sue, url, {"kind": "regular", "date": day.strftime("%d/%m/%Y")})
    meeting = Meeting.objects.get(organization=tree.cell, date=day)
    assert response["Location"] == reverse("evaluations:meetings:preparation", kwargs={"pk": meeting.pk})
    assert (meeting.members_total, meeting.status, meeting.framework) == (0, "draft", framework)
    assert AuditEntry.objects.get(action="meeting.create").actor == people.sue
    documents = PreparationStep.objects.get(fact="documents_sent_on")
    sent = datetime.date.today()
    client.post(response["Location"], {f"step_{documents.pk}": sent.strftime("%d/%m/%Y"), "version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.documents_sent_on == sent


WORDING = {
    "title": "BIÊN BẢN",
    "heading": "Sinh hoạt {kind}",
    "opening": "Mở đầu",
    "closing": "Kết thúc",
    "chair_label": "CHỦ TRÌ",
    "secretary_label": "THƯ KÝ",
}


def test_the_nearest_committee_with_a_wording_wins(tree):
    services.minutes.minutes_template_save(
        owner=tree.district, acting_user=None, **{**WORDING, "title": "CỦA THÀNH ỦY"}
    )
    assert minutes.wording_for(tree.cell)["title"] == "CỦA THÀNH ỦY"
    services.minutes.minutes_template_save(
        owner=tree.grassroots, acting_user=None, **{**WORDING, "title": "CỦA ĐẢNG ỦY"}
    )
    assert minutes.wording_for(tree.cell)["title"] == "CỦA ĐẢNG ỦY"
    assert minutes.wording_for(tree.other_cell) == minutes.default_wording()


def test_a_placeholder_reaching_into_an_object_is_refused_and_a_cell_keeps_no_wording(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.minutes.minutes_template_save(
            owner=tree.district, acting_user=None, **{**WORDING, "opening": "{cell.__class__}"}
        )
    assert "{cell.__class__}" in str(refused.value)
    with pytest.raises(ValidationError):
        services.minutes.minutes_template_save(owner=tree.cell, acting_user=None, **WORDING)
    assert minutes.fill("{cell} {unknown}", {"cell": "Chi bộ"}) == "Chi bộ {unknown}"
