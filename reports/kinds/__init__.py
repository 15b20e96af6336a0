"""Report kinds. Importing this package registers every kind with :mod:`reports.registry`."""

from . import committee, overview  # noqa: F401
