from django import forms
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .dates import check_day

# Every date typed in a form, on every page, lies in the product's range (cells.dates; imports check the
# same range in cells.workbook.values). Set here, as the apps load: before any form class is defined.
forms.DateField.default_validators = [check_day]


class CellsConfig(AppConfig):
    """The organisation tree, rosters, officers, people's roles and the one scoping mechanism."""

    name = "cells"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from .scoping import register_scope_provider
        from .selectors import role_scope_paths

        register_scope_provider(role_scope_paths)
        # The workbook sheets and exports of the tree and rosters, and the import job's Celery task
        # (Celery's autodiscovery finds only cells.tasks).
        from . import (  # noqa: F401
            auth,  # noqa: F401  (audits logins, failed logins and password changes)
            language,  # noqa: F401  (the chosen language comes back at login)
            reorganization_sheet,
            sheets,
        )
        from .workbook import tasks  # noqa: F401
