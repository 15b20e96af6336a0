import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# What production needs besides its secret key (values only parsed here: nothing connects).
PRODUCTION_ENV = {
    "DJANGO_ALLOWED_HOSTS": "chibo.example",
    "DATABASE_URL": "postgres://chibo@127.0.0.1:5432/chibo",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _load_production(secret: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(PRODUCTION_ENV)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_production(None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    assert _load_production("short").returncode != 0


def test_production_starts_with_a_long_secret_key():
    result = _load_production("x" * 60)
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by bin/test only
    env.update(
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": os.environ.get("DATABASE_URL") or PRODUCTION_ENV["DATABASE_URL"],
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _run(
    code: str, env_changes: dict, drop=("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_wsgi_and_celery_never_fall_back_to_development_settings():
    for code in ("import config.wsgi", "import config.celery as c; print(c.app.conf.broker_url)"):
        result = _run(code, {})
        assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr, (code, result.stdout)


def test_manage_py_is_production_wherever_the_production_secret_is_set():
    result = _run(
        "import sys; sys.argv=['manage.py', 'diffsettings', '--output', 'unified']; import manage; manage.main()",
        {"DJANGO_SECRET_KEY": "x" * 60},
    )
    assert result.returncode != 0 and "production will not start without it" in result.stderr


def test_production_refuses_to_start_without_its_database_and_broker():
    for missing in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"):
        env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "x" * 60}
        env.pop(missing)
        result = _run(
            "import django; django.setup()", env, drop=("DJANGO_SETTINGS_MODULE", missing, "CELERY_BROKER_URL")
        )
        assert result.returncode != 0 and missing in result.stderr, missing


def test_the_proxy_ssl_header_is_trusted_only_when_configured():
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "x" * 60}
    assert _run(code, env).stdout.strip() == "None"
    configured = _run(code, {**env, "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"})
    assert configured.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    hsts = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    assert _run(hsts, {**env, "DJANGO_SECURE_HSTS_SECONDS": "600"}).stdout.strip() == "600"
