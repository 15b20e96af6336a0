"""Every URL × method × persona answers as tests/permission_table.py says, and changes the database only
where the table says so (see tests/permission_matrix.py).

The tree and the personas are built once for the module; each URL's own objects (its scope case's
setup) once per URL; every request runs in a savepoint that is rolled back, so none sees another's
effect. Regenerate the table after a deliberate change of rights with
``CHIBO_WRITE_MATRIX=1 bin/test tests/test_permission_matrix.py`` and review the diff line by line.
"""

from __future__ import annotations

import os
import pathlib

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import build_people, build_tree
from tests.permission_matrix import METHODS, PERSONAS, build_personas, cell, fingerprint, parse_line
from tests.test_view_scope import CASES

TABLE_FILE = pathlib.Path(__file__).with_name("permission_table.py")
WRITE = os.environ.get("CHIBO_WRITE_MATRIX") == "1"


def _table() -> dict[tuple[str, str], str]:
    from tests.permission_table import TABLE

    return TABLE


def _url_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":  # Django's admin: superusers only, its own permission system
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# URL names without an object of their own to build: asked with no arguments.
PLAIN = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "healthz",
    "service_worker",
    "manifest",
    "offline",
}
FIRST_CASE = {}
for _case in CASES:
    FIRST_CASE.setdefault(_case.url_name, _case)
URL_NAMES = sorted(_url_names(get_resolver().url_patterns))


def test_every_url_and_method_has_a_line_in_the_table():
    table = {} if WRITE else _table()
    missing = [
        f'    ("{name}", "{method}"): "{" ".join(["???"] * len(PERSONAS))}",'
        for name in URL_NAMES
        for method in METHODS
        if (name, method) not in table
    ]
    assert not missing, (
        "These URLs have no line in tests/permission_table.py (one status per persona, in the order "
        f"{', '.join(PERSONAS)}; '+' where the request changes data). Add:\n" + "\n".join(missing)
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The tree and the personas, built once and rolled back when the module ends."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            tree = build_tree()
            people = build_people(tree)
            personas = build_personas(tree, people)
            yield tree, people, personas
            transaction.set_rollback(True)


def _clients(personas) -> dict[str, Client]:
    clients = {}
    for name in PERSONAS:
        client = Client()
        user = getattr(personas, name)
        if user is not None:
            client.force_login(user)
        clients[name] = client
    return clients


def _ask(client: Client, method: str, url: str, data: dict) -> tuple[int, bool]:
    with transaction.atomic():
        before = fingerprint()
        response = client.post(url, data) if method == "post" else client.get(url)
        changed = fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, changed


_observed: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("name", URL_NAMES)
def test_each_persona_gets_what_the_table_says(name, world, db):
    tree, people, personas = world
    case = FIRST_CASE.get(name)
    if case is None and name not in PLAIN:
        pytest.fail(f"{name} has no scope case in tests/<app>/view_cases.py to build its objects from")
    with transaction.atomic():
        data = case.setup(tree, people) if case and case.setup else None
        url = reverse(name, kwargs=case.kwargs(tree, people, data) if case else {})
        post_data = case.post_data if case else {}
        clients = _clients(personas)
        wrong = []
        for method in METHODS:
            got = {persona: cell(*_ask(clients[persona], method, url, post_data)) for persona in PERSONAS}
            _observed[(name, method)] = " ".join(got[p] for p in PERSONAS)
            if WRITE:
                continue
            expected = parse_line(_table()[(name, method)])
            wrong += [
                f"{method.upper()} {name} as {p}: expected {expected[p]}, got {got[p]}"
                for p in PERSONAS
                if expected[p] != got[p]
            ]
        transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)


def test_write_the_table_when_asked():
    if not WRITE:
        pytest.skip("CHIBO_WRITE_MATRIX=1 regenerates tests/permission_table.py")
    lines = [f'    ("{name}", "{method}"): "{_observed[(name, method)]}",' for name, method in sorted(_observed)]
    TABLE_FILE.write_text(
        '"""The one table of who gets what (tests/permission_matrix.py explains a line). Personas, in order:\n'
        + "\n".join(PERSONAS)
        + '\n"""\n\nTABLE = {\n'
        + "\n".join(lines)
        + "\n}\n"
    )


# What the roles must never do, read from the table itself (so a regenerated table cannot hide it).
RECORDING = {"evaluations:meetings:create", "evaluations:meetings:edit", "evaluations:meetings:assess"}
RECORDING |= {"evaluations:registration_assess", "evaluations:campaign_register", "evaluations:meetings:preview"}
APPRAISING = {"evaluations:meetings:appraise", "evaluations:registration_appraise", "evaluations:registration_confirm"}
APPRAISING |= {"evaluations:registration_decide", "evaluations:meetings:reopen", "evaluations:registration_reopen"}
# Requesting a report changes no record; it is the one thing leadership starts.
LEADERSHIP_MAY_START = {("reports:run_create", "post")}


def _cells_of(persona: str):
    for (name, method), line in _table().items():
        yield name, method, parse_line(line)[persona]


def test_leadership_changes_no_data_anywhere():
    changes = [(n, m) for n, m, code in _cells_of("leadership") if code.endswith("+")]
    assert set(changes) <= LEADERSHIP_MAY_START, changes


def test_a_supervisor_appraises_but_never_records():
    for persona in ("cell_supervisor", "other_supervisor"):
        recorded = [(n, m, c) for n, m, c in _cells_of(persona) if n in RECORDING and c[:3] in ("200", "302")]
        assert not recorded, (persona, recorded)
    assert parse_line(_table()[("evaluations:meetings:appraise", "get")])["cell_supervisor"] == "200"


def test_a_secretary_records_but_never_appraises():
    for persona in ("secretary", "other_secretary"):
        appraised = [(n, m, c) for n, m, c in _cells_of(persona) if n in APPRAISING and c[:3] in ("200", "302")]
        assert not appraised, (persona, appraised)
    assert parse_line(_table()[("evaluations:meetings:assess", "get")])["secretary"] == "200"
