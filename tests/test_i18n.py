"""The interface speaks Vietnamese: every string of the code has a Vietnamese translation that is used."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
SOURCES = ["manage.py", "config", "cells", "criteria", "evaluations", "reports", "ops", "templates", "locale"]


def _keys(catalogue: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete}


def test_the_vietnamese_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy (not used until checked): {fuzzy}"


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """Extracting the strings again, from a copy of the code, finds none the committed catalogue lacks."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = _keys(polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po")))
    committed = _keys(polib.pofile(str(PO)))
    assert not extracted - committed, f"run bin/po-translate: new strings {sorted(extracted - committed)[:20]}"


def test_vietnamese_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "vi"
    with translation.override("vi"):
        assert translation.gettext("Log in") == "Đăng nhập"
