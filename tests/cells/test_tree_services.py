import datetime

import pytest
from django.core.exceptions import ValidationError

from cells import services
from cells.models import AuditEntry, Level, Member, Organization, Position, RoleAssignment
from tests.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db


def test_paths_make_a_subtree_one_prefix_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = set(Organization.objects.subtree_of(tree.district).values_list("code", flat=True))
    assert codes == {"D1", "G1", "C1", "C2"}


def test_a_cell_cannot_hold_organisations(tree):
    with pytest.raises(ValidationError):
        make_org("Chi bộ con", Level.CELL, tree.cell)


def test_a_cell_needs_a_cell_type_and_a_committee_cannot_have_one(tree):
    with pytest.raises(ValidationError):
        services.organization_create(
            code="X", name="Chi bộ X", level=Level.CELL, parent=tree.grassroots, acting_user=None
        )
    with pytest.raises(ValidationError):
        make_org("Đảng ủy Y", Level.GRASSROOTS, tree.district, cell_type="residential")


def test_moving_a_subtree_rewrites_every_path_below_it(tree, people):
    services.organization_move(organization=tree.grassroots, new_parent=tree.other_district, acting_user=people.alice)
    tree.cell.refresh_from_db()
    assert tree.cell.path.startswith(tree.other_district.path)
    assert tree.cell.depth == 3
    assert set(Organization.objects.subtree_of(tree.other_district).values_list("code", flat=True)) == {
        "D2",
        "G2",
        "C3",
        "G1",
        "C1",
        "C2",
    }
    assert AuditEntry.objects.filter(action="organization.move", actor=people.alice).exists()


def test_an_organisation_cannot_be_moved_into_its_own_subtree(tree):
    with pytest.raises(ValidationError):
        services.organization_move(organization=tree.district, new_parent=tree.grassroots, acting_user=None)


def test_renaming_keeps_the_old_name_for_earlier_dates(tree):
    services.organization_rename(
        organization=tree.grassroots,
        new_name="Đảng ủy phường Hợp Nhất",
        effective_on=datetime.date(2025, 7, 1),
        acting_user=None,
    )
    tree.grassroots.refresh_from_db()
    assert tree.grassroots.name == "Đảng ủy phường Hợp Nhất"
    assert tree.grassroots.name_on(datetime.date(2024, 12, 31)) == "Đảng ủy phường Một"
    assert tree.grassroots.name_on(datetime.date(2025, 7, 1)) == "Đảng ủy phường Hợp Nhất"


def test_a_rename_cannot_take_effect_before_the_current_name(tree):
    with pytest.raises(ValidationError):
        services.organization_rename(
            organization=tree.cell, new_name="Tên mới", effective_on=datetime.date(2019, 1, 1), acting_user=None
        )


def test_merging_moves_members_and_children_and_keeps_the_old_organisation(tree, people):
    members = [MemberFactory(organization=tree.school) for _ in range(3)]
    services.officer_appoint(
        organization=tree.school,
        member=members[0],
        position=Position.SECRETARY,
        started_on=datetime.date(2021, 1, 1),
        acting_user=None,
    )
    services.organization_merge(
        source=tree.school, target=tree.cell, effective_on=datetime.date(2025, 7, 1), acting_user=people.alice
    )
    tree.school.refresh_from_db()
    assert not tree.school.is_active and tree.school.merged_into == tree.cell
    assert Member.objects.filter(organization=tree.cell).count() == 3
    assert tree.school.officer_terms.get().ended_on == datetime.date(2025, 7, 1)
    assert tree.school.name_on(datetime.date(2024, 1, 1)) == "Chi bộ Trường Tiểu học"


def test_merging_two_committees_moves_the_sub_organisations(tree):
    services.organization_merge(
        source=tree.other_grassroots, target=tree.grassroots, effective_on=datetime.date(2025, 7, 1), acting_user=None
    )
    tree.other_cell.refresh_from_db()
    assert tree.other_cell.parent == tree.grassroots
    assert tree.other_cell.path.startswith(tree.grassroots.path)


def test_a_cell_cannot_be_merged_into_a_committee(tree):
    with pytest.raises(ValidationError):
        services.organization_merge(
            source=tree.cell, target=tree.grassroots, effective_on=datetime.date(2025, 1, 1), acting_user=None
        )


def test_merging_ends_roles_held_on_the_merged_organisation(tree, people):
    services.organization_merge(
        source=tree.cell, target=tree.school, effective_on=datetime.date(2025, 7, 1), acting_user=None
    )
    assert not RoleAssignment.objects.current(datetime.date(2025, 7, 2)).filter(user=people.sue).exists()


def test_a_new_secretary_ends_the_previous_term(tree, roster):
    first, second = roster.cell[:2]
    services.officer_appoint(
        organization=tree.cell,
        member=first,
        position=Position.SECRETARY,
        started_on=datetime.date(2022, 1, 1),
        acting_user=None,
    )
    services.officer_appoint(
        organization=tree.cell,
        member=second,
        position=Position.SECRETARY,
        started_on=datetime.date(2024, 3, 1),
        acting_user=None,
    )
    assert first.terms.get().ended_on == datetime.date(2024, 3, 1)


def test_only_a_member_of_the_cell_can_be_its_officer(tree, roster):
    with pytest.raises(ValidationError):
        services.officer_appoint(
            organization=tree.cell,
            member=roster.other[0],
            position=Position.SECRETARY,
            started_on=datetime.date(2022, 1, 1),
            acting_user=None,
        )


def test_a_secretary_role_is_given_on_a_cell_only(tree, people):
    with pytest.raises(ValidationError):
        services.role_assign(user=people.sue, organization=tree.grassroots, role="secretary", acting_user=None)
