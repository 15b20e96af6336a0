"""The organizations and members sheets: creating, updating, refusing, and never half-importing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cells.models import AuditEntry, Member, Organization
from cells.workbook.importer import run_import
from tests.factories import MemberFactory
from tests.workbook.files import ORG_HEADER

MEMBER_HEADER = ["org_code", "member_code", "full_name", "status", "exempt"]


def errors(result):
    return [(e.sheet, e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def new_branch(book):
    """A grassroots organisation under Thành ủy Một with a cell listed before it, and two members."""
    return book(
        {
            "organizations": [
                ORG_HEADER,
                ["N2", "Chi bộ Khu phố 2", "N1", "cell", "residential"],
                ["N1", "Đảng bộ phường Mới", "D1", "grassroots", None],
            ],
            "members": [
                MEMBER_HEADER,
                ["N2", "M1", "Nguyễn Văn An", "official", "x"],
                ["N2", "M2", "Lê Thị Bình", "probationary", None],
            ],
        }
    )


def test_a_workbook_creates_an_organisation_and_uses_it_further_down(new_branch, people):
    result = run_import(new_branch, user=people.alice)
    assert result.ok, result.errors
    n1, n2 = Organization.objects.get(code="N1"), Organization.objects.get(code="N2")
    assert n1.parent.code == "D1" and n2.parent == n1
    assert n2.path.startswith(n1.path) and n2.depth == n1.depth + 1
    assert n2.cell_type.code == "residential"
    assert [n.name for n in n2.name_history()] == ["Chi bộ Khu phố 2"]
    assert [(m.code, m.status, m.exempt) for m in Member.objects.filter(organization=n2).order_by("code")] == [
        ("M1", "official", True),
        ("M2", "probationary", False),
    ]
    assert Member.objects.get(code="M1").full_name_folded == "nguyen van an"
    assert AuditEntry.objects.filter(action="organization.create", actor=people.alice).count() == 2
    entry = AuditEntry.objects.get(action="members.import", organization=n2)
    assert entry.after == {"created": ["M1", "M2"], "updated": {}} and entry.actor == people.alice
    summary = [(s.name, s.created, s.updated, s.unchanged) for s in result.sheets]
    assert summary == [("organizations", 2, 0, 0), ("members", 2, 0, 0)]


def test_a_dry_run_reports_the_changes_and_writes_nothing(new_branch, people):
    before = (Organization.objects.count(), Member.objects.count(), AuditEntry.objects.count())
    result = run_import(new_branch, user=people.alice, dry_run=True)
    assert result.ok
    assert [(s.name, s.created) for s in result.sheets] == [("organizations", 2), ("members", 2)]
    assert result.sheets[0].changes[0] == {
        "row": 2,
        "action": "create",
        "key": "N2",
        "details": {"name": "Chi bộ Khu phố 2", "level": "cell", "parent_code": "N1", "cell_type": "residential"},
    }
    assert (Organization.objects.count(), Member.objects.count(), AuditEntry.objects.count()) == before


def test_importing_the_same_workbook_twice_changes_nothing(new_branch, people):
    run_import(new_branch, user=people.alice)
    audit = AuditEntry.objects.count()
    result = run_import(new_branch, user=people.alice)
    assert result.ok
    assert [(s.name, s.created, s.updated, s.unchanged) for s in result.sheets] == [
        ("organizations", 0, 0, 2),
        ("members", 0, 0, 2),
    ]
    assert AuditEntry.objects.count() == audit


def test_changed_rows_update_through_the_tree_services(book, tree, people):
    MemberFactory(organization=tree.cell, code="M9", full_name="Tên Cũ")
    path = book(
        {
            "organizations": [ORG_HEADER, ["C2", "Chi bộ Trường Tiểu học số 1", "G1", "cell", "public_service"]],
            "members": [MEMBER_HEADER, ["C2", "M9", "Tên Mới", None, "có"]],
        }
    )
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    school = Organization.objects.get(code="C2")
    assert school.name == "Chi bộ Trường Tiểu học số 1"
    assert len(school.name_history()) == 2  # the old name stays on earlier periods
    member = Member.objects.get(code="M9")
    assert (member.organization, member.full_name, member.exempt) == (school, "Tên Mới", True)
    assert result.sheets[1].changes[0]["details"] == {
        "org_code": ["C1", "C2"],
        "full_name": ["Tên Cũ", "Tên Mới"],
        "exempt": ["no", "yes"],
    }
    assert AuditEntry.objects.filter(action="organization.rename").count() == 1


def test_an_organisation_moves_when_its_parent_code_changes(book, tree, people):
    path = book({"organizations": [ORG_HEADER, ["N1", "Đảng bộ mới", "D1", "grassroots", None]]})
    run_import(path, user=people.alice)
    path = book({"organizations": [ORG_HEADER, ["C2", "Chi bộ Trường Tiểu học", "N1", "cell", "public_service"]]})
    assert run_import(path, user=people.alice).ok
    school = Organization.objects.get(code="C2")
    assert school.parent.code == "N1" and school.path.startswith(Organization.objects.get(code="N1").path)


def test_every_problem_of_every_sheet_is_reported_and_nothing_is_written(book, tree, people):
    before = (Organization.objects.count(), Member.objects.count())
    path = book(
        {
            "organizations": [
                ORG_HEADER,
                ["N1", "Đảng bộ mới", "KHONG-CO", "grassroots", None],
                ["N2", "Chi bộ không loại hình", "D1", "cell", None],
                ["N3", "Chi bộ trong chi bộ", "C1", "cell", "residential"],
                ["N4", "Đảng bộ tốt", "D1", "grassroots", None],
            ],
            "members": [
                MEMBER_HEADER,
                ["N4", "M1", "Nguyễn Văn An", None, None],
                ["KHONG-CO", "M2", "Lê Thị Bình", None, None],
                ["N1", "M3", "Trần Văn Cường", None, None],
                ["C1", "M4", "Phạm Thị Dung", "chính thức", "có lẽ"],
            ],
        }
    )
    result = run_import(path, user=people.alice)
    assert errors(result) == [
        ("organizations", 2, "parent_code", "Không có tổ chức mã KHONG-CO trong phạm vi của bạn."),
        ("organizations", 3, "cell_type", "Chi bộ phải có loại hình."),
        ("organizations", 4, "level", "chi bộ không thể trực thuộc là chi bộ."),
        ("members", 2, "org_code", "Đảng viên phải thuộc một chi bộ."),
        ("members", 3, "org_code", "Không có tổ chức mã KHONG-CO trong phạm vi của bạn."),
        (
            "members",
            5,
            "exempt",
            "Cần có/không (yes/no, x hoặc để trống), không phải “có lẽ”.",
        ),
    ]
    # N1's own row said what is wrong: its members say nothing more. N4 was fine, and still not written.
    assert (Organization.objects.count(), Member.objects.count()) == before


def test_a_cycle_in_the_tree_is_refused(book, tree, people):
    path = book(
        {
            "organizations": [
                ORG_HEADER,
                ["A", "Đảng bộ A", "B", "grassroots", None],
                ["B", "Đảng bộ B", "A", "grassroots", None],
            ]
        }
    )
    result = run_import(path, user=people.alice)
    assert errors(result) == [
        ("organizations", 2, "parent_code", "Quan hệ cấp trên tạo thành vòng lặp: A → B → A."),
        ("organizations", 3, "parent_code", "Quan hệ cấp trên tạo thành vòng lặp: B → A → B."),
    ]


def test_moving_an_organisation_under_its_own_subtree_is_a_cycle(book, tree, people):
    path = book({"organizations": [ORG_HEADER, ["G1", "Đảng ủy phường Một", "C1", "grassroots", None]]})
    result = run_import(path, user=people.alice)
    assert errors(result) == [
        ("organizations", 2, "parent_code", "Quan hệ cấp trên tạo thành vòng lặp: G1 → C1 → G1."),
    ]


def test_charlie_cannot_import_into_thanh_uy_mot(new_branch, book, tree, people):
    result = run_import(new_branch, user=people.charlie)
    assert errors(result) == [
        # The same words as for a code that does not exist: an import tells nothing of other subtrees.
        ("organizations", 3, "parent_code", "Không có tổ chức mã D1 trong phạm vi của bạn."),
    ]
    assert not Organization.objects.filter(code__in=["N1", "N2"]).exists()
    path = book(
        {
            "organizations": [ORG_HEADER, ["C1", "Chi bộ bị đổi tên", "G1", "cell", "residential"]],
            "members": [MEMBER_HEADER, ["C1", "X1", "Người Lạ", None, None]],
        }
    )
    result = run_import(path, user=people.charlie)
    assert errors(result) == [
        ("organizations", 2, "code", "Mã C1 đã được dùng: hãy chọn mã khác."),
        ("members", 2, "org_code", "Không có tổ chức mã C1 trong phạm vi của bạn."),
    ]
    assert Organization.objects.get(code="C1").name == "Chi bộ Tổ dân phố số 3"


def test_a_member_of_a_cell_outside_the_scope_cannot_be_taken_over(book, tree, people, roster):
    outsider_member = roster.other[0]
    path = book({"members": [MEMBER_HEADER, ["C1", outsider_member.code, "Người Khác", None, None]]})
    result = run_import(path, user=people.alice)
    assert errors(result) == [
        ("members", 2, "member_code", f"Mã {outsider_member.code} đã được dùng: hãy chọn mã khác."),
    ]


def test_only_an_administrator_creates_a_root(book, tree, people, admin_user):
    path = book({"organizations": [ORG_HEADER, ["P2", "Tỉnh ủy Mới", None, "province", None]]})
    assert errors(run_import(path, user=people.alice)) == [
        ("organizations", 2, "parent_code", "Chỉ quản trị viên mới tạo được tổ chức cấp cao nhất.")
    ]
    assert run_import(path, user=admin_user).ok
    assert Organization.objects.get(code="P2").path.count("/") == 1


def test_the_command_imports_and_exits_0_with_a_summary(new_branch, tree, capsys):
    call_command("import_workbook", str(new_branch))
    out = capsys.readouterr().out
    assert "organizations: thêm mới 2, cập nhật 0, giữ nguyên 0" in out
    assert "members: thêm mới 2, cập nhật 0, giữ nguyên 0" in out
    assert Organization.objects.filter(code="N2").exists()


def test_the_command_dry_run_writes_nothing(new_branch, tree, capsys):
    call_command("import_workbook", str(new_branch), "--dry-run")
    assert "Chạy thử: không có gì được ghi." in capsys.readouterr().out
    assert not Organization.objects.filter(code="N2").exists()


def test_the_command_exits_1_listing_every_problem(new_branch, tree, people, capsys):
    with pytest.raises(CommandError) as raised:
        call_command("import_workbook", str(new_branch), "--user", "charlie")
    assert raised.value.returncode == 1
    assert "1 lỗi; không có gì được ghi." in str(raised.value)
    err = capsys.readouterr().err
    assert "organizations, dòng 3, cột parent_code: Không có tổ chức mã D1 trong phạm vi của bạn." in err
    assert not Organization.objects.filter(code="N2").exists()


def test_the_command_lists_the_changed_rows_with_verbosity_2(new_branch, tree, capsys):
    call_command("import_workbook", str(new_branch), "--dry-run", verbosity=2)
    out = capsys.readouterr().out
    assert "  2\tcreate\tN2\tname=Chi bộ Khu phố 2, level=cell, parent_code=N1, cell_type=residential" in out


def _sized_book(book, n_cells: int, members_per_cell: int, prefix: str):
    orgs = [ORG_HEADER, [f"{prefix}G", "Đảng bộ mới", "D1", "grassroots", None]]
    orgs += [[f"{prefix}C{c}", f"Chi bộ {c}", f"{prefix}G", "cell", "residential"] for c in range(n_cells)]
    members = [MEMBER_HEADER] + [
        [f"{prefix}C{c}", f"{prefix}M{c}-{m}", f"Đảng viên {m}", None, None]
        for c in range(n_cells)
        for m in range(members_per_cell)
    ]
    return book({"organizations": orgs, "members": members})


def test_the_number_of_queries_does_not_grow_with_the_rows(book, tree, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run_import(_sized_book(book, 1, 1, "W"), user=people.alice)  # warms the caches (content types, scope)
    counts = []
    for prefix, cells in (("A", 3), ("B", 30)):
        path = _sized_book(book, cells, 4, prefix)
        with CaptureQueriesContext(connection) as first:
            assert run_import(path, user=people.alice).ok
        with CaptureQueriesContext(connection) as again:
            assert run_import(path, user=people.alice).ok
        counts.append((len(first.captured_queries), len(again.captured_queries)))
    assert counts[0] == counts[1]


def test_the_import_costs_a_pinned_number_of_queries(book, tree, people):
    """24 queries for a new grassroots organisation with its cells and their members, 12 for the same
    workbook again (nothing to write), whether it has 3 cells or 30.

    The 24: the cell types (the column's choices), the import's savepoint; the organisations named and
    their ancestors (2), the cell types by code; per level of the new tree (2 here) the insert, the paths,
    the first intervals and the audit entries (4 each), in a savepoint; the cells and the members named
    (2); in the members' savepoint (and bulk_create's own) their insert and the audit, one entry per cell;
    the releases (4). A bigger workbook adds a query per batch only: 1,000 organisations or audit entries,
    2,000 members changed (read before), and on SQLite an insert per 999 parameters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run_import(_sized_book(book, 1, 1, "W"), user=people.alice)  # warms the caches (content types, scope)
    for prefix, cells in (("A", 3), ("B", 30)):
        path = _sized_book(book, cells, 4, prefix)
        with CaptureQueriesContext(connection) as first:
            assert run_import(path, user=people.alice).ok
        with CaptureQueriesContext(connection) as again:
            assert run_import(path, user=people.alice).ok
        assert (len(first.captured_queries), len(again.captured_queries)) == (24, 12), cells
