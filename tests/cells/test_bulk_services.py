"""The bulk services behind the organizations and members sheets refuse what the pages' services refuse,
write nothing when any item is refused, and audit what they write."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cells import services
from cells.models import EARLIEST, AuditEntry, Level, Member, MemberTransfer, Organization
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in exc.message_dict.items()}


def test_a_member_outside_a_cell_is_refused_alike_one_at_a_time_or_in_bulk(tree, people):
    with pytest.raises(ValidationError) as one:
        services.member_save(
            member=Member(organization=tree.grassroots, code="M1", full_name="Nguyễn Văn An"), acting_user=people.alice
        )
    good = services.MemberValues(None, tree.cell, "M2", "  Lê Thị Bình ", "official", False)
    bad = services.MemberValues(None, tree.grassroots, "M1", "Nguyễn Văn An", "official", False)
    with pytest.raises(services.ItemsRefused) as bulk:
        services.members_save_bulk(members=[good, bad], acting_user=people.alice)
    assert list(bulk.value.by_index) == [1]
    assert _messages(bulk.value.by_index[1]) == _messages(one.value)
    assert not Member.objects.filter(code__in=["M1", "M2"]).exists()  # the good one is not written either


def test_members_in_bulk_are_written_and_audited_once_per_cell(tree, people):
    MemberFactory(organization=tree.cell, code="M9", full_name="Tên Cũ")
    stored = Member.objects.get(code="M9")
    services.members_save_bulk(
        members=[
            services.MemberValues(None, tree.cell, "M2", "  Lê Thị Bình ", "official", False),
            services.MemberValues(stored.pk, tree.school, "M9", "Tên Mới", "official", True),
        ],
        acting_user=people.alice,
        reason="Nhập từ tệp",
    )
    assert Member.objects.get(code="M2").full_name == "Lê Thị Bình"
    moved = Member.objects.get(code="M9")
    assert (moved.organization, moved.full_name, moved.full_name_folded, moved.exempt) == (
        tree.school,
        "Tên Mới",
        "ten moi",
        True,
    )
    entries = {e.organization_id: e for e in AuditEntry.objects.filter(action="members.import")}
    # M9 left C1 for C2: the cell left says so too, and a transfer keeps earlier rosters right.
    assert entries[tree.cell.pk].after == {"created": ["M2"], "updated": {}, "moved_out": {"M9": "C2"}}
    transfer = MemberTransfer.objects.get(member=moved)
    assert (transfer.from_organization, transfer.to_organization) == (tree.cell, tree.school)
    assert entries[tree.school.pk].after == {
        "created": [],
        "updated": {"M9": {"org_code": ["C1", "C2"], "full_name": ["Tên Cũ", "Tên Mới"], "exempt": [False, True]}},
    }
    assert {e.actor_id for e in entries.values()} == {people.alice.pk}
    assert {e.reason for e in entries.values()} == {"Nhập từ tệp"}


def test_a_cell_without_a_cell_type_is_refused_alike_one_at_a_time_or_in_bulk(tree, people):
    with pytest.raises(ValidationError) as one:
        services.organization_create(code="N1", name="Chi bộ mới", level=Level.CELL, parent=tree.grassroots)
    with pytest.raises(services.ItemsRefused) as bulk:
        services.organizations_create_bulk(
            organizations=[
                Organization(code="N0", name="Đảng bộ mới", level=Level.GRASSROOTS, parent=tree.district),
                Organization(code="N1", name="Chi bộ mới", level=Level.CELL, parent=tree.grassroots),
            ],
            valid_from=EARLIEST,
            acting_user=people.alice,
        )
    assert list(bulk.value.by_index) == [1]
    assert _messages(bulk.value.by_index[1])["cell_type"] == _messages(one.value)["cell_type"]
    assert not Organization.objects.filter(code__in=["N0", "N1"]).exists()


def test_a_new_subtree_is_created_in_bulk_parents_first_with_its_history_and_audit(tree, people):
    grassroots = Organization(code="N0", name=" Đảng bộ mới ", level=Level.GRASSROOTS, parent=tree.district)
    cell = Organization(
        code="N1", name="Chi bộ mới", level=Level.CELL, parent=grassroots, cell_type=tree.cell.cell_type
    )
    day = datetime.date(2020, 1, 1)
    services.organizations_create_bulk(organizations=[cell, grassroots], valid_from=day, acting_user=people.alice)
    grassroots, cell = Organization.objects.get(code="N0"), Organization.objects.get(code="N1")
    assert grassroots.name == "Đảng bộ mới"
    assert cell.parent == grassroots and cell.path.startswith(grassroots.path) and cell.depth == grassroots.depth + 1
    assert [(n.name, n.valid_from) for n in cell.name_history()] == [("Chi bộ mới", day)]
    assert cell.intervals.get().parent_id == grassroots.pk
    audit = AuditEntry.objects.get(action="organization.create", object_id=str(cell.pk))
    assert (audit.actor_id, audit.organization_id, audit.after["parent"]) == (people.alice.pk, cell.pk, grassroots.pk)
