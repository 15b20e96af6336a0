"""Report kinds. Importing this package registers every kind with :mod:`reports.registry`."""

from . import campaigns, committee, meetings, overview  # noqa: F401
