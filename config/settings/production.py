"""Production settings: secrets from the environment, HTTPS only. Refuses to start without a secret key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set (or shorter than 50 characters); production will not start without it."
    )
# No development fallbacks: the embedded SQLite file and the filesystem broker are for `make run` only.
for _name in ("DATABASE_URL",):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} is not set; production will not start without it.")
if not (os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")):
    raise ImproperlyConfigured("REDIS_URL (or CELERY_BROKER_URL) is not set; production will not start without it.")
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set; production will not start without it.")
DEBUG = False

# Only behind a proxy that sets this header itself (and strips it from clients): "HTTP_X_FORWARDED_PROTO,https".
_proxy_header = [part.strip() for part in os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").split(",") if part]
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER is a header and a value: HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# A monitoring probe may ask gunicorn directly over loopback HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
