"""Backups that restore: one dated archive holding the database, the private files and the schema version.

An archive ``chibo-backup-YYYYMMDD-HHMMSS.tar.gz`` contains

- ``manifest.json``: the format, when and by which engine it was made, and the applied migrations;
- ``database.pgdump`` (``pg_dump --format=custom`` on PostgreSQL) or ``database.sqlite3`` (SQLite's
  online backup API, consistent while the site runs);
- ``private/``: everything under MEDIA_ROOT (evidence, minutes, report files, uploaded workbooks).

A restore goes into the configured database, which may be empty (not even migrated). It refuses an
archive made by a newer version of the product (a migration this code does not know) and a database
that already holds data (users or organisations) unless forced; then it migrates, so an archive of an
older version comes up to date.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess  # nosec B404 - pg_dump and pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

ARCHIVE_PREFIX = "chibo-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
FORMAT = 1
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
# Tables whose rows mean "someone works in this database": restoring over them needs --force.
DATA_TABLES = ("auth_user", "cells_organization")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class RestoreSummary:
    archive: Path
    created_at: str
    engine: str
    private_files: int
    migrated: bool


# --- The schema version --------------------------------------------------------------------------


def applied_migrations() -> dict[str, list[str]]:
    """app label -> the names of its applied migrations (the schema version of this database)."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    found: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        found.setdefault(app, []).append(name)
    return found


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """The migrations of an archive that this code does not have: the archive is of a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, names in migrations.items() for name in names if (app, name) not in known)


# --- Backup --------------------------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_env() -> dict[str, str]:
    conf = connection.settings_dict
    env = os.environ.copy()
    env.update(
        {
            "PGHOST": str(conf.get("HOST") or "127.0.0.1"),
            "PGPORT": str(conf.get("PORT") or 5432),
            "PGUSER": str(conf.get("USER") or ""),
            "PGDATABASE": str(conf["NAME"]),
        }
    )
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    # nosec B603 - fixed programs (pg_dump, pg_restore); the arguments are this configuration's paths and names
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(engine: str, target: Path) -> str:
    if engine == "postgresql":
        path = target / PG_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"], _pg_env())
        return PG_DUMP
    path = target / SQLITE_DUMP
    source = sqlite3.connect(str(connection.settings_dict["NAME"]))
    copy = sqlite3.connect(str(path))
    try:
        source.backup(copy)  # a consistent copy even while the site writes
    finally:
        copy.close()
        source.close()
    return SQLITE_DUMP


def _private_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup_create(directory: str | Path) -> Path:
    """Write one dated archive into ``directory`` and return its path. Readable by its owner only."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    files = _private_files()
    with tempfile.TemporaryDirectory(prefix="chibo-backup-") as work:
        work_path = Path(work)
        database_member = _dump_database(engine, work_path)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": database_member,
            "migrations": applied_migrations(),
            "private_files": len(files),
        }
        (work_path / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = archive.with_name(archive.name + ".partial")
        old_umask = os.umask(0o077)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(work_path / "manifest.json", arcname="manifest.json")
                tar.add(work_path / database_member, arcname=database_member)
                root = Path(settings.MEDIA_ROOT)
                for path in files:
                    tar.add(path, arcname=f"private/{path.relative_to(root).as_posix()}")
        finally:
            os.umask(old_umask)
        partial.replace(archive)  # a half-written archive never carries the final name
    return archive


def backup_prune(directory: str | Path, *, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` archives of ``directory``; returns the removed ones."""
    archives = sorted(Path(directory).glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    removed = archives[: max(len(archives) - max(keep, 1), 0)]
    for path in removed:
        path.unlink()
    return removed


# --- Restore -------------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.load(member)
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive} is not a backup archive of this product ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has archive format {manifest.get('format')}; this version reads {FORMAT}")
    return manifest


def holds_data() -> bool:
    """Whether the configured database has users or organisations (a migrated but unused one does not)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            if table in tables:
                # nosec B608 - the table names are this module's constants, quoted by the backend
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # nosec B608
                if cursor.fetchone():
                    return True
    return False


def _check_restorable(manifest: dict, force: bool) -> None:
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(f"the archive holds a {manifest.get('engine')} database; the configured database is {engine}")
    newer = unknown_migrations(manifest.get("migrations", {}))
    if newer:
        raise BackupError(
            "the archive was made by a newer version of the product (migrations unknown here: "
            f"{', '.join(newer[:5])}{'…' if len(newer) > 5 else ''}); install that version first"
        )
    if holds_data() and not force:
        raise BackupError("the configured database already holds data; restore into an empty one, or use --force")


def _drop_all_tables() -> None:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")  # nosec B608


def _load_database(engine: str, dump: Path) -> None:
    if engine == "postgresql":
        _drop_all_tables()
        connection.close()
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={connection.settings_dict['NAME']}", str(dump)],
            _pg_env(),
        )  # fmt: skip
        return
    connection.close()
    source = sqlite3.connect(str(dump))
    target = sqlite3.connect(str(connection.settings_dict["NAME"]))
    try:
        source.backup(target)  # replaces the whole target database, schema included
    finally:
        target.close()
        source.close()


def _restore_private_files(tar: tarfile.TarFile) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    members = [m for m in tar.getmembers() if m.name.startswith("private/") and m.isfile()]
    for member in members:
        member.name = member.name.removeprefix("private/")
        tar.extract(member, root, filter="data")  # refuses absolute paths, "..", links out of the folder
    return len(members)


def backup_restore(archive: str | Path, *, force: bool = False, migrate: bool = True) -> RestoreSummary:
    """Restore ``archive`` into the configured database and MEDIA_ROOT (see the module's docstring)."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    _check_restorable(manifest, force)
    engine = manifest["engine"]
    with tempfile.TemporaryDirectory(prefix="chibo-restore-") as work, tarfile.open(archive, "r:gz") as tar:
        tar.extract(manifest["database"], work, filter="data")
        _load_database(engine, Path(work) / manifest["database"])
        files = _restore_private_files(tar)
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    return RestoreSummary(archive, manifest["created_at"], engine, files, migrate)
