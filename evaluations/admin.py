"""Admin registrations of the evaluations app, one module per part."""

from . import admin_campaigns, admin_meetings  # noqa: F401
