"""Settings shared by every environment. Values that differ per machine come from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime files (SQLite database, the embedded broker's folders, uploads) live in one ignored folder.
VAR_DIR = Path(os.environ.get("CHIBO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "cells",
    "criteria",
    "evaluations",
    "reports",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The user's chosen language, else Vietnamese; never the browser's (cells/language.py).
    "cells.language.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cells.auth.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cells.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production and CI), else an embedded SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chibo.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker) share the file: wait for locks instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords are hashed with Argon2id at 64 MiB, 3 passes, 1 lane (cells/passwords.py says why, with the
# figures; README "Logins and sessions"). The hashers after the first still check older hashes (PBKDF2 was
# Django's default before), and a good login re-hashes such a password with the first.
PASSWORD_HASHERS = [
    "cells.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The Content-Security-Policy (config/csp.py); empty: the built-in policy.
CHIBO_CSP = os.environ.get("CHIBO_CSP", "")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Logins are throttled by django-axes (cells/auth.py, LoginThrottle): an account is paused after
# CHIBO_LOGIN_FAILURE_LIMIT failures (from anywhere, or from one address); an address alone only after
# CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT failures whatever the accounts, so one person mistyping behind an
# office's router does not lock the whole office out. A good login clears only its own account's
# failures from its own address.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "cells.auth.LoginThrottle"
AXES_FAILURE_LIMIT = int(os.environ.get("CHIBO_LOGIN_FAILURE_LIMIT", "5"))
CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("CHIBO_LOGIN_COOLOFF_MINUTES", "15")))
# The order matters to LoginThrottle: the last entry is the address alone, with its own limit.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"], "ip_address"]
# Behind a proxy every request comes from the proxy's address: pausing "an address" would pause every
# user after a few failures anywhere. CHIBO_CLIENT_IP_HEADER names the header the proxy sets to the
# client's address (HTTP_X_FORWARDED_FOR behind deploy/'s nginx, which overwrites what a client sent).
CHIBO_CLIENT_IP_HEADER = os.environ.get("CHIBO_CLIENT_IP_HEADER", "").strip()
AXES_CLIENT_IP_CALLABLE = "cells.auth.client_address"
AXES_LOCKOUT_CALLABLE = "cells.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Sessions end after this much idle time (each request renews it, cells.auth.IdleTimeoutMiddleware);
# "Shared computer" on the login form ends them when the browser closes.
SESSION_COOKIE_AGE = int(float(os.environ.get("CHIBO_SESSION_IDLE_HOURS", "8")) * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English can follow through the same catalogues.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy everywhere, whatever Django's own Vietnamese formats say.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded files (evidence, minutes) are private: they are never served from a public URL, only
# through views that check the user's scope. MEDIA_URL is therefore not routed anywhere.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "private"))
MEDIA_URL = "/private-not-served/"

# Upload limits: a form's request body, and files in memory before spooling to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file a user may upload (workbooks, evidence), checked by the forms.
CHIBO_MAX_UPLOAD_BYTES = int(os.environ.get("CHIBO_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "chibo@localhost")
# The SMTP relay, when DJANGO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Notifications are rows under the bell; they are also emailed only when this is on (and a user has an address).
CHIBO_NOTIFY_BY_EMAIL = os.environ.get("CHIBO_NOTIFY_BY_EMAIL", "").lower() in ("1", "true", "yes")
# The site's address as users reach it, for links in emails (no trailing slash).
CHIBO_SITE_URL = os.environ.get("CHIBO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL (or CELERY_BROKER_URL) is set, else kombu's filesystem transport,
# which needs no server, so `make run` works on a bare machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
BROKER_DIR = Path(os.environ.get("CHIBO_BROKER_DIR", VAR_DIR / "broker"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Longer than the longest task's hard limit, so Redis does not redeliver a running task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# Progress and outcomes live in model rows (jobs, report runs); no result backend is needed.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# WeasyPrint does not hand memory back: recycle worker processes.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
CELERY_BEAT_SCHEDULE: dict = {}
# Queued work per user: report builds waiting for a worker (an identical pending request returns the
# run already waiting), workbook imports waiting or running; a checked upload nobody confirms is
# deleted after CHIBO_UNCONFIRMED_UPLOAD_HOURS (rosters are personal data).
CHIBO_MAX_QUEUED_REPORTS = int(os.environ.get("CHIBO_MAX_QUEUED_REPORTS", "5"))
CHIBO_MAX_QUEUED_IMPORTS = int(os.environ.get("CHIBO_MAX_QUEUED_IMPORTS", "3"))
CHIBO_UNCONFIRMED_UPLOAD_HOURS = int(os.environ.get("CHIBO_UNCONFIRMED_UPLOAD_HOURS", "24"))
# Each app adds its beat entries from its own schedules module.
from reports.schedules import BEAT_SCHEDULE as REPORTS_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(REPORTS_BEAT_SCHEDULE)
from evaluations.meetings.schedules import BEAT_SCHEDULE as MEETINGS_BEAT_SCHEDULE  # noqa: E402
from evaluations.meetings.schedules import MEETING_REMINDER_DAY as CHIBO_MEETING_REMINDER_DAY  # noqa: E402, F401

CELERY_BEAT_SCHEDULE.update(MEETINGS_BEAT_SCHEDULE)
from cells.workbook.schedules import BEAT_SCHEDULE as WORKBOOK_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(WORKBOOK_BEAT_SCHEDULE)
from evaluations.campaigns.schedules import BEAT_SCHEDULE as CAMPAIGNS_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(CAMPAIGNS_BEAT_SCHEDULE)

# Backups (ops/backup.py): `manage.py backup DIR` any time; the daily scheduled backup runs only when
# CHIBO_BACKUP_DIR is set, at CHIBO_BACKUP_HOUR:15 local time, keeping the newest CHIBO_BACKUP_KEEP archives.
CHIBO_BACKUP_DIR = os.environ.get("CHIBO_BACKUP_DIR", "")
CHIBO_BACKUP_KEEP = int(os.environ.get("CHIBO_BACKUP_KEEP", "14"))
CHIBO_BACKUP_HOUR = int(os.environ.get("CHIBO_BACKUP_HOUR", "2"))
from ops.schedules import beat_schedule as ops_beat_schedule  # noqa: E402

CELERY_BEAT_SCHEDULE.update(ops_beat_schedule(backup_dir=CHIBO_BACKUP_DIR, backup_hour=CHIBO_BACKUP_HOUR))
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
