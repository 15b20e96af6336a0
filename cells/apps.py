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
        # Imported for their signal receivers: the audit of logins, failed logins and password changes,
        # and the chosen language coming back at login.
        from . import auth, language  # noqa: F401
