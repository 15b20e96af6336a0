import pytest
from django.core.management import CommandError, call_command

from tests.reports.pdftext import pdf_text


def test_build_report_writes_the_same_report_synchronously(tree, officers, tmp_path):
    target = tmp_path / "out.pdf"
    call_command(
        "build_report",
        "committee_completeness",
        "--org",
        "D1",
        "--period",
        "2024-Q1",
        "--format",
        "pdf",
        "-o",
        str(target),
    )
    text = pdf_text(target.read_bytes())
    assert "Chi bộ Tổ dân phố số 3" in text and "BÁO CÁO" in text


def test_build_report_writes_excel(tree, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command(
        "build_report",
        "organization_overview",
        "--org",
        "D1",
        "--period",
        "2024",
        "--format",
        "xlsx",
        "-o",
        str(target),
    )
    assert target.read_bytes()[:2] == b"PK"


def test_build_report_refuses_an_unknown_kind_or_organisation(tree, tmp_path):
    with pytest.raises(CommandError):
        call_command("build_report", "nope", "--org", "D1", "--period", "2024", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command(
            "build_report", "organization_overview", "--org", "ZZ", "--period", "2024", "-o", str(tmp_path / "x")
        )
