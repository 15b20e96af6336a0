"""The audit trail reads as sentences: on an organisation's, a meeting's and a registration's page, and
on the staff's trail of their subtree, which filters by person, action and date and goes to Excel."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cells import services
from cells.audit_history import history_lines
from cells.models import AuditEntry
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import make_framework, scored_meeting


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _lines(response) -> str:
    """Only the history's sentences (the filter's drop-down names every action too)."""
    page = _text(response)
    start = page.index('<ol class="list-unstyled small history')
    return page[start : page.index("</ol>", start)]


def test_an_organisations_page_tells_who_changed_what_from_what_to_what(client, tree, people):
    services.organization_rename(
        organization=tree.cell,
        new_name="Chi bộ Khu phố 3",
        effective_on=datetime.date(2025, 7, 1),
        acting_user=people.alice,
        reason="Nghị quyết sáp nhập",
    )
    services.organization_update(organization=tree.cell, committee_size=5, acting_user=people.alice)
    client.force_login(people.alice)
    page = _text(client.get(reverse("cells:organization_detail", args=[tree.cell.pk])))
    name = people.alice.get_full_name()
    assert f"{name}</strong>: Đổi tên tổ chức — tên từ “Chi bộ Tổ dân phố số 3” thành “Chi bộ Khu phố 3”" in page
    assert "có hiệu lực từ “01/07/2025”" in page and "lý do: Nghị quyết sáp nhập" in page
    assert f"{name}</strong>: Sửa thông tin tổ chức — số ủy viên cấp ủy từ “3” thành “5”" in page
    assert "organization." not in page  # no raw codes


def test_a_move_names_the_parents_not_their_ids(tree, people):
    services.organization_move(organization=tree.cell, new_parent=tree.other_grassroots, acting_user=people.charlie)
    [line] = history_lines(
        AuditEntry.objects.filter(action="organization.move").select_related("actor", "content_type")
    )
    assert ("Đảng ủy phường Một", "Đảng ủy xã Hai") in [(c.before, c.after) for c in line.changes]


def test_a_meetings_history_reads_in_vietnamese(client, tree, people):
    make_framework(tree.province)
    meeting = scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    client.force_login(people.alice)
    page = _text(client.get(reverse("evaluations:meetings:detail", args=[meeting.pk])))
    history = page[page.index("history") :]
    assert "Ghi buổi sinh hoạt" in history
    assert "meeting.create" not in page and "meeting.submit" not in page


def test_a_registrations_history_tells_the_decision_and_the_status_it_moved(client, tree, people):
    campaign = builders.campaign(tree)
    registration = builders.participant(campaign, tree.cell, status="submitted")
    from evaluations.campaigns.services.registration import registration_decide

    registration_decide(registration=registration, decision="approve", acting_user=people.alice)
    client.force_login(people.alice)
    page = _text(client.get(reverse("evaluations:registration_detail", args=[registration.pk])))
    history = page[page.index('id="registration-history"') :]
    assert "Duyệt đăng ký" in history and "trạng thái từ “Đã đăng ký” thành “Đã duyệt”" in history
    assert "registration.approve" not in page


@pytest.fixture
def trail(tree, people):
    """alice renames a cell today; the system created the tree; charlie changes his own district."""
    services.organization_update(organization=tree.cell, committee_size=5, acting_user=people.alice)
    services.organization_update(organization=tree.other_cell, committee_size=4, acting_user=people.charlie)
    old = AuditEntry.objects.get(action="organization.update", organization=tree.cell)
    return old


def test_staff_filter_their_subtrees_trail_by_person_action_and_date(client, tree, people, trail):
    client.force_login(people.alice)
    url = reverse("cells:audit_trail")
    page = _lines(client.get(url))
    assert "số ủy viên cấp ủy từ “3” thành “5”" in page
    assert "từ “3” thành “4”" not in page  # charlie's district is not alice's subtree
    by_person = _lines(client.get(url, {"person": "alice"}))
    assert "Tạo tổ chức" not in by_person and "thành “5”" in by_person
    by_action = _lines(client.get(url, {"action": "organization.create"}))
    assert "Tạo tổ chức" in by_action and "thành “5”" not in by_action
    today = timezone.localdate()
    AuditEntry.objects.filter(pk=trail.pk).update(at=timezone.now() - datetime.timedelta(days=3))
    by_date = _lines(client.get(url, {"date_from": today.isoformat(), "action": "organization.update"}))
    assert "thành “5”" not in by_date
    earlier = (today - datetime.timedelta(days=3)).isoformat()
    assert "thành “5”" in _lines(client.get(url, {"date_from": earlier, "date_to": earlier}))
    refused = client.get(url, {"date_from": today.isoformat(), "date_to": earlier})
    assert "Ngày kết thúc không được trước ngày bắt đầu" in refused.content.decode()


def test_the_trail_goes_to_excel_through_the_one_writer(client, tree, people, trail):
    AuditEntry.objects.filter(pk=trail.pk).update(reason='=HYPERLINK("http://x")')
    client.force_login(people.alice)
    response = client.get(reverse("cells:audit_trail"), {"person": "alice", "export": "xlsx"})
    assert response.status_code == 200 and "nhat-ky" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content))["audit"].iter_rows(values_only=True))
    assert rows[0] == ("at", "actor", "organization", "action", "label", "changes", "reason")
    assert [row[4] for row in rows[1:]] == ["Sửa thông tin tổ chức"]
    assert rows[1][5] == "số ủy viên cấp ủy từ “3” thành “5”"
    cell = load_workbook(io.BytesIO(response.content))["audit"]["G2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_leadership_and_secretaries_have_no_trail_page(client, people):
    for user in (people.lena, people.sue):
        client.force_login(user)
        assert client.get(reverse("cells:audit_trail")).status_code == 404
