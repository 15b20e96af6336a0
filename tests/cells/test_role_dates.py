"""A role counts from its first day (valid_from, included) until its end (valid_to, the first day without
it), on the pages as in the scope itself: one day either side of each boundary."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cells.models import Role, RoleAssignment
from cells.scoping import Action, user_scope
from tests.factories import UserFactory

TODAY = timezone.localdate


def _staff_with(tree, valid_from, valid_to=None, role=Role.STAFF, org=None):
    user = UserFactory(username=f"u{RoleAssignment.objects.count()}")
    RoleAssignment.objects.create(
        user=user, organization=org or tree.district, role=role, valid_from=valid_from, valid_to=valid_to
    )
    return user


# (valid_from offset, valid_to offset or None, holds today)
BOUNDARIES = [
    (0, None, True),  # starts today
    (1, None, False),  # starts tomorrow
    (-30, 0, False),  # ended today: valid_to is the first day without the role
    (-30, 1, True),  # ends tomorrow
    (-30, -1, False),  # ended yesterday
]


@pytest.mark.parametrize(("start", "end", "holds"), BOUNDARIES)
def test_a_role_holds_from_its_first_day_until_the_day_it_ends(tree, start, end, holds):
    today = TODAY()
    user = _staff_with(
        tree, today + datetime.timedelta(days=start), today + datetime.timedelta(days=end) if end is not None else None
    )
    assert RoleAssignment.objects.current().filter(user=user).exists() is holds
    assert user_scope(user, Action.MANAGE).covers(tree.cell.path) is holds


@pytest.mark.parametrize(("start", "end", "holds"), BOUNDARIES)
def test_the_pages_follow_the_role_dates(client, tree, start, end, holds):
    today = TODAY()
    user = _staff_with(
        tree, today + datetime.timedelta(days=start), today + datetime.timedelta(days=end) if end is not None else None
    )
    client.force_login(user)
    expected = 200 if holds else 404
    assert client.get(reverse("cells:organization_detail", args=[tree.cell.pk])).status_code == expected
    assert client.get(reverse("cells:organization_edit", args=[tree.cell.pk])).status_code == expected
    # The tree page lists the committee only while the role holds.
    page = client.get(reverse("cells:organization_tree")).content.decode()
    assert ("Thành ủy Một" in page) is holds


def test_a_secretary_records_only_while_the_role_holds(client, tree):
    today = TODAY()
    starts_tomorrow = _staff_with(tree, today + datetime.timedelta(days=1), role=Role.SECRETARY, org=tree.cell)
    ended_today = _staff_with(tree, today - datetime.timedelta(days=9), today, role=Role.SECRETARY, org=tree.cell)
    current = _staff_with(tree, today, today + datetime.timedelta(days=1), role=Role.SECRETARY, org=tree.cell)
    url = reverse("evaluations:meetings:create", args=[tree.cell.pk])
    for user, status in ((starts_tomorrow, 404), (ended_today, 404), (current, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_current_on_a_given_day(tree):
    user = _staff_with(tree, datetime.date(2024, 1, 1), datetime.date(2024, 4, 1))
    current = RoleAssignment.objects.filter(user=user)
    assert not current.current(datetime.date(2023, 12, 31)).exists()
    assert current.current(datetime.date(2024, 1, 1)).exists()
    assert current.current(datetime.date(2024, 3, 31)).exists()
    assert not current.current(datetime.date(2024, 4, 1)).exists()
