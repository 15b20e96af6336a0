"""The dated history of the tree: intervals, and rename / move / merge / dissolve with an effective date."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cells import history, services
from cells.models import (
    AuditEntry,
    Level,
    Member,
    MemberTransfer,
    OfficerTerm,
    Organization,
    OrganizationInterval,
    Position,
    RoleAssignment,
)
from tests.evaluations.meetings.helpers import make_framework, make_meeting
from tests.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db

JULY = datetime.date(2025, 7, 1)
Y2024 = (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1))
Y2025 = (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))


def codes(standing_list):
    return {s.code for s in standing_list}


def test_every_organisation_has_one_open_interval_where_it_stands(tree):
    interval = OrganizationInterval.objects.get(organization=tree.cell)
    assert interval.valid_to is None
    assert (interval.path, interval.parent_id, interval.name) == (tree.cell.path, tree.grassroots.pk, tree.cell.name)


@contextlib.contextmanager
def schema_at(migration: str):
    """The database migrated back to ``cells.<migration>`` (and forward again afterwards): its models."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("cells", migration)])
    try:
        yield MigrationExecutor(connection).loader.project_state([("cells", migration)]).apps
    finally:
        MigrationExecutor(connection).migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_the_history_migrations_move_every_organisations_states_and_names_into_one_history():
    """0006 gives each existing organisation one state where it stands; 0011 moves the names kept in the
    former name history into the states (splitting a state where a name began inside it) and removes it."""
    import importlib

    with schema_at("0006_history") as old:
        org_model, name_model = old.get_model("cells", "Organization"), old.get_model("cells", "OrganizationName")
        interval_model = old.get_model("cells", "OrganizationInterval")
        root = org_model.objects.create(code="P", name="Tỉnh ủy", level=Level.PROVINCE, path="x", depth=0)
        root.path = f"{root.pk:08d}/"
        root.save()
        ended = org_model.objects.create(
            code="D", name="Huyện ủy", level=Level.DISTRICT, path=f"{root.path}x/", depth=1, parent=root,
            is_active=False, dissolved_on=datetime.date(2023, 5, 1),
        )  # fmt: skip
        name_model.objects.create(organization=root, name="Tỉnh ủy cũ", valid_from=datetime.date(2020, 1, 1),
                                  valid_to=datetime.date(2024, 3, 1))  # fmt: skip
        name_model.objects.create(organization=root, name="Tỉnh ủy", valid_from=datetime.date(2024, 3, 1))
        name_model.objects.create(organization=ended, name="Huyện ủy", valid_from=datetime.date(2020, 1, 1),
                                  valid_to=datetime.date(2023, 5, 1))  # fmt: skip
        importlib.import_module("cells.migrations.0006_history").open_intervals(old, None)
        states = {
            code: list(
                interval_model.objects.filter(organization__code=code).values_list("valid_from", "valid_to", "name")
            )
            for code in ("P", "D")
        }
        # 0006: one state each, from its first name's day, closed on the day it ended, with today's name.
        assert states == {
            "P": [(datetime.date(2020, 1, 1), None, "Tỉnh ủy")],
            "D": [(datetime.date(2020, 1, 1), datetime.date(2023, 5, 1), "Huyện ủy")],
        }
    # Forward to 0011 and beyond: the former name is in the states, and the name table is gone.
    states = list(
        OrganizationInterval.objects.filter(organization__code="P").values_list("valid_from", "valid_to", "name")
    )
    assert states == [
        (datetime.date(2020, 1, 1), datetime.date(2024, 3, 1), "Tỉnh ủy cũ"),
        (datetime.date(2024, 3, 1), None, "Tỉnh ủy"),
    ]
    assert Organization.objects.get(code="P").name_on(datetime.date(2023, 12, 31)) == "Tỉnh ủy cũ"
    from django.db import connection

    assert "cells_organizationname" not in connection.introspection.table_names()


def test_a_move_keeps_where_the_subtree_stood_before(tree, people):
    services.organization_move(
        organization=tree.grassroots, new_parent=tree.province, effective_on=JULY, acting_user=people.alice
    )
    assert codes(history.standings(tree.district, *Y2024)) == {"D1", "G1", "C1", "C2"}
    assert codes(history.standings(tree.district, datetime.date(2025, 8, 1), datetime.date(2025, 9, 1))) == {"D1"}
    # A period's subtree holds an organisation where it stood on its last day in the period: the ward
    # and its cells stood under the district until June, so its first half holds them, its year does not.
    assert codes(history.standings(tree.district, datetime.date(2025, 1, 1), JULY)) == {"D1", "G1", "C1", "C2"}
    assert codes(history.standings(tree.district, *Y2025)) == {"D1"}
    cell = next(s for s in history.standings(tree.province, *Y2025) if s.code == "C1")
    assert cell.path == tree.province.path + f"{tree.grassroots.pk:08d}/{tree.cell.pk:08d}/"
    assert cell.months_existing == 12
    assert AuditEntry.objects.get(action="organization.move").after["effective_on"] == "2025-07-01"


def test_the_subtree_in_a_period_is_a_fixed_number_of_queries(tree, django_assert_num_queries):
    for n in range(5):
        make_org(f"Chi bộ {n}", Level.CELL, tree.grassroots)
    services.organization_move(
        organization=tree.grassroots, new_parent=tree.province, effective_on=JULY, acting_user=None
    )
    with django_assert_num_queries(2):
        rows = history.cells_in_period(tree.province, *Y2025)
    assert len(rows) == 8


def test_a_rename_is_seen_only_from_its_day(tree):
    services.organization_rename(
        organization=tree.cell, new_name="Chi bộ Tổ dân phố Hợp Nhất", effective_on=JULY, acting_user=None
    )
    assert {s.name for s in history.cells_in_period(tree.grassroots, *Y2024) if s.code == "C1"} == {
        "Chi bộ Tổ dân phố số 3"
    }
    # Named as it was on its last day in the period.
    assert {s.name for s in history.cells_in_period(tree.grassroots, *Y2025) if s.code == "C1"} == {
        "Chi bộ Tổ dân phố Hợp Nhất"
    }


def test_a_move_and_a_rename_on_one_day_make_one_state(tree):
    services.organization_move(
        organization=tree.grassroots, new_parent=tree.province, effective_on=JULY, acting_user=None
    )
    services.organization_rename(
        organization=tree.grassroots, new_name="Đảng ủy phường Mới", effective_on=JULY, acting_user=None
    )
    states = list(OrganizationInterval.objects.filter(organization=tree.grassroots).values_list("valid_from", "name"))
    assert states == [(datetime.date(2020, 1, 1), "Đảng ủy phường Một"), (JULY, "Đảng ủy phường Mới")]


def test_a_change_dated_after_today_or_before_the_current_state_is_refused(tree):
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        services.organization_move(
            organization=tree.cell,
            new_parent=tree.other_grassroots,
            effective_on=datetime.date.today() + datetime.timedelta(days=3),
            acting_user=None,
        )
    services.organization_move(
        organization=tree.cell, new_parent=tree.other_grassroots, effective_on=JULY, acting_user=None
    )
    with pytest.raises(ValidationError):
        services.organization_move(
            organization=tree.cell, new_parent=tree.grassroots, effective_on=datetime.date(2025, 1, 1), acting_user=None
        )


def test_merging_moves_children_members_and_officers_from_its_day(tree, people):
    members = [MemberFactory(organization=tree.school) for _ in range(3)]
    services.officer_appoint(
        organization=tree.school, member=members[0], position=Position.SECRETARY,
        started_on=datetime.date(2021, 1, 1), acting_user=None,
    )  # fmt: skip
    keeper = MemberFactory(organization=tree.cell)
    services.officer_appoint(
        organization=tree.cell, member=keeper, position=Position.SECRETARY,
        started_on=datetime.date(2021, 1, 1), acting_user=None,
    )  # fmt: skip
    services.organization_merge(source=tree.school, target=tree.cell, effective_on=JULY, acting_user=people.alice)
    assert Member.objects.filter(organization=tree.cell).count() == 4
    assert MemberTransfer.objects.filter(from_organization=tree.school, on=JULY).count() == 3
    carried = OfficerTerm.objects.get(organization=tree.cell, member=members[0])
    # The target keeps its secretary; the merged cell's secretary becomes a deputy there.
    assert (carried.position, carried.started_on) == (Position.DEPUTY_SECRETARY, JULY)
    assert OfficerTerm.objects.get(organization=tree.school).ended_on == JULY
    school = next(s for s in history.cells_in_period(tree.grassroots, *Y2025) if s.code == "C2")
    assert school.months_existing == 6
    assert "C2" not in codes(history.cells_in_period(tree.grassroots, JULY, Y2025[1]))
    entry = AuditEntry.objects.get(action="organization.merge")
    assert (entry.actor, entry.after["members_moved"], entry.after["officers_moved"]) == (people.alice, 3, 1)


def test_a_commune_committee_takes_over_from_an_abolished_district(tree, people):
    direct = make_org("Chi bộ cơ sở Trạm", Level.GRASSROOTS_CELL, tree.district)
    services.organization_move(
        organization=tree.grassroots, new_parent=tree.province, effective_on=JULY, acting_user=None
    )
    services.organization_merge(
        source=tree.district, target=tree.other_grassroots, effective_on=JULY, acting_user=people.alice
    )
    direct.refresh_from_db()
    # The district's grassroots cell becomes a cell of the commune committee, from that day.
    assert (direct.parent, direct.level) == (tree.other_grassroots, Level.CELL)
    assert list(direct.intervals.values_list("level", flat=True)) == [Level.GRASSROOTS_CELL, Level.CELL]
    assert not RoleAssignment.objects.current(JULY).filter(user=people.alice, organization=tree.district).exists()
    assert codes(history.standings(tree.district, *Y2024)) == {"D1", "G1", "C1", "C2", direct.code}


def test_a_merge_whose_children_the_successor_cannot_hold_is_refused_by_name(tree):
    with pytest.raises(ValidationError, match=tree.grassroots.name):
        services.organization_merge(
            source=tree.district, target=tree.other_grassroots, effective_on=JULY, acting_user=None
        )
    assert Organization.objects.get(pk=tree.district.pk).is_active


def test_records_on_or_after_the_end_block_a_merge_and_are_named(tree):
    make_framework(tree.province)
    make_meeting(tree.school, date=datetime.date(2025, 7, 10))
    make_meeting(tree.school, date=datetime.date(2025, 6, 10))
    with pytest.raises(ValidationError) as refused:
        services.organization_merge(source=tree.school, target=tree.cell, effective_on=JULY, acting_user=None)
    text = " ".join(refused.value.messages)
    assert "10/07/2025" in text and "10/06/2025" not in text
    assert tree.school.name in text
    with pytest.raises(ValidationError, match="10/07/2025"):
        services.organization_dissolve(organization=tree.school, effective_on=JULY, acting_user=None)
    services.organization_merge(
        source=tree.school, target=tree.cell, effective_on=datetime.date(2025, 8, 1), acting_user=None
    )


def test_dissolving_needs_no_children_and_no_members_and_ends_the_roles(tree, people):
    with pytest.raises(ValidationError, match=tree.cell.name):
        services.organization_dissolve(organization=tree.grassroots, effective_on=JULY, acting_user=None)
    member = MemberFactory(organization=tree.cell)
    with pytest.raises(ValidationError):
        services.organization_dissolve(organization=tree.cell, effective_on=JULY, acting_user=None)
    member.left_on = datetime.date(2025, 6, 1)
    member.save()
    services.organization_dissolve(organization=tree.cell, effective_on=JULY, acting_user=people.alice)
    tree.cell.refresh_from_db()
    assert not tree.cell.is_active and tree.cell.dissolved_on == JULY
    assert not RoleAssignment.objects.current(JULY).filter(user=people.sue).exists()
    assert OrganizationInterval.objects.get(organization=tree.cell).valid_to == JULY
    assert AuditEntry.objects.filter(action="organization.dissolve", actor=people.alice).exists()


def test_the_move_page_moves_from_the_date_given(client, tree, people):
    client.force_login(people.alice)
    response = client.post(
        reverse("cells:organization_move", args=[tree.cell.pk]),
        {"new_parent": tree.grassroots.pk, "effective_on": "2025-07-01"},
    )
    assert response.status_code == 302  # already there: nothing changes
    other = make_org("Đảng ủy phường Ba", Level.GRASSROOTS, tree.district)
    response = client.post(
        reverse("cells:organization_move", args=[tree.cell.pk]),
        {"new_parent": other.pk, "effective_on": "2025-07-01", "reason": "Quyết định 1-QĐ/TU"},
    )
    assert response.status_code == 302
    states = list(OrganizationInterval.objects.filter(organization=tree.cell).values_list("parent_id", "valid_to"))
    assert states == [(tree.grassroots.pk, JULY), (other.pk, None)]
    assert AuditEntry.objects.get(action="organization.move").reason == "Quyết định 1-QĐ/TU"


def test_the_names_over_time_are_read_from_the_states_one_per_name(client, tree, people):
    """One name history: the states. A move keeps the name (two states, one name); a rename starts one."""
    first_day = tree.cell.intervals.get().valid_from
    ward = make_org("Đảng ủy phường Ba", Level.GRASSROOTS, tree.district)
    services.organization_move(
        organization=tree.cell, new_parent=ward, effective_on=datetime.date(2025, 3, 1),
        acting_user=None,
    )  # fmt: skip
    services.organization_rename(
        organization=tree.cell, new_name="Chi bộ Tổ dân phố Hợp Nhất", effective_on=JULY, acting_user=None
    )
    tree.cell.refresh_from_db()
    assert [(n.name, n.valid_from, n.valid_to) for n in tree.cell.name_history()] == [
        ("Chi bộ Tổ dân phố số 3", first_day, JULY),
        ("Chi bộ Tổ dân phố Hợp Nhất", JULY, None),
    ]
    assert tree.cell.name_on(datetime.date(2025, 6, 30)) == "Chi bộ Tổ dân phố số 3"
    with pytest.raises(ValidationError, match="01/07/2025"):
        services.organization_rename(organization=tree.cell, new_name="Tên khác", effective_on=JULY, acting_user=None)
    client.force_login(people.alice)
    page = client.get(reverse("cells:organization_detail", args=[tree.cell.pk])).content.decode()
    assert "Chi bộ Tổ dân phố số 3: " in page and "Chi bộ Tổ dân phố Hợp Nhất: 01/07/2025" in page
