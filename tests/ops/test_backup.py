"""Backups that restore: `manage.py backup` then `manage.py restore` into an empty database (not even
migrated) gives the same exports and the same private files. Runs on the suite's engine: SQLite in
`make test`, PostgreSQL (pg_dump/pg_restore) in CI's second run."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from cells.demo import build_small_province, run_extensions
from ops.backup import ARCHIVE_PREFIX, backup_prune, read_manifest
from ops.schedules import beat_schedule
from tests.worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = [
    ("organizations", ["--org", "TU-LC"]),
    ("members", ["--org", "TU-LC"]),
    ("campaign_results", ["--campaign", "KH252-TU-2024"]),
]


def _manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _rows(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    finally:
        book.close()


def _export_here(target: Path) -> dict[str, dict]:
    found = {}
    for sheet, args in EXPORTS:
        call_command(
            "export_workbook", "--sheet", sheet, *args, "-o", str(target / f"{sheet}.xlsx"), stdout=io.StringIO()
        )
        found[sheet] = _rows(target / f"{sheet}.xlsx")
    return found


def _export_there(target: Path, database_url: str, media_root: Path) -> dict[str, dict]:
    target.mkdir()
    found = {}
    for sheet, args in EXPORTS:
        out = target / f"{sheet}.xlsx"
        done = _manage("export_workbook", "--sheet", sheet, *args, "-o", str(out), database_url=database_url,
                       media_root=media_root)  # fmt: skip
        assert done.returncode == 0, done.stderr
        found[sheet] = _rows(out)
    return found


@pytest.fixture
def empty_database(tmp_path):
    """A database of the suite's engine with nothing in it, not even Django's tables."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = _database_url().rsplit("/", 1)[0] + f"/{name}"
    yield url
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reference_rows() -> None:
    """The rows the data migrations put in (cell types, topic groups): an earlier transactional test's flush
    may have removed them."""
    from django.apps import apps

    for module, function in (("cells.migrations.0002_cell_types", "add_cell_types"),
                             ("evaluations.migrations.0002_thematic_topics", "add_topics")):  # fmt: skip
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_gives_the_same_exports_and_files(tmp_path, empty_database):
    _reference_rows()
    run_extensions(build_small_province())
    default_storage.save("evidence/2024/minh-chung.pdf", ContentFile(b"%PDF-1.4 bien ban"))
    before = _export_here(tmp_path)
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    archive = Path(out.getvalue().strip().splitlines()[-1])  # the archive's path is the last line
    assert archive.name.startswith(ARCHIVE_PREFIX) and archive.exists()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert "0005_versions" in manifest["migrations"]["evaluations"]

    media = tmp_path / "restored-media"
    done = _manage("restore", str(archive), database_url=empty_database, media_root=media)
    assert done.returncode == 0, done.stderr
    after = _export_there(tmp_path / "after", database_url=empty_database, media_root=media)
    assert after == before
    assert before["members"]["members"][1:]  # the comparison is about real rows
    assert (media / "evidence/2024/minh-chung.pdf").read_bytes() == b"%PDF-1.4 bien ban"

    # The restored database now holds data: a second restore is refused, unless forced.
    again = _manage("restore", str(archive), database_url=empty_database, media_root=media)
    assert again.returncode != 0 and "already holds data" in again.stderr
    forced = _manage("restore", str(archive), "--force", database_url=empty_database, media_root=media)
    assert forced.returncode == 0, forced.stderr
    assert _export_there(tmp_path / "forced", database_url=empty_database, media_root=media) == before


def _archive(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(tmp_path, tree, people):
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(_archive(tmp_path)))


@pytest.mark.django_db
def test_restore_refuses_an_archive_of_a_newer_schema(tmp_path):
    archive = _archive(tmp_path)
    manifest = read_manifest(archive)
    manifest["migrations"]["evaluations"].append("0999_from_the_future")
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(newer, "w:gz") as target:
        for member in source.getmembers():
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
            else:
                target.addfile(member, source.extractfile(member) if member.isfile() else None)
    with pytest.raises(CommandError, match="newer version.*evaluations.0999_from_the_future"):
        call_command("restore", str(newer), "--force")


def test_pruning_keeps_the_newest_archives(tmp_path):
    names = [f"{ARCHIVE_PREFIX}2026010{day}-021500.tar.gz" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not an archive")
    removed = backup_prune(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[3:], "notes.txt"])


def test_the_daily_backup_is_scheduled_only_when_a_folder_is_configured():
    assert "ops-backup" not in beat_schedule(backup_dir="", backup_hour=2)
    entry = beat_schedule(backup_dir="/var/backups/chibo", backup_hour=3)["ops-backup"]
    assert entry["task"] == "ops.tasks.scheduled_backup"
    assert entry["schedule"].hour == {3}
    assert "ops-backup" not in settings.CELERY_BEAT_SCHEDULE  # off by default


@pytest.mark.django_db
def test_the_scheduled_backup_writes_an_archive_and_keeps_n(tmp_path, settings):
    from ops.tasks import scheduled_backup

    settings.CHIBO_BACKUP_DIR, settings.CHIBO_BACKUP_KEEP = str(tmp_path), 2
    for day in (1, 2):
        (tmp_path / f"{ARCHIVE_PREFIX}2020010{day}-021500.tar.gz").write_bytes(b"old")
    written = Path(scheduled_backup.apply().get())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{ARCHIVE_PREFIX}20200102-021500.tar.gz", written.name]
    )
