"""A published framework that a real meeting or a real campaign uses is frozen: the service, the page and
the admin all refuse to rename it (the one change a published framework nothing uses still allows), and
it cannot be deleted. The same framework with nothing using it can be renamed: the refusal comes from the
usage, not from the state. No stub usage check: the meetings' and campaigns' own checks decide."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from criteria import services
from criteria.models import Framework
from tests.criteria.test_admin import framework_post
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import make_framework, make_meeting

pytestmark = pytest.mark.django_db


def _meeting_framework(tree):
    framework = make_framework(tree.district, code="SH-FREEZE")
    return framework, lambda: make_meeting(tree.cell)


def _campaign_framework(tree):
    framework = builders.four_good_framework(tree.district, code="4T-FREEZE")
    return framework, lambda: builders.campaign(tree, framework)


def _registration_framework(tree):
    """A registration keeps the framework it was made on, even once the campaign moved to another."""
    framework = builders.four_good_framework(tree.district, code="4T-REG")

    def use():
        campaign = builders.campaign(tree, framework)
        registration = builders.participant(campaign, tree.cell)
        campaign.framework = builders.four_good_framework(tree.district, code="4T-OTHER")
        campaign.save(update_fields=["framework"])
        return registration

    return framework, use


USES = {"meeting": _meeting_framework, "campaign": _campaign_framework, "registration": _registration_framework}


@pytest.fixture(params=sorted(USES))
def used(request, tree):
    framework, use = USES[request.param](tree)
    thing = use()
    framework.refresh_from_db()
    assert framework.status == "published"
    if request.param == "meeting":
        assert thing.framework_id == framework.pk  # the meeting really scores on it
    return framework


def test_the_service_refuses_to_rename_a_framework_in_use(used, people):
    with pytest.raises(ValidationError, match="in use"):
        services.framework_update(framework=used, name="Tên khác", acting_user=people.alice)
    assert Framework.objects.get(pk=used.pk).name == used.name
    assert services.framework_is_in_use(used)


def test_the_page_refuses_to_rename_a_framework_in_use(client, used, people):
    client.force_login(people.alice)
    response = client.post(reverse("criteria:framework_edit", args=[used.pk]), {"name": "Tên khác", "basis": ""})
    assert response.status_code == 200
    assert f"{used.code} đang được sử dụng trong đánh giá" in response.content.decode()
    assert Framework.objects.get(pk=used.pk).name == used.name


def test_the_admin_refuses_to_rename_a_framework_in_use(client, used):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")
    client.force_login(root)
    url = reverse("admin:criteria_framework_change", args=[used.pk])
    response = client.post(url, framework_post(used, name="Tên khác"))
    assert response.status_code == 200
    assert Framework.objects.get(pk=used.pk).name == used.name


def test_the_same_framework_unused_can_be_renamed(tree, people):
    for build in USES.values():
        framework, _use = build(tree)
        assert not services.framework_is_in_use(framework)
        services.framework_update(framework=framework, name=f"{framework.code} mới", acting_user=people.alice)
        assert Framework.objects.get(pk=framework.pk).name == f"{framework.code} mới"
