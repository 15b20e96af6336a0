from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    """The organisation tree, rosters, officers, people's roles and the one scoping mechanism."""

    name = "cells"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from .scoping import register_scope_provider
        from .selectors import role_scope_paths

        register_scope_provider(role_scope_paths)
        from . import auth  # noqa: F401  (audits logins, failed logins and password changes)
