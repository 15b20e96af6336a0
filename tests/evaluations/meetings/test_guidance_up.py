"""Guidance up and down (Y3): a commune committee's monthly guidance is sent up through the page (audited); the
board sees who sent it and who has not, consolidated by month, and exports the list."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cells.models import AuditEntry, Role
from evaluations.meetings import services
from evaluations.meetings.models import ContentGuidance
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_staff(tree):
    user = UserFactory(username="vanphong.phuong", first_name="Trần Thị", last_name="Lan")
    assign(user, tree.grassroots, Role.STAFF)
    return user


@pytest.fixture
def guidance(tree, ward_staff):
    return services.planning.guidance_issue(
        organization=tree.grassroots,
        year=2026,
        month=11,
        title="Sinh hoạt chuyên đề chuyển đổi số",
        body="Các chi bộ thảo luận việc cài đặt Sổ tay đảng viên.",
        acting_user=ward_staff,
    )


def test_a_commune_sends_its_guidance_up_and_the_board_consolidates_and_exports_the_month(
    client, tree, people, ward_staff, guidance
):
    client.force_login(ward_staff)
    listing = client.get(reverse("evaluations:meetings:guidance"), {"org": tree.grassroots.pk, "year": 2026})
    assert f"Gửi lên {tree.district.name}" in listing.content.decode()
    client.post(reverse("evaluations:meetings:guidance_send_up", args=[guidance.pk]))
    guidance.refresh_from_db()
    assert guidance.sent_up_at is not None and guidance.sent_up_by == ward_staff
    entry = AuditEntry.objects.get(action="guidance.send_up")
    assert entry.actor == ward_staff and entry.after["to"] == tree.district.pk
    client.post(reverse("evaluations:meetings:guidance_send_up", args=[guidance.pk]))  # once only
    assert AuditEntry.objects.filter(action="guidance.send_up").count() == 1

    client.force_login(people.alice)
    url = reverse("evaluations:meetings:guidance_month")
    page = client.get(url, {"org": tree.district.pk, "month": "2026-11"})
    assert [g.pk for g in page.context["sent"]] == [guidance.pk]
    body = page.content.decode()
    assert "Trần Thị Lan" in body and "Sinh hoạt chuyên đề chuyển đổi số" in body
    assert page.context["missing"] == []
    other_month = client.get(url, {"org": tree.district.pk, "month": "2026-10"})
    assert other_month.context["sent"] == [] and [o.pk for o in other_month.context["missing"]] == [tree.grassroots.pk]

    export = client.get(url, {"org": tree.district.pk, "month": "2026-11", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content))["guidance"].iter_rows(values_only=True))
    assert rows[1][:5] == (
        "G1",
        tree.grassroots.name,
        "Sinh hoạt chuyên đề chuyển đổi số",
        guidance.body,
        "Trần Thị Lan",
    )


def test_guidance_not_sent_up_is_not_on_the_boards_list_and_outsiders_cannot_send(
    client, tree, people, ward_staff, guidance
):
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:guidance_month"), {"org": tree.district.pk, "month": "2026-11"})
    assert page.context["sent"] == []
    client.force_login(people.charlie)
    assert client.post(reverse("evaluations:meetings:guidance_send_up", args=[guidance.pk])).status_code == 404
    client.force_login(people.lena)
    assert client.post(reverse("evaluations:meetings:guidance_send_up", args=[guidance.pk])).status_code == 404
    assert ContentGuidance.objects.get().sent_up_at is None
