"""What each POST view changes, not only what it answers: the row written (or gone), the audit entry
naming who did it, and, for a refused request (leadership, the sibling district's staff), that nothing
changed at all. The scope table and the permission matrix check statuses for every URL; these check
the effect of the pages whose only visible answer is a redirect (issue 16: a view that did nothing
answered 302 like one that worked)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cells.models import AuditEntry, Member, OfficerTerm, RoleAssignment
from criteria.models import Framework, RatingLevel
from evaluations.campaigns.models import Award, Registration
from evaluations.meetings.models import SupervisionAssignment, ThematicPlanItem
from tests.criteria.view_cases import _draft
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import assign_supervisor
from tests.evaluations.meetings.view_cases import _plan_item
from tests.factories import MemberFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def audits(action: str, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters))


def refused(client, user, url, data=None, **extra) -> int:
    """POST as ``user`` and return the status; the caller checks nothing changed."""
    client.force_login(user)
    return client.post(url, data or {}, **extra).status_code


# --- cells ----------------------------------------------------------------------------------------


def test_member_edit(client, tree, people):
    member = MemberFactory(organization=tree.cell, full_name="Trần Văn An")
    url = reverse("cells:member_edit", args=[member.pk])
    data = {"code": member.code, "full_name": "Trần Văn Bình", "status": member.status, "joined_on": "01/01/2010"}
    for outsider in (people.lena, people.charlie, people.sue):
        assert refused(client, outsider, url, data) == 404
    assert Member.objects.get(pk=member.pk).full_name == "Trần Văn An"
    assert not audits("member.update")

    client.force_login(people.alice)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Member.objects.get(pk=member.pk).full_name == "Trần Văn Bình"
    [entry] = audits("member.update")
    assert entry.actor == people.alice and entry.object_id == str(member.pk)


def test_officer_end(client, tree, people):
    from tests.cells.view_cases import _term

    term = _term(tree, people)
    url = reverse("cells:officer_end", args=[term.pk])
    for outsider in (people.lena, people.charlie, people.sue):
        assert refused(client, outsider, url) == 404
    assert OfficerTerm.objects.get(pk=term.pk).ended_on is None
    assert not audits("officer.end")

    client.force_login(people.alice)
    assert client.post(url).status_code == 302
    ended = OfficerTerm.objects.get(pk=term.pk).ended_on
    assert ended == max(term.started_on, timezone.localdate())
    [entry] = audits("officer.end")
    assert entry.actor == people.alice and entry.after == {"ended_on": ended.isoformat()}


def test_role_end(client, tree, people):
    assignment = RoleAssignment.objects.get(user=people.sue)
    url = reverse("cells:role_end", args=[assignment.pk])
    for outsider in (people.lena, people.charlie, people.sam):
        assert refused(client, outsider, url) == 404
    assert RoleAssignment.objects.get(pk=assignment.pk).valid_to is None
    assert not audits("role.end")

    client.force_login(people.alice)
    assert client.post(url).status_code == 302
    ended = RoleAssignment.objects.get(pk=assignment.pk).valid_to
    assert ended == max(timezone.localdate(), assignment.valid_from)
    [entry] = audits("role.end")
    assert entry.actor == people.alice and entry.organization == tree.cell
    # The ended role no longer gives sue her cell: she gets 404 for it (valid_to is the first day without it).
    client.force_login(people.sue)
    assert client.get(reverse("cells:organization_detail", args=[tree.cell.pk])).status_code == 404


# --- criteria -------------------------------------------------------------------------------------


def test_framework_delete(client, tree, people):
    draft = _draft(tree, people)
    url = reverse("criteria:framework_delete", args=[draft.framework.pk])
    for outsider in (people.lena, people.charlie):
        assert refused(client, outsider, url) == 404
    assert Framework.objects.filter(pk=draft.framework.pk).exists()
    assert not audits("framework.delete")

    client.force_login(people.alice)
    assert client.post(url).status_code == 302
    assert not Framework.objects.filter(pk=draft.framework.pk).exists()
    [entry] = audits("framework.delete")
    assert entry.actor == people.alice and entry.before["code"] == "SH-D1"


def test_level_delete(client, tree, people):
    draft = _draft(tree, people)
    url = reverse("criteria:level_delete", args=[draft.level.pk])
    for outsider in (people.lena, people.charlie):
        assert refused(client, outsider, url, **HTMX) == 404
    assert RatingLevel.objects.filter(pk=draft.level.pk).exists()
    assert not audits("rating_level.delete")

    client.force_login(people.alice)
    assert client.post(url, **HTMX).status_code == 200
    assert not RatingLevel.objects.filter(pk=draft.level.pk).exists()
    [entry] = audits("rating_level.delete")
    assert entry.actor == people.alice and entry.before["code"] == "tot"


# --- meetings: supervision and thematic plans -----------------------------------------------------


def test_assignment_end(client, tree, people):
    assignment = assign_supervisor(tree.cell, people.sam)
    url = reverse("evaluations:meetings:assignment_end", args=[assignment.pk])
    for outsider in (people.lena, people.charlie, people.sam, people.sue):
        assert refused(client, outsider, url) == 404
    assert SupervisionAssignment.objects.get(pk=assignment.pk).valid_to is None
    assert not audits("supervision.end")

    client.force_login(people.alice)
    assert client.post(url).status_code == 302
    assert SupervisionAssignment.objects.get(pk=assignment.pk).valid_to == timezone.localdate()
    [entry] = audits("supervision.end")
    assert entry.actor == people.alice and entry.before == {"valid_to": None}


def test_thematic_item_delete(client, tree, people):
    item = _plan_item(tree, people)
    url = reverse("evaluations:meetings:thematic_item_delete", args=[item.pk])
    for outsider in (people.lena, people.charlie, people.sam):
        assert refused(client, outsider, url) == 404
    assert ThematicPlanItem.objects.filter(pk=item.pk).exists()
    assert not audits("thematic_plan.remove")

    client.force_login(people.sue)
    assert client.post(url).status_code == 302
    assert not ThematicPlanItem.objects.filter(pk=item.pk).exists()
    [entry] = audits("thematic_plan.remove")
    assert entry.actor == people.sue and entry.before["quarter"] == 1


# --- campaigns: reopening a result, awards ---------------------------------------------------------


@pytest.fixture
def confirmed(tree):
    registration = builders.participant(builders.campaign(tree), tree.cell)
    Registration.objects.filter(pk=registration.pk).update(
        confirmed_at=timezone.now(), result="dat", outcome="recognized_new"
    )
    registration.refresh_from_db()
    return registration


def test_registration_reopen(client, tree, people, confirmed):
    url = reverse("evaluations:registration_reopen", args=[confirmed.pk])
    for outsider in (people.lena, people.charlie, people.sue):
        assert refused(client, outsider, url, {"reason": "Sai số liệu"}) == 404
    assert Registration.objects.get(pk=confirmed.pk).confirmed_at is not None
    assert not audits("annual.reopen")

    client.force_login(people.alice)
    # Without a reason nothing is reopened.
    assert client.post(url, {"reason": " "}).status_code == 302
    assert Registration.objects.get(pk=confirmed.pk).confirmed_at is not None
    assert client.post(url, {"reason": "Sai số liệu"}).status_code == 302
    reopened = Registration.objects.get(pk=confirmed.pk)
    assert (reopened.confirmed_at, reopened.result, reopened.outcome) == (None, "", "")
    [entry] = audits("annual.reopen")
    assert entry.actor == people.alice and entry.reason == "Sai số liệu"


def test_award_add(client, tree, people, confirmed):
    _decide(confirmed, people)
    url = reverse("evaluations:registration_award_add", args=[confirmed.pk])
    data = {"kind": "commendation", "description": "Giấy khen", "granted_on": "20/12/2024", "reference": "02-QĐ"}
    for outsider in (people.lena, people.charlie, people.sue):
        assert refused(client, outsider, url, data) == 404
    assert not Award.objects.exists()

    client.force_login(people.alice)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [award] = Award.objects.all()
    assert (award.registration_id, award.description, award.granted_on) == (
        confirmed.pk,
        "Giấy khen",
        datetime.date(2024, 12, 20),
    )
    [entry] = audits("award.commendation")
    assert entry.actor == people.alice and entry.organization == tree.cell


def _decide(registration, people):
    """A recognition decision naming the cell (awards go only to recognized cells)."""
    from evaluations.campaigns.models import RecognitionDecision

    decision = RecognitionDecision.objects.create(
        campaign=registration.campaign,
        number="01-QĐ/TU",
        decided_on=datetime.date(2024, 12, 20),
        signer="Hoàng Văn Sơn",
        proposed_by=people.alice,
    )
    decision.registrations.add(registration)
    return decision
