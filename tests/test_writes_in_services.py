"""Every ORM write lives in a services module (ENGINEERING.md, "Sheets parse, services decide").

A view, a workbook sheet, a task, a selector or a form that saves a model writes around the rules the
services own: the transaction, the rights with their state rules, the version, the audit. This test
reads the project's source (no import, so nothing runs) and fails on any call that writes through the
ORM outside the places allowed to:

- services modules (``services.py``, or any module of a ``services/`` package), and the one audit
  writer every service hands its audit entries to (``cells/audit.py``, guarded by
  tests/test_one_audit_writer.py);
- migrations;
- demo builders (``demo*.py``, and the management commands that build demo data);
- tests and benchmarks (they build their own fixtures).

What counts as a write, read from the call's shape (the source is not typed, so the shape stands in for
the type; the shapes are chosen so that the project's non-ORM calls of the same names do not match):

- ``bulk_create``, ``bulk_update``, ``get_or_create``, ``update_or_create``, ``save_m2m``: any call of
  these names;
- ``save(...)``, ``delete(...)`` with no positional argument (``Model.save()``, ``form.save()``,
  ``queryset.delete()``; openpyxl's ``book.save(path)``, ``storage.delete(name)`` and
  ``cache.delete(key)`` take one), except the two that say they write no row: ``form.save(commit=False)``
  (the instance, unsaved) and ``field_file.delete(save=False)`` (the stored file only);
- ``create(...)`` with no positional argument (``Model.objects.create(**fields)``,
  ``related.create(...)``);
- ``update(...)`` with keyword arguments only, or on a queryset chain (``….objects…``,
  ``….filter(…)``, ``….exclude(…)``, ``….all()``, ``….select_for_update(…)``): ``dict.update(other)``
  and ``set.update(items)`` take one positional argument and no queryset. (So in this project a dict
  is updated from a dict, ``context.update({...})``, never from keywords: a queryset's ``update`` takes
  keywords only, and a variable's type cannot be read from the source.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Tests build their own fixtures; bench/ (no package) builds its own data.
NOT_PROJECT_CODE = {"tests"}
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create", "save_m2m"}
# A keyword that makes a save or delete write no row: form.save(commit=False), field_file.delete(save=False).
NO_ROW_WRITTEN = {("save", "commit"), ("delete", "save")}
NO_POSITIONAL_WRITES = {"save", "delete", "create"}
QUERYSET_METHODS = {"objects", "filter", "exclude", "all", "select_for_update", "order_by", "using", "none"}
# The one audit writer (cells.audit.log_action): a service the others call, written once.
AUDIT_WRITER = Path("cells/audit.py")
# Management commands whose whole job is to build demo data (the demo builders' front doors).
DEMO_COMMANDS = {"load_demo.py", "make_demo.py"}


def may_write(path: Path) -> bool:
    """Whether the module at ``path`` (relative to the project root) is allowed to write through the ORM."""
    parts = path.parts
    name = path.name
    if name == "services.py" or "services" in parts[:-1] or path == AUDIT_WRITER:
        return True
    if "migrations" in parts:
        return True
    if name.startswith("demo"):
        return True
    return "commands" in parts and name in DEMO_COMMANDS


def _on_queryset(node: ast.expr) -> bool:
    """Whether an expression is a chain that goes through a manager or a queryset method."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr in QUERYSET_METHODS:
                return True
            node = node.value
        else:
            return False


def _writes_no_row(method: str, call: ast.Call) -> bool:
    return any(
        (method, keyword.arg) in NO_ROW_WRITTEN
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def orm_writes(source: str) -> list[tuple[int, str]]:
    """The ``(line, method)`` of every call in ``source`` shaped like an ORM write."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        positional = bool(node.args)
        if method in ALWAYS_WRITES:
            found.append((node.lineno, method))
        elif method in NO_POSITIONAL_WRITES and not positional and not _writes_no_row(method, node):
            found.append((node.lineno, method))
        elif method == "update" and ((node.keywords and not positional) or _on_queryset(node.func.value)):
            found.append((node.lineno, method))
    return sorted(found)


def project_packages() -> list[str]:
    """The project's top-level packages (an app added later is read too)."""
    return sorted(path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in NOT_PROJECT_CODE)


def project_modules() -> list[Path]:
    modules = []
    for package in project_packages():
        modules.extend(path.relative_to(ROOT) for path in (ROOT / package).rglob("*.py"))
    return sorted(modules)


def writes_outside_services() -> list[str]:
    problems = []
    for path in project_modules():
        if may_write(path):
            continue
        for line, method in orm_writes((ROOT / path).read_text(encoding="utf-8")):
            problems.append(f"{path}:{line}: .{method}(…)")
    return problems


def test_the_scan_reads_the_project_and_sees_its_writes():
    """Not a vacuous pass: the apps are read, and the writes the services do make are seen."""
    assert {"cells", "criteria", "evaluations", "reports", "ops"} <= set(project_packages())
    methods = {
        method
        for services in ("cells/services.py", "criteria/services.py")
        for _line, method in orm_writes((ROOT / services).read_text(encoding="utf-8"))
    }
    assert {"save", "create", "update", "delete", "bulk_create", "bulk_update"} <= methods


def test_no_orm_write_outside_services():
    problems = writes_outside_services()
    assert not problems, "ORM writes outside services (move them into the app's services):\n" + "\n".join(problems)


# --- The test of the test: it must see a planted write, and leave the project's non-ORM calls alone. ----


@pytest.mark.parametrize(
    "source",
    [
        "Member.objects.create(code='1')",
        "member.save()",
        "member.save(update_fields=['exempt'])",
        "form.save()",
        "form.save(commit=True)",
        "form.save_m2m()",
        "Member.objects.filter(pk=1).update(exempt=True)",
        "queryset.update(exempt=True)",
        "RatingLevel.objects.filter(pk=level.pk).update(**values)",
        "Member.objects.filter(pk=1).delete()",
        "member.delete()",
        "Member.objects.bulk_create(batch)",
        "Member.objects.bulk_update(batch, ['exempt'])",
        "Member.objects.get_or_create(code='1')",
        "Member.objects.update_or_create(code='1', defaults={})",
        "organization.children.create(code='2')",
    ],
)
def test_a_planted_write_is_seen(source):
    assert orm_writes(source), source


@pytest.mark.parametrize(
    "source",
    [
        "book.save(path)",
        "default_storage.save(name, content)",
        "default_storage.delete(name)",
        "cache.delete(key)",
        "totals.update(other)",
        "context.update({'derived': derived})",
        "form.save(commit=False)",
        "evidence.file.delete(save=False)",
        "seen.update(codes)",
        "tempfile.NamedTemporaryFile(suffix='.xlsx')",
        "Member.objects.filter(pk=1).exists()",
    ],
)
def test_a_call_of_the_same_name_that_is_not_a_write_is_left_alone(source):
    assert not orm_writes(source), source


def test_a_planted_write_in_a_sheet_fails_the_scan(tmp_path, monkeypatch):
    """End to end: a write planted in a sheet module (a copy of the project) makes the scan fail, and the
    same line in a services module does not."""
    for package in ("cells", "criteria"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "criteria" / "sheets.py").write_text("RatingLevel.objects.filter(pk=1).update(rank=10001)\n")
    (tmp_path / "criteria" / "services.py").write_text("RatingLevel.objects.filter(pk=1).update(rank=10001)\n")
    (tmp_path / "criteria" / "migrations").mkdir()
    (tmp_path / "criteria" / "migrations" / "0002_x.py").write_text("Level.objects.create(code='x')\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert writes_outside_services() == ["criteria/sheets.py:1: .update(…)"]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("cells/services.py", True),
        ("evaluations/meetings/services.py", True),
        ("cells/services/members.py", True),
        ("cells/migrations/0001_initial.py", True),
        ("cells/audit.py", True),
        ("cells/auth.py", False),
        ("criteria/demo_data.py", True),
        ("cells/management/commands/make_demo.py", True),
        ("cells/management/commands/import_workbook.py", False),
        ("cells/sheets.py", False),
        ("cells/views.py", False),
        ("cells/selectors.py", False),
        ("cells/tasks.py", False),
    ],
)
def test_which_modules_may_write(path, allowed):
    assert may_write(Path(path)) is allowed
