"""Where Django's admin finds the evaluations app's registrations: each part registers its own."""

from .campaigns import admin as campaigns_admin  # noqa: F401
from .meetings import admin as meetings_admin  # noqa: F401
