"""Nobody appraises what they recorded or self-assessed; a cell's officers neither appraise nor supervise it;
ended roles are offered nowhere; recognition decisions name who proposed and who decided."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cells.models import Role
from evaluations.campaigns import services as campaign_services
from evaluations.campaigns.models import RecognitionDecision
from evaluations.meetings import services
from evaluations.meetings.models import MeetingStatus, SupervisionAssignment
from evaluations.meetings.selectors import appraisal_queue
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, assign_supervisor, make_framework
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(tree):
    return make_framework(tree.province)


def _recorded_by(user, cell):
    meeting = services.recording.meeting_create(
        organization=cell, kind="regular", date=datetime.date(2024, 3, 10), acting_user=user
    )
    return services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=user)


def test_staff_who_recorded_a_meeting_cannot_appraise_it(tree, people, framework):
    meeting = _recorded_by(people.alice, tree.cell)
    with pytest.raises(ValidationError, match="someone else appraises it|người khác phải thẩm định"):
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.alice)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED and meeting.appraised_by is None
    assert meeting not in appraisal_queue(people.alice)


def test_the_cells_secretary_assigned_as_supervisor_still_cannot_appraise(tree, people, framework):
    meeting = _recorded_by(None, tree.cell)
    assign_supervisor(tree.cell, people.sue)  # wrongly assigned (bypassing the service)
    with pytest.raises(ValidationError):
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.sue)
    assert meeting not in appraisal_queue(people.sue)


def test_another_staff_member_appraises_what_a_colleague_recorded(tree, people, framework):
    meeting = _recorded_by(people.alice, tree.cell)
    colleague = UserFactory(username="colleague")
    assign(colleague, tree.district, Role.STAFF)
    appraised = services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=colleague)
    assert (appraised.status, appraised.appraised_by) == (MeetingStatus.APPRAISED, colleague)


def test_the_appraise_button_is_hidden_from_who_recorded_and_the_page_refuses(client, tree, people, framework):
    meeting = _recorded_by(people.alice, tree.cell)
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert reverse("evaluations:meetings:appraise", kwargs={"pk": meeting.pk}) not in page
    response = client.post(reverse("evaluations:meetings:appraise", kwargs={"pk": meeting.pk}), {})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED


def test_a_cells_secretary_cannot_be_assigned_to_supervise_it(tree, people):
    with pytest.raises(ValidationError):
        services.planning.supervision_assign(
            organization=tree.cell,
            supervisor=people.sue,
            valid_from=datetime.date(2024, 1, 1),
            acting_user=people.alice,
        )
    assert not SupervisionAssignment.objects.exists()


def test_the_supervision_form_offers_neither_ended_roles_nor_secretaries(client, tree, people):
    former = UserFactory(username="former", first_name="Cựu", last_name="Cán bộ")
    role = assign(former, tree.district, Role.STAFF)
    role.valid_to = datetime.date(2020, 1, 1)
    role.valid_from = datetime.date(2019, 1, 1)
    role.save()
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:supervision", kwargs={"org_pk": tree.grassroots.pk}))
    options = {o.pk for o in page.context["form"].fields["supervisor"].queryset}
    assert former.pk not in options and people.sue.pk not in options
    assert people.alice.pk in options


def test_the_meeting_form_does_not_offer_the_cells_secretary_as_attending_supervisor(client, tree, people, framework):
    client.force_login(people.sue)
    page = client.get(reverse("evaluations:meetings:create", kwargs={"cell_pk": tree.cell.pk}))
    options = {o.pk for o in page.context["form"].fields["attending_supervisor"].queryset}
    assert people.sue.pk not in options and people.alice.pk in options


@pytest.fixture
def campaign(tree):
    return builders.campaign(tree, builders.scored_framework(tree.district))


def test_who_self_assessed_an_annual_result_cannot_appraise_or_confirm_it(tree, people, campaign):
    registration = builders.participant(campaign, tree.cell)
    criterion = builders.criterion(registration, "1.1")
    campaign_services.answers.answer_self_save(
        registration=registration, criterion=criterion, points=5, acting_user=people.alice
    )
    with pytest.raises(ValidationError, match="someone else appraises it|người khác phải thẩm định"):
        campaign_services.answers.answer_appraise(
            registration=registration, criterion=criterion, points=4, reason="x", acting_user=people.alice
        )
    with pytest.raises(ValidationError):
        campaign_services.answers.registration_confirm(registration=registration, acting_user=people.alice)
    registration.refresh_from_db()
    assert registration.confirmed_at is None


def test_a_recognition_decision_names_who_proposed_and_who_decided(tree, people, campaign):
    registration = builders.participant(campaign, tree.cell)
    registration.confirmed_at, registration.result = datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC), "dat"
    registration.save()
    decision = campaign_services.recognition.decision_record(
        campaign=campaign,
        number="12-QĐ/TU",
        decided_on=datetime.date(2024, 12, 20),
        signer="Nguyễn Văn Bí thư",
        proposal="Tờ trình 5-TTr/BTC",
        registrations=[registration],
        acting_user=people.alice,
    )
    decision = RecognitionDecision.objects.get(pk=decision.pk)
    assert (decision.proposed_by, decision.signer, decision.proposal) == (
        people.alice,
        "Nguyễn Văn Bí thư",
        "Tờ trình 5-TTr/BTC",
    )
