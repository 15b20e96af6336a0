"""The pages of a rubric scored from the facts: the record page's live computed items, the assess page that
asks only for the typed items, and the appraisal page that corrects a fact with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.meetings import services
from evaluations.meetings.models import Meeting
from tests.factories import MemberFactory

from .helpers import GOOD_FACTS, make_meeting, make_rubric_2025

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 10)


@pytest.fixture
def rubric_2025(tree):
    return make_rubric_2025(tree.province)


def test_the_record_page_computes_the_items_from_what_is_typed(client, tree, people, rubric_2025):
    members = [MemberFactory(organization=tree.cell) for _ in range(10)]
    exempt = MemberFactory(organization=tree.cell, exempt=True)
    client.force_login(people.sue)
    page = client.get(reverse("evaluations:meetings:create", args=[tree.cell.pk]))
    assert reverse("evaluations:meetings:record_preview", args=[tree.cell.pk]) in page.content.decode()
    data = {"kind": "regular", "date": "10/03/2024", "duration_minutes": "70", "members_spoke": "5"}
    data.update({f"presence_{m.pk}": "present" for m in members[:9]})
    data[f"presence_{members[9].pk}"] = "unexcused"
    data[f"presence_{exempt.pk}"] = "excused"  # exempt: not counted
    data["documents_sent_on"] = "09/03/2024"
    answer = client.post(reverse("evaluations:meetings:record_preview", args=[tree.cell.pk]), data)
    assert answer.status_code == 200
    html = answer.content.decode()
    points = _points(html)
    # 9 of 10 → 90% → 4; 70 minutes → 3; 5 of 9 spoke (55.6%) → 5; 1 day before → 5; minutes not filed → 0.
    assert points == {"1.1": "4 / 5", "1.2": "3 / 5", "1.3": "5 / 5", "1.4": "5 / 5", "1.5": "0 / 5"}
    assert "90% " in html.replace("\xa0", " ") or "90%" in html
    assert not Meeting.objects.exists()


def _points(html: str) -> dict:
    import re

    found = re.findall(r'data-computed="([^"]+)".*?data-testid="computed-points">([^<]+)<', html, re.S)
    return {code: " ".join(text.split()) for code, text in found}


def test_the_assess_page_asks_only_for_the_typed_items_and_refuses_computed_points(client, tree, people, rubric_2025):
    meeting = make_meeting(tree.cell, date=DAY, **GOOD_FACTS)
    client.force_login(people.sue)
    url = reverse("evaluations:meetings:assess", args=[meeting.pk])
    html = client.get(url).content.decode()
    assert 'name="c_2_2"' in html
    assert 'name="c_1_1"' not in html and 'name="c_2_1"' not in html  # computed; counted full (regular)
    assert _points(html)["1.1"] == "5 / 5"
    answer = client.post(url, {"version": meeting.version, "c_2_2": "60", "c_1_1": "0", "submit": "1"})
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.self_total, meeting.status) == (Decimal(95), "submitted")
    assert not meeting.scores.filter(code="1.1").exists()


def test_the_appraisal_page_corrects_a_fact_with_a_reason_and_the_total_follows(
    client, tree, people, rubric_2025, sam_assigned
):
    meeting = make_meeting(tree.cell, date=DAY, **GOOD_FACTS)
    meeting = services.recording.meeting_self_assess(meeting=meeting, values={"2.2": 60}, submit=True, acting_user=None)
    client.force_login(people.sam)
    url = reverse("evaluations:meetings:appraise", args=[meeting.pk])
    html = client.get(url).content.decode()
    assert 'name="f_members_present"' in html and 'name="f_minutes_filed_on"' in html
    base = {
        "version": meeting.version,
        "a_2_2": "60",
        "f_members_total": "20",
        "f_members_present": "17",
        "f_duration_minutes": "95",
        "f_members_spoke": "10",
        "f_documents_sent_on": "08/03/2024",
        "f_minutes_filed_on": "11/03/2024",
    }
    preview = client.post(reverse("evaluations:meetings:preview", args=[meeting.pk, "a"]), base)
    assert _points(preview.content.decode())["1.1"] == "3 / 5"
    refused = client.post(url, base)
    assert refused.status_code == 200
    assert "f_members_present" in refused.context["facts_form"].errors  # corrected without a reason
    meeting.refresh_from_db()
    assert meeting.status == "submitted" and meeting.fact_corrections == {}
    done = client.post(url, {**base, "fr_members_present": "Biên bản ghi 17 đồng chí"})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.final_total, meeting.self_total, meeting.final_level) == (Decimal(93), Decimal(95), "kha")
    detail = client.get(reverse("evaluations:meetings:detail", args=[meeting.pk])).content.decode()
    assert "Biên bản ghi 17 đồng chí" in detail


def test_the_record_page_saves_the_facts_with_the_attendance_taps(client, tree, people, rubric_2025):
    members = [MemberFactory(organization=tree.cell) for _ in range(4)]
    client.force_login(people.sue)
    data = {"kind": "regular", "date": "10/03/2024", "duration_minutes": "95", "members_spoke": "3"}
    data.update({f"presence_{m.pk}": "present" for m in members})
    data.update({"documents_sent_on": "09/03/2024", "minutes_filed_on": "12/03/2024"})
    data.update({"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"})
    answer = client.post(reverse("evaluations:meetings:create", args=[tree.cell.pk]), data)
    assert answer.status_code == 302, answer.context["form"].errors
    meeting = Meeting.objects.get()
    assert (meeting.members_present, meeting.members_spoke, meeting.minutes_filed_on) == (
        4,
        3,
        datetime.date(2024, 3, 12),
    )
    # Every computed item full: 25, and 2.1 counted full for a regular meeting: 35 before anything is typed.
    assert meeting.self_total == Decimal(35)
    too_many = {**data, "members_spoke": "5", "date": "10/04/2024"}
    refused = client.post(reverse("evaluations:meetings:create", args=[tree.cell.pk]), too_many)
    assert refused.status_code == 200 and "members_spoke" in refused.context["form"].errors
