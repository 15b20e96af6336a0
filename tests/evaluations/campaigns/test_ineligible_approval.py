"""Approving a registration that fails the eligibility rules (T4): the failed conditions are shown and a reason
is needed, on the page and from a workbook (both through registration_decide), and the reason is audited."""

import html

import pytest
from django.urls import reverse

from cells.models import AuditEntry
from evaluations.campaigns import services
from evaluations.campaigns.models import Registration, RegistrationStatus

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def ineligible(tree, four_good):
    campaign = builders.campaign(tree, four_good, eligibility_good_years=2)
    services.ratings.year_rating_set(organization=tree.cell, year=2023, rating="HTTNV", acting_user=None)
    services.ratings.year_rating_set(organization=tree.cell, year=2022, rating="HTNV", acting_user=None)
    return builders.participant(campaign, tree.cell, status=RegistrationStatus.SUBMITTED)


def _decide(client, registration, **data):
    url = reverse("evaluations:registration_decide", args=[registration.pk])
    return client.post(url, {"decision": "approve", "version": registration.version, **data})


def test_approving_an_ineligible_cell_shows_the_failed_conditions_and_needs_a_reason(client, people, ineligible):
    client.force_login(people.alice)
    refused = _decide(client, ineligible)
    body = html.unescape(refused.content.decode())
    assert refused.status_code == 200
    assert "không đáp ứng điều kiện đăng ký" in body
    assert "Năm 2022: xếp loại HTNV" in body
    assert "Năm 2023" not in body.split("không đáp ứng điều kiện đăng ký")[1].split(".")[0]  # only what failed
    ineligible.refresh_from_db()
    assert ineligible.status == RegistrationStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action="registration.approve").exists()

    done = _decide(client, ineligible, reason="Chi bộ đã khắc phục, Ban Thường vụ đồng ý")
    assert done.status_code == 302
    ineligible.refresh_from_db()
    assert ineligible.status == RegistrationStatus.APPROVED
    assert ineligible.decision_reason == "Chi bộ đã khắc phục, Ban Thường vụ đồng ý"
    entry = AuditEntry.objects.get(action="registration.approve", object_id=str(ineligible.pk))
    assert entry.actor == people.alice and entry.reason == "Chi bộ đã khắc phục, Ban Thường vụ đồng ý"
    assert entry.after["approved_although_not_eligible"] == ["Năm 2022: xếp loại HTNV (yêu cầu HTTNV trở lên)"]


def test_an_eligible_cell_is_approved_without_a_reason(client, tree, people, campaign):
    registration = builders.participant(campaign, tree.cell, status=RegistrationStatus.SUBMITTED)
    client.force_login(people.alice)
    assert _decide(client, registration).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert "approved_although_not_eligible" not in AuditEntry.objects.get(action="registration.approve").after


def test_a_workbook_approval_of_an_ineligible_cell_needs_its_reason_column(people, ineligible):
    with pytest.raises(Exception, match="không đáp ứng điều kiện"):
        services.registration.registration_import(
            campaign=ineligible.campaign,
            organization=ineligible.organization,
            status=RegistrationStatus.APPROVED,
            registered_on=None,
            registration=ineligible,
            acting_user=people.alice,
        )
    assert Registration.objects.get(pk=ineligible.pk).status == RegistrationStatus.SUBMITTED
    services.registration.registration_import(
        campaign=ineligible.campaign,
        organization=ineligible.organization,
        status=RegistrationStatus.APPROVED,
        registered_on=None,
        registration=ineligible,
        reason="Quyết định trên giấy số 12",
        acting_user=people.alice,
    )
    assert Registration.objects.get(pk=ineligible.pk).status == RegistrationStatus.APPROVED
    assert AuditEntry.objects.get(action="registration.approve").reason == "Quyết định trên giấy số 12"
