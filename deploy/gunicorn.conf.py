"""gunicorn's configuration for config.wsgi, read by `gunicorn --config deploy/gunicorn.conf.py`.

Every value can be changed in the environment file (/etc/chibo/chibo.env) without editing this file.
Logs go to standard output and error, which journald keeps (`journalctl -u chibo-web`)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# As many worker processes as the machine has cores (measured in bench/bench_load.py: more workers than
# cores only add memory). Each sync worker serves one request at a time; nginx buffers slow clients.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The longest page (a large export) must finish within this; nginx waits a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Connections queued while every worker is busy (the evening every secretary submits).
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
# Only nginx on this machine may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "chibo-web"
# Load the application once in the master, then fork: less memory, faster worker restarts.
preload_app = True
