"""Registration by grassroots committees (Y9): a grassroots committee proposes its cells' registrations and
the board approves the list, through the pages; each approval is audited, an ineligible cell needs a reason."""

import html

import pytest
from django.urls import reverse

from cells.models import AuditEntry, Role
from evaluations.campaigns import services
from evaluations.campaigns.models import Registration, RegistrationProposal, RegistrationStatus
from tests.factories import UserFactory, assign

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_staff(tree):
    user = UserFactory(username="vanphong.phuong", first_name="Trần Thị", last_name="Lan")
    assign(user, tree.grassroots, Role.STAFF)
    return user


@pytest.fixture
def submitted(tree, campaign):
    return [
        builders.participant(campaign, cell, status=RegistrationStatus.SUBMITTED) for cell in (tree.cell, tree.school)
    ]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_grassroots_committee_proposes_and_the_board_approves_the_list(
    client, tree, people, campaign, submitted, ward_staff
):
    client.force_login(ward_staff)
    assert "Đề nghị danh sách" in _text(client.get(reverse("evaluations:campaign_detail", args=[campaign.pk])))
    url = reverse("evaluations:campaign_propose", args=[campaign.pk])
    page = client.get(url)
    assert tree.cell.name in _text(page) and tree.school.name in _text(page)
    response = client.post(
        url,
        {
            "committee": tree.grassroots.pk,
            "registrations": [r.pk for r in submitted],
            "reference": "15-TTr/ĐU",
            "proposed_on": "20/02/2024",
        },
    )
    proposal = RegistrationProposal.objects.get()
    assert response.url == reverse("evaluations:proposal_detail", args=[proposal.pk])
    assert proposal.committee == tree.grassroots and proposal.proposed_by == ward_staff
    assert sorted(r.pk for r in proposal.registrations.all()) == sorted(r.pk for r in submitted)
    entry = AuditEntry.objects.get(action="registration.propose")
    assert entry.actor == ward_staff and entry.after["cells"] == ["C1", "C2"]
    # The ward staff see their list but do not approve it.
    assert "Duyệt danh sách" not in _text(client.get(response.url))
    client.post(reverse("evaluations:proposal_approve", args=[proposal.pk]))
    assert RegistrationProposal.objects.get().approved_at is None

    client.force_login(people.alice)
    detail = _text(client.get(response.url))
    assert "Trần Thị Lan" in detail and "15-TTr/ĐU" in detail and "Duyệt danh sách" in detail
    client.post(reverse("evaluations:proposal_approve", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.approved_by == people.alice and proposal.approved_at is not None
    assert set(Registration.objects.values_list("status", flat=True)) == {RegistrationStatus.APPROVED}
    assert AuditEntry.objects.filter(action="registration.approve", actor=people.alice).count() == 2
    assert AuditEntry.objects.get(action="registration.approve_list").after["approved"] == ["C1", "C2"]
    # Proposed once: nothing left to propose.
    client.force_login(ward_staff)
    assert "Không có đăng ký nào" in _text(client.get(url))


def test_a_list_with_an_ineligible_cell_is_approved_only_with_a_reason_all_or_nothing(
    client, tree, people, four_good, ward_staff
):
    campaign = builders.campaign(tree, four_good, eligibility_good_years=1)
    services.ratings.year_rating_set(organization=tree.cell, year=2023, rating="HTTNV", acting_user=None)
    services.ratings.year_rating_set(organization=tree.school, year=2023, rating="HTNV", acting_user=None)
    regs = [builders.participant(campaign, c, status=RegistrationStatus.SUBMITTED) for c in (tree.cell, tree.school)]
    proposal = services.proposals.registration_propose(
        campaign=campaign, committee=tree.grassroots, registrations=regs, acting_user=ward_staff
    )
    client.force_login(people.alice)
    detail = _text(client.get(reverse("evaluations:proposal_detail", args=[proposal.pk])))
    assert "Năm 2023: xếp loại HTNV (yêu cầu HTTNV trở lên)" in detail
    refused = _text(client.post(reverse("evaluations:proposal_approve", args=[proposal.pk])))
    assert f"{tree.school.name}: Chi bộ không đáp ứng điều kiện đăng ký" in refused
    assert set(Registration.objects.values_list("status", flat=True)) == {RegistrationStatus.SUBMITTED}
    assert not AuditEntry.objects.filter(action="registration.approve").exists()
    client.post(reverse("evaluations:proposal_approve", args=[proposal.pk]), {"reason": "Ban Thường vụ cho phép"})
    assert set(Registration.objects.values_list("status", flat=True)) == {RegistrationStatus.APPROVED}
    assert AuditEntry.objects.get(action="registration.approve_list").reason == "Ban Thường vụ cho phép"


def test_a_committee_proposes_only_its_own_cells_and_outsiders_see_no_list(
    client, tree, people, four_good, campaign, submitted, ward_staff
):
    province_campaign = builders.campaign(tree, four_good, code="KH-KHAC", owner=tree.province)
    other = builders.participant(province_campaign, tree.other_cell, status="submitted")
    with pytest.raises(Exception, match="chỉ đăng ký đã gửi"):
        services.proposals.registration_propose(
            campaign=campaign, committee=tree.grassroots, registrations=[other], acting_user=ward_staff
        )
    proposal = services.proposals.registration_propose(
        campaign=campaign, committee=tree.grassroots, registrations=submitted[:1], acting_user=ward_staff
    )
    client.force_login(people.charlie)
    assert client.get(reverse("evaluations:proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("evaluations:proposal_approve", args=[proposal.pk])).status_code == 404
    assert RegistrationProposal.objects.get().approved_at is None
