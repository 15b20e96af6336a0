"""Every audited action reads in Vietnamese: the one label registry (cells/audit_labels.py) holds a label
for every action code the code writes, found by reading the source, not by listing them again here."""

import ast
import re
from pathlib import Path

from django.utils import translation

from cells.audit_labels import AUDIT_ACTION_LABELS, FAMILY_VALUES

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cells", "criteria", "evaluations", "reports", "ops")
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Functions whose first positional argument is the action, and those taking (action, ...) tuples.
ACTION_FIRST = {"_audit"}
TUPLES_OF = {"bulk_audit"}


def _strings(node) -> list:
    """The action codes an expression can give: a literal, either side of an if/else, or an f-string's family."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return [("family", node.values[0].value)]
    return []


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def action_codes() -> set:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found.update(_strings(keyword.value))
                if _name(node.func) in ACTION_FIRST and node.args:
                    found.update(_strings(node.args[0]))
                if _name(node.func) in TUPLES_OF:
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Tuple) and sub.elts:
                            found.update(_strings(sub.elts[0]))
    return {code for code in found if isinstance(code, tuple) or CODE.match(code)}


def test_the_source_is_read_for_its_action_codes():
    codes = action_codes()
    # A sample from each way the code writes them, so the scan itself cannot quietly find nothing.
    assert {"organization.rename", "framework.create", "criterion.update", "members.import", "auth.login"} <= codes
    assert ("family", "registration.") in codes and len(codes) > 50


def test_every_action_code_in_the_code_has_a_vietnamese_label():
    missing = []
    for code in action_codes():
        if isinstance(code, tuple):
            prefix = code[1]
            values = FAMILY_VALUES.get(prefix)
            assert values, f"f-string action {prefix}… has no FAMILY_VALUES entry"
            missing += [f"{prefix}{value}" for value in values if f"{prefix}{value}" not in AUDIT_ACTION_LABELS]
        elif code not in AUDIT_ACTION_LABELS:
            missing.append(code)
    assert not missing, f"add labels to cells/audit_labels.py for: {sorted(missing)}"


def test_every_label_is_translated():
    with translation.override("en"):
        english = {code: str(label) for code, label in AUDIT_ACTION_LABELS.items()}
    with translation.override("vi"):
        untranslated = [code for code, label in AUDIT_ACTION_LABELS.items() if str(label) == english[code]]
    assert not untranslated
