import pytest
from django.urls import reverse

from cells.models import Member, Organization, RoleAssignment

pytestmark = pytest.mark.django_db


def test_login_page_speaks_vietnamese(client):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()


def test_staff_creates_a_cell_under_their_committee(client, tree, people):
    client.force_login(people.alice)
    response = client.post(
        reverse("cells:organization_create", args=[tree.grassroots.pk]),
        {
            "code": "C9",
            "name": "Chi bộ Tổ dân phố số 9",
            "level": "cell",
            "cell_type": tree.cell.cell_type.pk,
            "committee_size": 3,
            "deputy_slots": 1,
        },
    )
    assert response.status_code == 302
    created = Organization.objects.get(code="C9")
    assert created.parent == tree.grassroots and created.path.startswith(tree.grassroots.path)


def test_a_form_error_keeps_what_the_user_typed(client, tree, people):
    client.force_login(people.alice)
    response = client.post(
        reverse("cells:organization_create", args=[tree.grassroots.pk]),
        {
            "code": "C9",
            "name": "Chi bộ Tổ dân phố số 9",
            "level": "cell",
            "committee_size": 3,
            "deputy_slots": 1,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chi bộ Tổ dân phố số 9" in body
    assert not Organization.objects.filter(code="C9").exists()


def test_renaming_through_the_edit_page_asks_for_the_effective_date(client, tree, people):
    client.force_login(people.alice)
    url = reverse("cells:organization_edit", args=[tree.cell.pk])
    data = {
        "code": "C1",
        "name": "Chi bộ Khu phố 3",
        "level": "cell",
        "cell_type": tree.cell.cell_type.pk,
        "committee_size": 3,
        "deputy_slots": 1,
    }
    assert client.post(url, data).status_code == 200
    assert client.post(url, {**data, "effective_on": "2025-07-01"}).status_code == 302
    tree.cell.refresh_from_db()
    assert tree.cell.name == "Chi bộ Khu phố 3" and len(tree.cell.name_history()) == 2


def test_leadership_may_look_but_not_change(client, tree, people):
    client.force_login(people.lena)
    assert client.get(reverse("cells:organization_detail", args=[tree.cell.pk])).status_code == 200
    assert client.get(reverse("cells:organization_edit", args=[tree.cell.pk])).status_code == 404


def test_a_secretary_sees_only_their_own_cell(client, tree, people):
    client.force_login(people.sue)
    assert client.get(reverse("cells:organization_detail", args=[tree.cell.pk])).status_code == 200
    assert client.get(reverse("cells:organization_detail", args=[tree.school.pk])).status_code == 404
    assert client.get(reverse("cells:organization_detail", args=[tree.grassroots.pk])).status_code == 404


def test_staff_cannot_move_a_cell_into_another_subtree(client, tree, people):
    client.force_login(people.alice)
    response = client.post(
        reverse("cells:organization_move", args=[tree.cell.pk]), {"new_parent": tree.other_grassroots.pk}
    )
    assert response.status_code == 200  # the choice is not offered: a form error, nothing moved
    tree.cell.refresh_from_db()
    assert tree.cell.parent == tree.grassroots


def test_staff_add_a_member_and_open_an_account_for_a_new_secretary(client, tree, people):
    client.force_login(people.alice)
    client.post(
        reverse("cells:member_create", args=[tree.school.pk]),
        {"code": "DV-1", "full_name": "Lê Thị Hoa", "status": "official"},
    )
    assert Member.objects.get(code="DV-1").organization == tree.school
    response = client.post(
        reverse("cells:role_assign", args=[tree.school.pk]),
        {
            "username": "hoa.le",
            "role": "secretary",
            "valid_from": "2024-01-01",
            "full_name": "Lê Thị Hoa",
            "password": "một-mật-khẩu-dài",
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__username="hoa.le").organization == tree.school


def test_the_organisation_page_lists_the_roster_with_a_fixed_number_of_queries(
    client, tree, people, roster, django_assert_max_num_queries
):
    client.force_login(people.alice)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("cells:organization_detail", args=[tree.cell.pk]))
    assert all(m.full_name in response.content.decode() for m in roster.cell)
