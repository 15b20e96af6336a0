"""Which settings a process starts with, for manage.py, the WSGI module and ``celery -A config``.

Servers never fall back to development settings: the WSGI application and the Celery app default to
``config.settings.production`` (which refuses to start without its secrets). ``manage.py`` defaults
to ``config.settings.local`` only on a machine that holds no production secret: where
``DJANGO_SECRET_KEY`` is in the environment, it is production too. ``make run``, ``make test`` and
``.ci/run`` name their settings explicitly. Imported before Django, so it uses nothing but ``os``.
"""

import os

PRODUCTION = "config.settings.production"
LOCAL = "config.settings.local"


def use_settings(*, server: bool) -> str:
    """Set DJANGO_SETTINGS_MODULE when it is not set, and return it."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        production = server or bool(os.environ.get("DJANGO_SECRET_KEY"))
        os.environ["DJANGO_SETTINGS_MODULE"] = PRODUCTION if production else LOCAL
    return os.environ["DJANGO_SETTINGS_MODULE"]
