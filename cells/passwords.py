"""The password hasher: Argon2id, 64 MiB of memory, 3 passes, 1 lane (RFC 9106's second recommended
setting, on one lane).

Why (bench/bench_password_hashers.py on the 2-core server; README "Logins and sessions"): checking one
password costs about 0.15 s of CPU, against 0.46 s for Django's PBKDF2 at 1,000,000 iterations, so the
month's last evening (5,000 secretaries, peak 1.7 logins a second) spends about 13 % of the two cores on
logins instead of 40 %. A stolen hash costs an attacker more, not less: an RTX 4090 tries about 1,700
Argon2id guesses a second at this setting (hashcat's published figure) against about 8,900 for PBKDF2 at
1,000,000 iterations, because every guess must fill and read 64 MiB, which a GPU's memory bandwidth
bounds. One lane: more lanes only spread one check over more threads, and a sync gunicorn worker per
core has none to spare.

A hash made with other parameters (or by another hasher in PASSWORD_HASHERS) still checks, and Django
re-hashes it with these at the next good login (``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    # Django's Argon2PasswordHasher is Argon2id; its algorithm name ("argon2") stays, so hashes made by
    # it still check here.
    time_cost = 3
    memory_cost = 64 * 1024  # KiB
    parallelism = 1
