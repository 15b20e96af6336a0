"""Fixtures for workbook tests: small workbooks built in code, one per case."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

FILES = Path(__file__).parent / "files"


def make_book(path: Path, sheets: dict[str, list[list]], *, tweak=None) -> Path:
    """Write ``{sheet name: rows}`` (row 1 = header) to ``path`` with openpyxl; ``tweak(wb)`` may alter it."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if tweak:
        tweak(wb)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    counter = iter(range(1000))

    def build(sheets: dict[str, list[list]], tweak=None) -> Path:
        return make_book(tmp_path / f"book{next(counter)}.xlsx", sheets, tweak=tweak)

    return build


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")
