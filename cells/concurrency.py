"""Optimistic concurrency: a ``version`` column, checked by the services, carried by the forms.

Two people open the same meeting (or score, or registration and its annual answers) and both save.
Each edit page sends back the version it was drawn from in a hidden ``version`` field; the service
locks the row, and when the version moved on since the page was drawn it refuses the save with
:class:`VersionConflict`. The page then comes back with everything the user typed and the current
version in the hidden field, so a second save, made knowingly, replaces the other person's.

A caller without a page (a workbook import, a task) passes ``expected_version=None``: no check,
but the version still moves on, so a page drawn before the import is refused.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class VersionConflict(ValidationError):
    """The row was saved by someone else since the page was drawn. ``current_version`` is the row's now."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message, code="version_conflict")
        self.current_version = current_version


def conflict_message(what: str) -> str:
    return _(
        "Someone else saved this %(what)s while you were editing it, so nothing of yours was saved. "
        "Your entries are kept below: look at the current record, then save again to replace it."
    ) % {"what": what}


def check_version(instance: models.Model, expected_version: int | None, *, what: str) -> None:
    """Refuse when the page's version is not the row's. Call it on the row locked by ``select_for_update``."""
    if expected_version is not None and int(expected_version) != instance.version:
        raise VersionConflict(conflict_message(what), current_version=instance.version)


def bump_version(instance: models.Model) -> str:
    """Move the version on before saving; returns the field name for ``update_fields``."""
    instance.version = (instance.version or 0) + 1
    return "version"


class VersionField(forms.IntegerField):
    """The hidden field an edit form carries its row's version in (empty: no check)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


def show_version_conflict(form: forms.Form, exc: VersionConflict) -> None:
    """Put the conflict's message on top of the form, and the row's current version in its hidden field,
    keeping everything else the user typed."""
    form.add_error(None, exc.messages)
    data = form.data.copy()
    data[form.add_prefix("version")] = str(exc.current_version)
    form.data = data
