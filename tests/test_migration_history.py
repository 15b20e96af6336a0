"""Migrations are history: once a migration is on main, it is never edited.

A database that applied a migration never applies it again, so an edit reaches only the databases made
after it and the two drift apart. A change of the schema is a new migration, numbered after main's latest.

The check reads git: for each migration at HEAD, the commits of HEAD's first-parent chain (main's, on
main) that touched it after the commit that added it. It needs the history, so a checkout without it (an
exported tree, a shallow clone) fails here with what to do, rather than passing unchecked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = re.compile(r"^[a-z_]+(/[a-z_]+)*/migrations/\d{4}_\w+\.py$")

# Edits made before this check existed, each kept because rewriting main's history is worse than the edit.
GRANDFATHERED = {
    ("evaluations/migrations/0001_meetings.py", "28031ea1141c240fbf34bcc04ec7a1b927b3f62c"): (
        "the minutes file's storage had baked a developer machine's path (/tmp/mtg/var/private) into the "
        "migration; the field moved to the default storage and the path was taken out"
    ),
    ("evaluations/migrations/0003_campaigns.py", "ab03dbfb8929c5ee6de23e5d191bf7e89dda7d10"): (
        "the indicator's actual value and target widened to 3 decimal places (14 digits) on the day the "
        "campaigns landed, before any database outside development held them"
    ),
    ("evaluations/migrations/0003_campaigns.py", "33e935cedae0da2ceb2a8845cccd7ed80b8141ec"): (
        "evaluations split into meetings/ and campaigns/ packages: the migration's import path of "
        "evidence_upload_to followed the moved module (no schema change)"
    ),
    ("evaluations/migrations/0017_campaign_summaries.py", "c073cc0d4f489969cd9db8c3426f3cc076756a2b"): (
        "made as 0016 on its branch, renumbered 0017 after the meeting summaries' 0016 (its dependency "
        "followed) in the commit that landed with it: no database outside development held it"
    ),
}


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _require_history() -> None:
    """Fail (never skip) when the checkout cannot say what happened to its migrations."""
    advice = "run the suite in a full git clone (git clone without --depth, or `git fetch --unshallow`)"
    if shutil.which("git") is None:
        pytest.fail(f"git is not installed, so the migrations' history cannot be read: {advice}")
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True, check=False)
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
        pytest.fail(f"{ROOT} is not a git checkout, so the migrations' history cannot be read: {advice}")
    if _git("rev-parse", "--is-shallow-repository").strip() != "false":
        pytest.fail(f"this clone is shallow: the commits that added the migrations may be missing: {advice}")


def _grandfathered(path: str, commit: str) -> bool:
    return (path, commit) in GRANDFATHERED


def migration_edits() -> dict[str, list[str]]:
    """For each migration at HEAD, the first-parent commits that changed it after the one that added it."""
    log = _git(
        "log",
        "--first-parent",
        "--diff-merges=first-parent",  # a merge's changes are those it brought to the first parent
        "--no-renames",  # a renumbered migration is a new file, added by the commit that renamed it
        "--reverse",
        "--format=@%H",
        "--name-status",
        "HEAD",
        "--",
        "*/migrations/*.py",
    )
    touched: dict[str, list[tuple[str, str]]] = {}
    commit = ""
    for line in log.splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line.strip():
            status, path = line.split("\t", 1)
            touched.setdefault(path, []).append((status[0], commit))
    at_head = [path for path in _git("ls-tree", "-r", "--name-only", "HEAD").splitlines() if MIGRATION.match(path)]
    edits = {}
    for path in at_head:
        changes = touched.get(path, [])
        added = max((index for index, (status, _) in enumerate(changes) if status == "A"), default=None)
        if added is None:
            pytest.fail(f"{path} is at HEAD but no commit of the first-parent chain added it")
        edits[path] = [commit for status, commit in changes[added + 1 :] if status != "A"]
    return edits


def test_no_migration_is_edited_after_it_was_added():
    _require_history()
    edits = migration_edits()
    assert edits, "no migration found at HEAD: the pattern no longer matches the project's migrations"
    broken = {
        path: [commit[:10] for commit in commits if not _grandfathered(path, commit)] for path, commits in edits.items()
    }
    broken = {path: commits for path, commits in broken.items() if commits}
    assert not broken, (
        "migrations edited after they were added (a database that applied them never sees the edit): "
        f"{broken}. Put the change in a new migration numbered after the latest, and restore the file."
    )


def test_each_grandfathered_edit_is_one_that_happened():
    """The exceptions name real edits, so a mistyped hash cannot let another edit pass: each is a commit of
    HEAD's history that changed that migration. (Not necessarily on HEAD's first-parent chain: main moves by
    fast-forward, so which side of a merge is "first" depends on who landed last.)"""
    _require_history()
    for path, known in GRANDFATHERED:
        ancestor = subprocess.run(
            ["git", "merge-base", "--is-ancestor", known, "HEAD"], cwd=ROOT, capture_output=True, check=False
        )
        assert ancestor.returncode == 0, (path, known, "not a commit of HEAD's history")
        changed = _git("show", "--no-renames", "--format=", "--name-only", known, "--", path).split()
        assert changed == [path], (path, known, "this commit did not change that migration")
