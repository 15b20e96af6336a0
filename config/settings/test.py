"""Settings for the test suite.

The database is SQLite unless DATABASE_URL is set (CI sets it to the machine's PostgreSQL). The
SQLite test database is a file, not memory, so a real Celery worker process can share it.
"""

import os
import tempfile

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_URL, DATABASES, VAR_DIR

SECRET_KEY = "test-only-not-secret"  # nosec B105 - the test suite's key; production requires its own
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test process, so several runs on one checkout do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

# Unit tests run tasks eagerly; integration tests start a real worker and switch this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# bin/test runs the suite over several pytest-xdist processes ("gw0", "gw1", ...; none outside xdist).
# Each has its own test database (pytest-django suffixes its name), media folder, broker folder and Redis
# keys, so their Celery workers never take each other's tasks.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and os.environ.get("CHIBO_TEST_DIRS_OF") != XDIST_WORKER:
    # Inherited from the xdist controller, whose folders every xdist process would otherwise share (a
    # worker process started by this one inherits CHIBO_TEST_DIRS_OF and keeps them).
    os.environ.pop("DJANGO_MEDIA_ROOT", None)
    os.environ.pop("CHIBO_BROKER_DIR", None)
    os.environ["CHIBO_TEST_DIRS_OF"] = XDIST_WORKER

# A worker process started by the tests inherits these through the environment, so it writes where
# the test process reads, and listens on a broker folder no `make run` worker consumes from.
MEDIA_ROOT = os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="chibo-test-media-"))
if CELERY_BROKER_URL.startswith("redis") and XDIST_WORKER:
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"chibo-{XDIST_WORKER}:"}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = os.environ.setdefault("CHIBO_BROKER_DIR", tempfile.mkdtemp(prefix="chibo-test-broker-"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": f"{_broker_dir}/queue",
        "data_folder_out": f"{_broker_dir}/queue",
        "processed_folder": f"{_broker_dir}/processed",
        "control_folder": f"{_broker_dir}/control",
        "store_processed": False,
    }
    for _sub in ("queue", "processed", "control"):
        os.makedirs(f"{_broker_dir}/{_sub}", exist_ok=True)
