"""The Celery application. Its settings come from Django's, under the CELERY_ prefix."""

from celery import Celery

from config.entrypoint import use_settings

# A worker is a server: production settings unless DJANGO_SETTINGS_MODULE says otherwise (bin/run sets local).
use_settings(server=True)

app = Celery("chibo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
