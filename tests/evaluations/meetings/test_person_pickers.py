"""People, not logins: every picker of a person names them with position and organisation, can be searched,
and never offers leadership or the cell's own officers as supervisors (nor does the service accept them)."""

import datetime
import html

import pytest
from django.urls import reverse

from cells.models import AuditEntry, Role
from evaluations.meetings.models import SupervisionAssignment, SupervisionTeam
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db


def _options(response, field: str) -> dict[int, str]:
    form = response.context["form"]
    return {int(value.value): label for value, label in form.fields[field].choices if value}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_supervisor_picker_names_people_with_their_position_and_leaves_out_leaders_and_secretaries(
    client, tree, people
):
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:supervision", args=[tree.district.pk]))
    options = _options(page, "supervisor")
    sam = people.sam
    assert options[sam.pk] == f"{sam.get_full_name()} — Giám sát viên, Đảng ủy phường Một"
    assert options[people.alice.pk] == f"{people.alice.get_full_name()} — Cán bộ Ban Tổ chức, Thành ủy Một"
    assert people.lena.pk not in options  # leadership
    assert people.sue.pk not in options  # a cell secretary
    body = _text(page)
    assert 'data-filter-select="id_supervisor"' in body
    assert ">sam<" not in body and "sam —" not in body  # no login name shown


def test_a_leader_is_refused_as_supervisor_by_the_page_and_the_service(client, tree, people):
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:supervision", args=[tree.district.pk])
    data = {"cell": tree.cell.pk, "supervisor": people.lena.pk, "valid_from": "2024-01-01"}
    before = AuditEntry.objects.count()
    refused = client.post(url, data)
    assert refused.status_code == 200 and SupervisionAssignment.objects.count() == 0
    assert AuditEntry.objects.count() == before

    from evaluations.meetings import services

    with pytest.raises(Exception, match="lãnh đạo"):
        services.planning.supervision_assign(
            organization=tree.cell,
            supervisor=people.lena,
            valid_from=datetime.date(2024, 1, 1),
            acting_user=people.alice,
        )
    # A leader who is also organizing staff may supervise.
    assign(people.lena, tree.grassroots, Role.STAFF)
    client.post(url, data)
    assignment = SupervisionAssignment.objects.get()
    assert assignment.supervisor == people.lena
    entry = AuditEntry.objects.get(action="supervision.assign")
    assert entry.actor == people.alice and entry.after["supervisor"] == people.lena.pk


def test_a_team_with_a_leader_is_refused(client, tree, people):
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:team_create", args=[tree.district.pk])
    page = client.get(url)
    assert people.lena.pk not in _options(page, "members") and people.sam.pk in _options(page, "members")
    client.post(url, {"name": "Tổ giám sát 1", "members": [people.sam.pk, people.lena.pk]})
    assert SupervisionTeam.objects.count() == 0
    client.post(url, {"name": "Tổ giám sát 1", "members": [people.sam.pk]})
    team = SupervisionTeam.objects.get()
    assert list(team.members.all()) == [people.sam]
    assert AuditEntry.objects.filter(action="supervision_team.create", object_id=str(team.pk)).exists()


def test_the_attending_supervisor_picker_leaves_out_the_cells_officers_and_leadership(client, tree, people, framework):
    officer_and_staff = UserFactory(username="bithu.kiem", first_name="Lê Thị", last_name="Hoa")
    assign(officer_and_staff, tree.grassroots, Role.STAFF)
    assign(officer_and_staff, tree.cell, Role.SECRETARY)
    client.force_login(people.sue)
    page = client.get(reverse("evaluations:meetings:create", args=[tree.cell.pk]))
    options = _options(page, "attending_supervisor")
    assert people.alice.pk in options and "Cán bộ Ban Tổ chức, Thành ủy Một" in options[people.alice.pk]
    assert people.lena.pk not in options
    assert officer_and_staff.pk not in options
    assert 'data-filter-select="id_attending_supervisor"' in _text(page)
