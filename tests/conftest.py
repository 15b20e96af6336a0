"""Persona fixtures shared by every test.

The tree::

    province  Tỉnh ủy Thử nghiệm
    ├── district  Thành ủy Một            ← alice (staff), lena (leadership)
    │   └── grassroots  Đảng ủy phường Một ← sam (supervisor)
    │       ├── cell  Chi bộ Tổ dân phố số 3   (residential) ← sue (secretary)
    │       └── cell  Chi bộ Trường Tiểu học   (public_service)
    └── district  Huyện ủy Hai            ← charlie (staff): the outsider for everything under Thành ủy Một
        └── grassroots  Đảng ủy xã Hai
            └── cell  Chi bộ Thôn Hai     (residential)
"""

import copy
import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db import transaction

from cells.models import Level, Role
from tests.factories import MemberFactory, UserFactory, assign, make_org

# Shared fixtures for integration tests: a real Celery worker process, and Chromium through Playwright.
pytest_plugins = ["tests.worker", "tests.browser"]

# A test using one of these runs alone (bin/test's second, serial run), even if it is not marked: a live
# server, Chromium, or a real Celery worker process (one for the whole serial run, tests.worker).
RUNS_ALONE_FIXTURES = frozenset(
    {"live_server", "chromium", "phone_page", "desktop_page", "new_page", "real_celery", "celery_worker_process"}
)
RUNS_ALONE_MARKERS = ("browser", "integration", "alone")


def pytest_addoption(parser):
    parser.addoption(
        "--chibo-part",
        choices=("all", "parallel", "serial"),
        default="all",
        help="bin/test's two runs: 'parallel' (over pytest-xdist processes) keeps the tests that may share the "
        "machine, 'serial' those that run alone (browser, real worker, marked alone); 'all' keeps every test.",
    )


def runs_alone(item) -> bool:
    return bool(
        RUNS_ALONE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        or any(item.get_closest_marker(name) for name in RUNS_ALONE_MARKERS)
    )


def pytest_collection_modifyitems(config, items):
    part = config.getoption("--chibo-part")
    if part == "all":
        return
    keep, drop = [], []
    for item in items:
        (keep if runs_alone(item) == (part == "serial") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    # Tests that start their own worker processes go last, so the run's shared worker is started once.
    items.sort(key=lambda item: "own_workers_only" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def _fresh_rubric_cache():
    """Each test starts with no rubric read, no ranking kept and an empty cache: query counts do not depend on
    the tests before it (nor do cached figures, keyed on ids a rolled-back test may have used on SQLite)."""
    from django.core.cache import cache

    from criteria.selectors import forget_rubrics
    from evaluations.campaigns.page_cache import forget_figures
    from evaluations.meetings.ranking_cache import forget_rankings

    forget_rubrics()
    forget_rankings()  # nor a ranking kept by a page of an earlier test (whose rows were rolled back)
    forget_figures()  # nor a campaign page's figures (evaluations/campaigns/page_cache.py)
    cache.clear()


@pytest.fixture
def tree(db):
    return build_tree()


def build_tree() -> SimpleNamespace:
    """The tree of the module docstring (a plain function, so module-scoped fixtures can build it once)."""
    province = make_org("Tỉnh ủy Thử nghiệm", Level.PROVINCE, code="P")
    district = make_org("Thành ủy Một", Level.DISTRICT, province, code="D1")
    grassroots = make_org("Đảng ủy phường Một", Level.GRASSROOTS, district, code="G1")
    cell = make_org("Chi bộ Tổ dân phố số 3", Level.CELL, grassroots, "residential", code="C1", committee_size=3)
    school = make_org("Chi bộ Trường Tiểu học", Level.CELL, grassroots, "public_service", code="C2")
    other_district = make_org("Huyện ủy Hai", Level.DISTRICT, province, code="D2")
    other_grassroots = make_org("Đảng ủy xã Hai", Level.GRASSROOTS, other_district, code="G2")
    other_cell = make_org("Chi bộ Thôn Hai", Level.CELL, other_grassroots, "residential", code="C3")
    return SimpleNamespace(
        province=province,
        district=district,
        grassroots=grassroots,
        cell=cell,
        school=school,
        other_district=other_district,
        other_grassroots=other_grassroots,
        other_cell=other_cell,
    )


@pytest.fixture
def people(tree):
    return build_people(tree)


@contextmanager
def built_once(django_db_blocker, build):
    """For a module- or class-scoped fixture: ``build()`` runs once in a transaction rolled back when the
    scope ends. Each test's own changes are rolled back by its ``db`` savepoint (pytest-django)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def fresh_copies(world):
    """The tests of a world built once each get their own copies of its Python objects (what Django's
    setUpTestData does), so a test that changes an object in memory does not change it for the next."""
    return copy.deepcopy(world)


def build_people(tree) -> SimpleNamespace:
    """alice: staff of the district (owner); lena: leadership there (may look); sam: supervisor of the
    grassroots organisation; sue: secretary of one cell; charlie: staff of the sibling district (outsider)."""
    alice = UserFactory(username="alice")
    lena = UserFactory(username="lena")
    sam = UserFactory(username="sam")
    sue = UserFactory(username="sue")
    charlie = UserFactory(username="charlie")
    assign(alice, tree.district, Role.STAFF)
    assign(lena, tree.district, Role.LEADERSHIP)
    assign(sam, tree.grassroots, Role.SUPERVISOR)
    assign(sue, tree.cell, Role.SECRETARY)
    assign(charlie, tree.other_district, Role.STAFF)
    return SimpleNamespace(alice=alice, lena=lena, sam=sam, sue=sue, charlie=charlie)


@pytest.fixture
def roster(tree):
    """Members of the residential cell and of the outsider's cell."""
    return SimpleNamespace(
        cell=[MemberFactory(organization=tree.cell) for _ in range(5)],
        other=[MemberFactory(organization=tree.other_cell) for _ in range(3)],
    )


def browser_required() -> bool:
    return os.environ.get("CHIBO_REQUIRE_BROWSER") == "1"
