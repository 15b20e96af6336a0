"""A write sent again with the same idempotency key (an outbox resending after a lost answer) is answered
"already saved" and stored once: meeting records, meeting scores, annual self-assessments, registrations.
Without the key, a resent score would be refused by the version check (the first send moved it on)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cells.models import AuditEntry, ClientWrite
from evaluations.campaigns.models import AnnualAnswer, Registration
from evaluations.meetings.models import Meeting
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import make_framework, make_meeting

pytestmark = pytest.mark.django_db
ALREADY = "Đã lưu rồi"


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_resent_meeting_record_is_saved_once(client, tree, people, roster):
    client.force_login(people.sue)
    day = datetime.date.today() - datetime.timedelta(days=1)
    post = {
        "kind": "regular",
        "date": f"{day:%d/%m/%Y}",
        "client_key": "k-meeting-1",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    url = f"/evaluations/meetings/record/{tree.cell.pk}/"
    first = client.post(url, post)
    again = client.post(url, post)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Meeting.objects.count() == 1
    assert ALREADY in said(again)


def test_a_resent_score_is_already_saved_not_refused_as_stale(client, tree, people, roster):
    make_framework(tree.province)
    meeting = make_meeting(tree.cell, date=datetime.date.today())
    client.force_login(people.sue)
    url = reverse("evaluations:meetings:assess", args=[meeting.pk])
    post = {"version": meeting.version, "client_key": "k-score-1", "c_1_1": "10", "c_1_2": "5", "draft": ""}
    first = client.post(url, post)
    assert first.status_code == 302
    meeting.refresh_from_db()
    saved_version = meeting.version
    audits = AuditEntry.objects.count()
    again = client.post(url, post)  # the same bytes: version now stale
    assert again.status_code == 302 and ALREADY in said(again)
    meeting.refresh_from_db()
    assert meeting.version == saved_version and AuditEntry.objects.count() == audits
    assert ClientWrite.objects.filter(kind="meeting-score", key="k-score-1", object_id=meeting.pk).count() == 1

    stale = client.post(url, {**post, "client_key": "k-score-2"})  # a different write from the old page
    assert stale.status_code == 200  # refused by the version check, as before


def test_a_key_is_one_users_and_one_meetings(client, tree, people, roster):
    make_framework(tree.province)
    meeting = make_meeting(tree.cell, date=datetime.date.today())
    client.force_login(people.sue)
    url = reverse("evaluations:meetings:assess", args=[meeting.pk])
    client.post(url, {"version": meeting.version, "client_key": "k", "c_1_1": "10", "draft": ""})
    client.force_login(people.alice)
    meeting.refresh_from_db()
    answer = client.post(url, {"version": meeting.version, "client_key": "k", "c_1_1": "8", "draft": ""})
    assert answer.status_code == 302 and ALREADY not in said(answer)


def test_a_resent_registration_is_saved_once(client, tree, people):
    campaign = builders.campaign(tree, registration_deadline=None)
    client.force_login(people.sue)
    url = reverse("evaluations:campaign_register", args=[campaign.pk])
    post = {
        "organization": tree.cell.pk,
        "survey_report": "Khảo sát",
        "expected_completion": "01/12/2024",
        "client_key": "k-reg",
    }
    first = client.post(url, post)
    again = client.post(url, post)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Registration.objects.count() == 1 and ALREADY in said(again)


def test_a_resent_self_assessment_is_saved_once(client, tree, people):
    campaign = builders.campaign(tree, registration_deadline=None)
    registration = builders.participant(campaign, tree.cell)
    c = builders.criterion(registration, "1.1")
    client.force_login(people.sue)
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    post = {"version": registration.version, f"a_{c.id}": "1", "client_key": "k-assess"}
    assert client.post(url, post).status_code == 302
    registration.refresh_from_db()
    version, audits = registration.version, AuditEntry.objects.count()
    again = client.post(url, post)
    assert again.status_code == 302 and ALREADY in said(again)
    registration.refresh_from_db()
    assert registration.version == version and AuditEntry.objects.count() == audits
    assert AnnualAnswer.objects.get(registration=registration, criterion=c).self_achieved is True
