"""The permission matrix: every URL pattern × HTTP method × persona, and the answer expected from ONE table
(``tests/permission_table.py``). ``tests/test_permission_matrix.py`` walks it.

A persona is one kind of user the product has (see README "Security"). The objects each URL is asked
about come from the scope cases (``tests/<app>/view_cases.py``: the first case of each URL name), so
adding a view means adding its scope case and one line of the table; the suite names the line missing.

A cell of the table is the HTTP status, with ``+`` when the request changes the database (an audit
entry, a report run, an import job, a notification read) and nothing when it must change nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

from cells.models import AuditEntry, Notification, Role
from cells.workbook.models import ImportJob
from evaluations.meetings.models import Meeting, SupervisionAssignment
from reports.models import ReportRun
from tests.factories import UserFactory, assign

# The order of the personas in every line of the table.
PERSONAS = (
    "superuser",
    "province_staff",
    "district_staff",
    "sibling_staff",
    "leadership",
    "cell_supervisor",
    "other_supervisor",
    "secretary",
    "other_secretary",
    "anonymous",
)
METHODS = ("get", "post")


def build_personas(tree, people) -> SimpleNamespace:
    """The personas on the conftest tree: alice, lena, sam, sue and charlie, and five more."""
    import datetime

    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    province_staff = UserFactory(username="tinh")
    assign(province_staff, tree.province, Role.STAFF)
    other_supervisor = UserFactory(username="giamsat2")
    assign(other_supervisor, tree.other_grassroots, Role.SUPERVISOR)
    other_secretary = UserFactory(username="bithu2")
    assign(other_secretary, tree.other_cell, Role.SECRETARY)
    start = datetime.date(2020, 1, 1)
    SupervisionAssignment.objects.create(organization=tree.cell, supervisor=people.sam, valid_from=start)
    SupervisionAssignment.objects.create(organization=tree.other_cell, supervisor=other_supervisor, valid_from=start)
    return SimpleNamespace(
        superuser=superuser,
        province_staff=province_staff,
        district_staff=people.alice,
        sibling_staff=people.charlie,
        leadership=people.lena,
        cell_supervisor=people.sam,
        other_supervisor=other_supervisor,
        secretary=people.sue,
        other_secretary=other_secretary,
        anonymous=None,
    )


def fingerprint() -> tuple:
    """What a request that changes data leaves behind: every change is audited, and the few writes that are
    not changes of the record (a report asked for, an import uploaded, a notification read) are counted."""
    return (
        AuditEntry.objects.exclude(action__startswith="auth.").count(),
        ReportRun.objects.count(),
        ImportJob.objects.count(),
        Notification.objects.filter(read_at__isnull=False).count(),
        Meeting.objects.count(),
    )


def cell(status: int, changed: bool) -> str:
    return f"{status}{'+' if changed else ''}"


def parse_line(line: str) -> dict[str, str]:
    codes = line.split()
    if len(codes) != len(PERSONAS):
        raise ValueError(f"a line of the table has {len(PERSONAS)} cells, one per persona: {line!r}")
    return dict(zip(PERSONAS, codes, strict=True))
