"""The reorganisation page: staff plan dated steps, see what they will do, and apply them all or none."""

import pytest
from django.urls import reverse

from cells.models import AuditEntry, Organization, OrganizationInterval
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _post(client, committee, steps, button="preview"):
    data = {"form-TOTAL_FORMS": str(len(steps)), "form-INITIAL_FORMS": "0", button: "1"}
    for n, step in enumerate(steps):
        for key, value in step.items():
            data[f"form-{n}-{key}"] = value
    return client.post(reverse("cells:reorganization", args=[committee.pk]), data)


def test_the_preview_says_what_a_merge_will_do_and_changes_nothing(client, tree, people):
    for _ in range(3):
        MemberFactory(organization=tree.school)
    client.force_login(people.alice)
    steps = [{"date": "2025-07-01", "action": "merge", "organization": tree.school.pk, "target": tree.cell.pk}]
    response = _post(client, tree.grassroots, steps)
    assert response.status_code == 200
    [effect] = response.context["effects"]
    assert (effect.members, effect.organizations) == (3, 1)
    assert "Xác nhận" in response.content.decode()
    assert Organization.objects.get(pk=tree.school.pk).is_active
    assert not AuditEntry.objects.filter(action="organization.merge").exists()


def test_confirming_applies_every_step_in_date_order(client, tree, people):
    client.force_login(people.alice)
    steps = [
        {"date": "2025-07-01", "action": "rename", "organization": tree.cell.pk, "new_name": "Chi bộ Hợp Nhất"},
        {"date": "2025-07-01", "action": "merge", "organization": tree.school.pk, "target": tree.cell.pk},
        {"date": "2025-01-01", "action": "move", "organization": tree.cell.pk, "target": tree.grassroots.pk},
    ]
    response = _post(client, tree.grassroots, steps, button="confirm")
    assert response.status_code == 302
    tree.cell.refresh_from_db()
    assert tree.cell.name == "Chi bộ Hợp Nhất"
    assert not Organization.objects.get(pk=tree.school.pk).is_active
    assert AuditEntry.objects.filter(action="organization.merge", actor=people.alice).exists()


def test_one_wrong_step_applies_nothing_and_is_named(client, tree, people):
    client.force_login(people.alice)
    steps = [
        {"date": "2025-07-01", "action": "rename", "organization": tree.cell.pk, "new_name": "Chi bộ Mới"},
        {"date": "2025-07-01", "action": "dissolve", "organization": tree.grassroots.pk},
    ]
    MemberFactory(organization=tree.cell)
    response = _post(client, tree.grassroots, steps, button="confirm")
    assert response.status_code == 200
    assert [number for number, _message in response.context["problems"]] == [2]
    assert "Bước 2" in response.content.decode()
    tree.cell.refresh_from_db()
    assert tree.cell.name == "Chi bộ Tổ dân phố số 3"
    assert OrganizationInterval.objects.filter(organization=tree.cell).count() == 1


def test_a_step_needs_its_date_and_its_target(client, tree, people):
    client.force_login(people.alice)
    response = _post(client, tree.grassroots, [{"action": "move", "organization": tree.cell.pk}])
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert set(errors) == {"date", "target"}


def test_an_organisation_outside_the_committee_cannot_be_chosen(client, tree, people):
    client.force_login(people.alice)
    steps = [{"date": "2025-07-01", "action": "dissolve", "organization": tree.other_cell.pk}]
    response = _post(client, tree.grassroots, steps, button="confirm")
    assert response.status_code == 200
    assert Organization.objects.get(pk=tree.other_cell.pk).is_active
    assert "organization" in response.context["formset"].forms[0].errors
