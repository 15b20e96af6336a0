"""WSGI entry point: production settings unless DJANGO_SETTINGS_MODULE says otherwise (config/entrypoint.py)."""

from django.core.wsgi import get_wsgi_application

from config.entrypoint import use_settings

use_settings(server=True)
application = get_wsgi_application()
