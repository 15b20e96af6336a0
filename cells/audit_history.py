"""The audit trail read as sentences: who, when, what was done, and each value from what to what.

Entries keep raw JSON (ids, codes, ISO dates); this module turns them into what a person reads: the
action's label (cells/audit_labels.py), each field by its verbose name, related objects by their
names, choices by their labels, dates as dd/mm/yyyy. Names of related objects are read in one query
per related model for a whole page of entries, never one per entry.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit_labels import action_label
from .models import AuditEntry

# Keys of entries that are not fields of the audited model.
EXTRA_KEYS = {
    "effective_on": gettext_lazy("effective from"),
    "members_moved": gettext_lazy("members moved"),
    "merged_into": gettext_lazy("merged into"),
    "active": gettext_lazy("active"),
    "username": gettext_lazy("account"),
    "address": gettext_lazy("address"),
    "direction": gettext_lazy("direction"),
    "scheduled": gettext_lazy("scheduled"),
    "members": gettext_lazy("members"),
    "rows": gettext_lazy("rows"),
    "steps": gettext_lazy("preparation steps"),
    "votes": gettext_lazy("votes (for, against, abstain)"),
    "items": gettext_lazy("items"),
    "fact_reasons": gettext_lazy("reasons for correcting the facts"),
}
# Keys whose value is an organisation's id wherever they appear.
ORGANIZATION_KEYS = {"parent", "merged_into", "organization"}


@dataclass
class Change:
    field: str
    before: str
    after: str

    @property
    def text(self) -> str:
        return change_text(self)


@dataclass
class HistoryLine:
    """One entry as a sentence: ``at``, ``actor`` and ``label`` lead; ``changes`` follow."""

    entry: AuditEntry
    at: datetime.datetime
    actor: str
    label: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""

    @property
    def sentence(self) -> str:
        parts = [f"{self.actor}: {self.label}"]
        parts += [change_text(change) for change in self.changes]
        if self.reason:
            parts.append(_("reason: %(reason)s") % {"reason": self.reason})
        return "; ".join(parts) + "."


def change_text(change: Change) -> str:
    if change.before and change.after:
        return _("%(field)s from “%(before)s” to “%(after)s”") % change.__dict__
    if change.after:
        return _("%(field)s “%(after)s”") % change.__dict__
    return _("%(field)s “%(before)s” removed") % change.__dict__


def actor_name(user) -> str:
    if user is None:
        return _("The system")
    return user.get_full_name() or user.username


def _model_field(model, key: str):
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return None if isinstance(found, ForeignObjectRel) else found  # a reverse relation is not a value


def _related_model(model, key: str):
    if key in ORGANIZATION_KEYS:
        from .models import Organization

        return Organization
    if key == "user":
        return get_user_model()
    found = _model_field(model, key)
    if found is not None and (found.many_to_one or found.one_to_one or found.many_to_many):
        return found.related_model
    return None


def _ids(value) -> list:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int | str) and str(v).isdigit()]


def _names(entries: list[AuditEntry]) -> dict:
    """{(related model, id): name} for every related id the entries hold: one query per related model."""
    wanted: dict = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for values in (entry.before, entry.after):
            for key, value in (values or {}).items():
                related = _related_model(model, key)
                if related is not None:
                    wanted[related].update(int(v) for v in _ids(value))
    names = {}
    user_model = get_user_model()
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = actor_name(obj) if related is user_model else str(obj)
    return names


def _text(value, model, key: str, names: dict) -> str:
    if value is None or value == "" or value == []:
        return ""
    related = _related_model(model, key)
    if related is not None:
        return ", ".join(names.get((related, int(v)), f"#{v}") for v in _ids(value)) or str(value)
    found = _model_field(model, key)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _field_label(model, key: str) -> str:
    found = _model_field(model, key)
    if found is not None and hasattr(found, "verbose_name"):
        return str(found.verbose_name)
    return str(EXTRA_KEYS.get(key, key.replace("_", " ")))


def history_lines(entries: Iterable[AuditEntry]) -> list[HistoryLine]:
    """Entries (with ``actor`` and ``content_type`` selected) as sentences, in the order given."""
    entries = list(entries)
    names = _names(entries)
    lines = []
    for entry in entries:
        model = entry.content_type.model_class()
        before, after = entry.before or {}, entry.after or {}
        changes = []
        for key in list(dict.fromkeys([*before, *after])):
            old, new = _text(before.get(key), model, key, names), _text(after.get(key), model, key, names)
            if old != new:
                changes.append(Change(field=_field_label(model, key), before=old, after=new))
        lines.append(
            HistoryLine(
                entry=entry,
                at=entry.at,
                actor=actor_name(entry.actor),
                label=action_label(entry.action),
                changes=changes,
                reason=entry.reason,
            )
        )
    return lines


def entries_about(objects: Iterable[models.Model]):
    """The entries about any of ``objects`` (of any models), newest first: one query."""
    from django.contrib.contenttypes.models import ContentType

    by_model: dict = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(str(obj.pk))
    condition = Q(pk__in=[])
    for model, ids in by_model.items():
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return AuditEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-at", "-id")


def trail_for_user(user, filters: dict):
    """The entries of the user's subtree (MANAGE scope), newest first, narrowed by the trail's filters."""
    import datetime as dt

    from django.utils import timezone

    from .scoping import Action

    entries = (
        AuditEntry.objects.for_user(user, Action.MANAGE)
        .select_related("actor", "content_type", "organization")
        .order_by("-at", "-id")
    )
    if filters.get("organization"):
        entries = entries.filter(organization__path__startswith=filters["organization"].path)
    if filters.get("person"):
        words = filters["person"].split()
        for word in words:
            entries = entries.filter(
                Q(actor__username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        entries = entries.filter(at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=zone))
    if filters.get("date_to"):
        entries = entries.filter(
            at__lt=dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        )
    return entries
