"""The permission matrix for a grassroots organisation's meeting and the pages it reaches (issue 23): the same
pages as a cell's meeting, asked about the ward's committee meeting, for every persona of
tests/permission_matrix.py and the ward's own office ("office": staff of the grassroots organisation).

Its office records and self-assesses, but neither appraises nor reopens; the committee above (district and
province staff) appraises; leadership reads; a cell's secretary and supervisor below see nothing of it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cells.models import Role
from evaluations.meetings import services
from tests.factories import UserFactory, assign
from tests.permission_matrix import PERSONAS, build_personas, cell, fingerprint

from .helpers import FULL, make_framework

pytestmark = pytest.mark.django_db

COLUMNS = (*PERSONAS, "office")

# name, url arguments ("org" the ward, "meeting" its submitted committee meeting), query, method: one answer
# per persona in COLUMNS order ("+": the request changed data).
TABLE = [
    ("evaluations:meetings:create", "org", "", "get", "200 200 200 404 404 404 404 404 404 302 200"),
    ("evaluations:meetings:detail", "meeting", "", "get", "200 200 200 404 200 404 404 404 404 302 200"),
    ("evaluations:meetings:edit", "meeting", "", "get", "200 200 200 404 404 404 404 404 404 302 200"),
    ("evaluations:meetings:assess", "meeting", "", "get", "200 200 200 404 404 404 404 404 404 302 200"),
    ("evaluations:meetings:appraise", "meeting", "", "get", "200 200 200 404 404 404 404 404 404 302 404"),
    ("evaluations:meetings:appraise", "meeting", "", "post", "302+ 302+ 302+ 404 404 404 404 404 404 302 404"),
    ("evaluations:meetings:queue", "", "", "get", "200 200 200 200 200 200 200 200 200 302 200"),
    ("evaluations:meetings:ranking", "", "?level=grassroots&period=2024", "get",
     "200 200 200 200 200 200 200 200 200 302 200"),
    ("evaluations:meetings:thematic_compliance", "", "?year=2024", "get",
     "200 200 200 200 200 200 200 200 200 302 200"),
    # The plan of the district, which the ward registers for (itself, or proposed by the district).
    ("evaluations:campaign_register", "campaign", "", "get", "200 200 200 404 404 404 404 200 404 302 200"),
]  # fmt: skip


@pytest.fixture
def world(tree, people):
    personas = build_personas(tree, people)
    office = UserFactory(username="vanphong")
    assign(office, tree.grassroots, Role.STAFF)
    personas.office = office
    framework = make_framework(tree.province, "SH-DU")
    framework.__class__.objects.filter(pk=framework.pk).update(meeting_kind="committee", org_levels=["grassroots"])
    meeting = services.recording.meeting_create(
        organization=tree.grassroots, kind="committee", date=datetime.date(2024, 3, 5), acting_user=office
    )
    services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=office)
    from tests.evaluations.campaigns import builders

    personas.campaign = builders.campaign(tree, code="4T-2024", registration_deadline=None)
    return tree, personas, meeting


def _ask(client, method, url, data):
    from django.db import transaction

    with transaction.atomic():
        before = fingerprint()
        response = client.post(url, data) if method == "post" else client.get(url)
        changed = fingerprint() != before
        transaction.set_rollback(True)
    return cell(response.status_code, changed)


@pytest.mark.parametrize(("name", "arg", "query", "method", "line"), TABLE, ids=[f"{t[0]}-{t[3]}" for t in TABLE])
def test_each_persona_gets_what_the_table_says_of_a_grassroots_meeting(world, name, arg, query, method, line):
    tree, personas, meeting = world
    kwargs = {
        "org": {"cell_pk": tree.grassroots.pk},
        "meeting": {"pk": meeting.pk},
        "campaign": {"pk": personas.campaign.pk},
    }.get(arg, {})
    url = reverse(name, kwargs=kwargs) + query
    meeting.refresh_from_db()
    data = {"note": "Đồng ý", "version": meeting.version} | {
        f"a_{code.replace('.', '_')}": points for code, points in FULL.items()
    }
    wrong = []
    for persona, expected in zip(COLUMNS, line.split(), strict=True):
        client = Client()
        user = getattr(personas, persona)
        if user is not None:
            client.force_login(user)
        got = _ask(client, method, url, data)
        if got != expected:
            wrong.append(f"{method.upper()} {name} as {persona}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)
