"""The files deploy/install writes, checked without a server: every variable the code reads is in the
environment file template, and the nginx site keeps uploads and private files as the product needs.
(deploy/check, run by CI, installs them and runs nginx, systemd-analyze, gunicorn, the worker and beat.)"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "deploy" / "templates"
READ = re.compile(
    r"""(?:os\.environ(?:\.get|\.setdefault)?\(|os\.environ\[|env_(?:bool|list|int)\(|getenv\()["']([A-Z][A-Z0-9_]+)["']"""
)
CODE = ["config", "cells", "criteria", "evaluations", "reports", "ops", "manage.py", "deploy/gunicorn.conf.py"]
# Read only by the test settings: pytest-xdist names its processes; bin/test's folders belong to one of them.
TEST_ONLY = {"CHIBO_REPORTS_STEP_DELAY", "PYTEST_XDIST_WORKER", "CHIBO_TEST_DIRS_OF"}


def _variables_read() -> set[str]:
    names = set()
    for place in CODE:
        path = ROOT / place
        for source in [path] if path.is_file() else path.rglob("*.py"):
            names |= set(READ.findall(source.read_text()))
    return names


def test_the_environment_file_lists_every_variable_the_product_reads():
    template = (TEMPLATES / "chibo.env").read_text()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", template, re.M))
    read = _variables_read()
    assert {"DJANGO_SECRET_KEY", "CHIBO_BACKUP_DIR", "GUNICORN_BIND"} <= read  # the scan finds what it should
    assert not (read - listed - TEST_ONLY), f"add to deploy/templates/chibo.env: {sorted(read - listed - TEST_ONLY)}"
    assert not (TEST_ONLY & listed)


def test_nginx_takes_the_products_upload_limit_and_never_serves_private_files():
    site = (TEMPLATES / "nginx-chibo.conf").read_text()
    install = (ROOT / "deploy" / "install").read_text()
    assert "client_max_body_size @MAX_BODY@;" in site
    assert "CHIBO_MAX_UPLOAD_BYTES" in install and "T_MAX_BODY" in install
    # No location maps a folder other than the collected static files.
    assert re.findall(r"^\s*(?:alias|root)\s+(\S+);", site, re.M) == ["@STATIC_ROOT@/"]
    assert "location /private-not-served/ {\n        return 404;" in site


def test_the_worker_unit_recycles_its_processes_and_every_unit_restarts():
    worker = (TEMPLATES / "chibo-worker.service").read_text()
    assert "--max-tasks-per-child=${CHIBO_WORKER_MAX_TASKS_PER_CHILD}" in worker
    for unit in ("chibo-web.service", "chibo-worker.service", "chibo-beat.service"):
        text = (TEMPLATES / unit).read_text()
        assert "Restart=always" in text and "StandardOutput=journal" in text
        assert "EnvironmentFile=@ETC_DIR@/chibo.env" in text
