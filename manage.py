#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys


def main() -> None:
    # Local settings on a developer's machine; production wherever the production secret is set. This is
    # config.entrypoint.use_settings(server=False), inlined: importing the config package first would
    # load the Celery app, which (being a server) defaults to production.
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        production = bool(os.environ.get("DJANGO_SECRET_KEY"))
        os.environ["DJANGO_SETTINGS_MODULE"] = f"config.settings.{'production' if production else 'local'}"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
