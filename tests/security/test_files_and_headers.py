"""Uploads, downloads, the workbook reader, and the headers every page carries."""

import datetime
import pathlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cells.workbook import importer
from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from evaluations.campaigns import services as campaign_services
from evaluations.meetings import services
from evaluations.meetings.models import Meeting
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import make_framework

pytestmark = pytest.mark.django_db
TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"


def test_minutes_uploads_get_the_evidence_content_checks(tree, people):
    make_framework(tree.province)
    script = SimpleUploadedFile("bien-ban.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        services.recording.meeting_create(
            organization=tree.cell,
            kind="regular",
            date=datetime.date(2024, 3, 1),
            minutes_file=script,
            acting_user=None,
        )
    assert "minutes_file" in refused.value.message_dict
    assert not Meeting.objects.exists()


def _evidence(tree, people, name, content):
    campaign = builders.campaign(tree)
    registration = builders.participant(campaign, tree.cell)
    answer = campaign_services.answers.answer_self_save(
        registration=registration, criterion=builders.criterion(registration, "1.1"), achieved=True, acting_user=None
    )
    return campaign_services.answers.evidence_add(
        answer=answer, upload=SimpleUploadedFile(name, content), acting_user=None
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_evidence_that_is_not_an_image_downloads_as_an_attachment_with_a_safe_name(client, tree, people):
    pdf = _evidence(tree, people, 'bien "ban"\r\n.pdf', b"%PDF-1.4\n1 0 obj\n")
    client.force_login(people.alice)
    response = client.get(reverse("evaluations:campaign_evidence", kwargs={"pk": pdf.pk}))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition


def test_image_evidence_opens_in_the_browser(client, tree, people):
    image = _evidence(tree, people, "anh.png", PNG)
    client.force_login(people.alice)
    response = client.get(reverse("evaluations:campaign_evidence", kwargs={"pk": image.pk}))
    assert response["Content-Disposition"].startswith("inline;")


def test_the_reader_reports_a_capped_number_of_problems(tmp_path, tree, people, monkeypatch):
    monkeypatch.setattr(importer, "MAX_REPORTED_ERRORS", 3)
    book = WorkbookWriter()
    book.sheet("meetings").extend([["NOPE", "05/03/2024", "regular", "X"] for _ in range(10)])
    book.save(tmp_path / "m.xlsx")
    result = run_import(tmp_path / "m.xlsx", user=people.alice)
    assert len(result.errors) == 4 and result.errors[-1].row == 0 and "7" in result.errors[-1].message


def test_the_reader_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, people):
    client.force_login(people.alice)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_no_template_has_an_inline_script_or_an_event_handler_attribute():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+=[\"']", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not offenders, offenders
