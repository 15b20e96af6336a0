"""Settings for the test suite.

The database is SQLite unless DATABASE_URL is set (CI sets it to the machine's PostgreSQL). The
SQLite test database is a file, not memory, so a real Celery worker process can share it.
"""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

# Unit tests run tasks eagerly; integration tests start a real worker and switch this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

MEDIA_ROOT = tempfile.mkdtemp(prefix="chibo-test-media-")
os.environ.setdefault("CHIBO_TEST", "1")
