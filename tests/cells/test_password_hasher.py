"""Passwords: production hashes with Argon2id at the cost README "Logins and sessions" gives; a password
hashed before (PBKDF2, or Argon2 at other parameters) still logs in and is re-hashed at that cost."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher, identify_hasher
from django.urls import reverse

from config.settings import base
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "a-good-password-123"
CHOSEN = "argon2$argon2id$v=19$m=65536,t=3,p=1$"


def test_production_hashes_with_argon2id_at_64_mib_3_passes_1_lane_and_still_reads_pbkdf2():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "chibo.example",
        "DATABASE_URL": "postgres://chibo@127.0.0.1:5432/chibo",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.auth.hashers import make_password\n"
        "print('\\n'.join(settings.PASSWORD_HASHERS))\n"
        "print(make_password('x'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    *hashers, made = result.stdout.split()
    assert hashers[0] == "cells.passwords.Argon2idPasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]
    assert made.startswith(CHOSEN)


def _old_pbkdf2() -> str:
    return PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())


def _old_argon2() -> str:
    hasher = Argon2PasswordHasher()  # Django's parameters: 2 passes, 100 MiB, 8 lanes
    return hasher.encode(PASSWORD, hasher.salt())


@pytest.mark.django_db
@pytest.mark.parametrize("old_hash", [_old_pbkdf2, _old_argon2], ids=["pbkdf2", "argon2-other-cost"])
def test_a_password_hashed_before_logs_in_and_is_rehashed_at_the_chosen_cost(client, settings, old_hash):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings' fast hasher is not production's
    user = UserFactory(username="nhung")
    user.password = old_hash()
    user.save(update_fields=["password"])
    assert not user.password.startswith(CHOSEN)

    assert client.post(reverse("login"), {"username": "nhung", "password": "wrong"}).status_code == 200
    user.refresh_from_db()
    assert not user.password.startswith(CHOSEN)  # a failed login changes nothing

    assert client.post(reverse("login"), {"username": "nhung", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(CHOSEN)
    assert identify_hasher(user.password).__class__.__module__ == "cells.passwords"
    rehashed = user.password

    client.logout()
    assert client.post(reverse("login"), {"username": "nhung", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password == rehashed  # at the chosen cost already: not hashed again
