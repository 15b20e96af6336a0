"""Fixtures of the reports tests: officers for the tree's cells and a finished run with its file."""

import datetime

import pytest
from django.utils import timezone

from cells import services as cell_services
from cells.models import Position
from evaluations.campaigns.models import CampaignTarget, Outcome, Registration, RegistrationStatus, Result
from reports import services
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, assign_supervisor, make_framework, scored_meeting
from tests.factories import MemberFactory


@pytest.fixture
def officers(tree, roster):
    """The residential cell (committee of 3) has a secretary only: a deputy and a member are missing.
    The school cell (no committee) has a secretary and a deputy: complete."""
    day = datetime.date(2020, 1, 1)
    secretary = roster.cell[0]
    secretary.full_name = "Nguyễn Thị Hồng Nhung"
    secretary.save()
    cell_services.officer_appoint(
        organization=tree.cell, member=secretary, position=Position.SECRETARY, started_on=day, acting_user=None
    )
    school_members = [MemberFactory(organization=tree.school, full_name=f"Lê Văn Đức {n}") for n in range(2)]
    cell_services.officer_appoint(
        organization=tree.school,
        member=school_members[0],
        position=Position.SECRETARY,
        started_on=day,
        acting_user=None,
    )
    cell_services.officer_appoint(
        organization=tree.school,
        member=school_members[1],
        position=Position.DEPUTY_SECRETARY,
        started_on=day,
        acting_user=None,
    )
    return secretary


def request_run(tree, people, **overrides):
    fields = {
        "kind": "committee_completeness",
        "organization": tree.district,
        "period": "2024-Q1",
        "format": "pdf",
        "number": "15-BC/TU",
        "place": "Yên Bái",
        "issued_on": datetime.date(2024, 4, 5),
        "signer_name": "Hoàng Văn Sơn",
        "signer_position": "PHÓ BÍ THƯ",
        "recipients": "Ban Tổ chức Tỉnh ủy\nLưu Văn phòng",
        "acting_user": people.alice,
        "language": "vi",
    }
    fields.update(overrides)
    return services.report_run_request(**fields)


# A finished run's file as stored, for the tests that ask who may see, download or retry a run and what its
# page says, not how the PDF is drawn (test_pdf.py and test_document_details.py render every kind).
STORED_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def store_finished_run(tree, people):
    """The run request_run asks for, marked done with STORED_PDF as its file: nothing is rendered. The file
    is written where the build writes it, over any file an earlier test left for a run of the same id."""
    from pathlib import Path

    from django.core.files.storage import default_storage

    run = request_run(tree, people)
    name = run.storage_name()
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(STORED_PDF)
    run.status, run.progress, run.pages = "done", 100, 1
    run.file.name, run.file_size, run.finished_at = name, len(STORED_PDF), timezone.now()
    run.save(update_fields=["status", "progress", "pages", "file", "file_size", "finished_at"])
    return run


@pytest.fixture
def stored_run(tree, people):
    """A finished committee-completeness run of Thành ủy Một with a stored file (see STORED_PDF)."""
    return store_finished_run(tree, people)


@pytest.fixture
def done_run(tree, people, django_capture_on_commit_callbacks):
    """A committee-completeness report of Thành ủy Một, built (eagerly) and ready to download: for the tests
    of the build itself (the others take ``stored_run``)."""
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(tree, people)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


@pytest.fixture
def meetings(tree, people):
    """Q1 2024: the residential cell holds its three meetings, all full marks (Tốt); the school holds one,
    poorly scored; sam supervises the residential cell."""
    make_framework(tree.province)
    for month in (1, 2, 3):
        scored_meeting(tree.cell, date=datetime.date(2024, month, 10))
    poor = {key: 0 for key in FULL} | {"2.1": 20, "4.1": 20}
    scored_meeting(tree.school, values=poor, date=datetime.date(2024, 1, 12))
    assign_supervisor(tree.cell, people.sam)


@pytest.fixture
def campaign(tree):
    """The district's 2024 plan (target: 2 new recognitions): the residential cell passed and is recognized;
    the school registered only."""
    campaign = builders.campaign(tree)
    CampaignTarget.objects.create(campaign=campaign, metric="recognized_new", value=2)
    passed = builders.participant(campaign, tree.cell)
    builders.participant(campaign, tree.school, status=RegistrationStatus.SUBMITTED)
    Registration.objects.filter(pk=passed.pk).update(
        self_assessed_at=timezone.now(),
        confirmed_at=timezone.now(),
        result=Result.DAT,
        outcome=Outcome.RECOGNIZED_NEW,
        year_rating="HTTNV",
    )
    return campaign
