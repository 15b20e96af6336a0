"""The admin writes through the services: it refuses to change a published or used framework."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from criteria import services
from criteria.models import Criterion, Framework, register_usage_check, unregister_usage_check
from tests.criteria.view_cases import _draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")


@pytest.fixture
def published(tree, people):
    data = _draft(tree, people)
    services.framework_publish(framework=data.framework, acting_user=None)
    return data


def criterion_post(criterion, **changes):
    data = {
        "framework": criterion.framework_id,
        "parent": criterion.parent_id or "",
        "code": criterion.code,
        "title": criterion.title,
        "guidance": "",
        "order": criterion.order,
        "max_points": criterion.max_points if criterion.max_points is not None else "",
        "org_levels": "[]",
        "unit": "",
        "comparator": "",
        "target": "",
    }
    data.update(changes)
    return data


def framework_post(framework, **changes):
    data = {
        "code": framework.code,
        "name": framework.name,
        "kind": framework.kind,
        "owner": framework.owner_id,
        "basis": framework.basis,
        "description": "",
        "version": framework.version,
        "status": framework.status,
        "meeting_kind": "",
        "org_levels": "[]",
        "valid_from_year": "",
        "valid_to_year": "",
        "criteria-TOTAL_FORMS": 0,
        "criteria-INITIAL_FORMS": 0,
        "levels-TOTAL_FORMS": 0,
        "levels-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_the_admin_edits_a_draft_criterion_through_the_service(client, root, tree, people):
    data = _draft(tree, people)
    client.force_login(root)
    url = reverse("admin:criteria_criterion_change", args=[data.item.pk])
    response = client.post(url, criterion_post(data.item, max_points="8"))
    assert response.status_code == 302
    assert Criterion.objects.get(pk=data.item.pk).max_points == Decimal(8)


def test_the_admin_refuses_to_change_a_published_frameworks_criterion(client, root, published):
    client.force_login(root)
    url = reverse("admin:criteria_criterion_change", args=[published.item.pk])
    response = client.post(url, criterion_post(published.item, max_points="8"))
    assert response.status_code == 200
    assert "new version" in response.content.decode() or "phiên bản mới" in response.content.decode()
    assert Criterion.objects.get(pk=published.item.pk).max_points == Decimal(10)


def test_the_admin_refuses_to_add_a_criterion_to_a_published_framework(client, root, published):
    client.force_login(root)
    response = client.post(
        reverse("admin:criteria_criterion_add"),
        criterion_post(Criterion(framework=published.framework, code="9", title="Thêm", order=9)),
    )
    assert response.status_code == 200
    assert not Criterion.objects.filter(code="9").exists()


def test_the_admin_refuses_to_edit_a_framework_in_use(client, root, published):
    def used(framework):
        return True

    register_usage_check(used)
    try:
        client.force_login(root)
        url = reverse("admin:criteria_framework_change", args=[published.framework.pk])
        response = client.post(url, framework_post(published.framework, name="Tên khác"))
        assert response.status_code == 200
        assert Framework.objects.get(pk=published.framework.pk).name == "Khung sinh hoạt"
    finally:
        unregister_usage_check(used)


def test_the_admin_renames_a_published_framework_nothing_uses(client, root, published):
    client.force_login(root)
    url = reverse("admin:criteria_framework_change", args=[published.framework.pk])
    response = client.post(url, framework_post(published.framework, name="Tên khác"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Framework.objects.get(pk=published.framework.pk).name == "Tên khác"
