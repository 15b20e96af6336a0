"""One audit writer: only cells.audit.log_action makes audit entries; every other writer hands it its
changes (a service's audit_record, an import's bulk audit, the login audit)."""

import ast
import datetime
from pathlib import Path

import pytest

from cells.audit import AuditedChange, log_action
from cells.models import AuditEntry, Organization
from cells.services import audit_record, audit_records_bulk
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cells", "criteria", "evaluations", "reports", "ops", "config")
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "save"}


def _writes_of_audit_entries(path: Path) -> list[int]:
    """Lines of ``path`` that build an AuditEntry or write one through its manager."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "AuditEntry":
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in WRITES and "AuditEntry" in ast.unparse(func.value):
            lines.append(node.lineno)
    return lines


def test_only_log_action_writes_audit_entries():
    writers = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and (lines := _writes_of_audit_entries(path)):
                writers[str(path.relative_to(ROOT))] = lines
    assert list(writers) == ["cells/audit.py"], writers


def test_the_scan_finds_a_writer(tmp_path):
    """The scan itself can fail: a module that writes an entry by hand is found."""
    sample = tmp_path / "writer.py"
    sample.write_text(
        "AuditEntry.objects.create(action='x')\nrows = [AuditEntry(action='y')]\nAuditEntry.objects.filter()\n"
    )
    assert _writes_of_audit_entries(sample) == [1, 2]


@pytest.mark.django_db
def test_the_writers_stamp_one_time_the_actor_and_the_values(tree):
    user = UserFactory()
    single = audit_record(
        acting_user=user,
        action="organization.rename",
        instance=tree.cell,
        organization=tree.cell,
        before={"name": "A"},
        after={"name": "B"},
        reason="Đổi tên",
    )
    bulk = audit_records_bulk(
        acting_user=None, action="members.import", entries=[(tree.cell, tree.grassroots, {}, {"n": 1})]
    )
    stored = AuditEntry.objects.get(pk=single.pk)
    assert (stored.actor, stored.organization, stored.object_id, stored.reason) == (
        user,
        tree.cell,
        str(tree.cell.pk),
        "Đổi tên",
    )
    assert (stored.before, stored.after, stored.content_type.model_class()) == (
        {"name": "A"},
        {"name": "B"},
        Organization,
    )
    [imported] = AuditEntry.objects.filter(pk__in=[entry.pk for entry in bulk])
    assert (imported.actor, imported.organization, imported.before, imported.after) == (
        None,
        tree.grassroots,
        {},
        {"n": 1},
    )


@pytest.mark.django_db
def test_a_batch_is_one_insert_at_one_time(tree, django_assert_num_queries):
    changes = [AuditedChange(Organization, pk, tree.district.pk, after={"i": pk}) for pk in range(1, 6)]
    log_action(acting_user=None, action="organization.update", changes=[])  # no change: nothing written
    with django_assert_num_queries(1):
        entries = log_action(acting_user=None, action="organization.update", changes=changes)
    stored = AuditEntry.objects.filter(pk__in=[entry.pk for entry in entries])
    assert stored.count() == 5
    assert len({entry.at for entry in stored}) == 1
    assert all(isinstance(entry.at, datetime.datetime) for entry in stored)
