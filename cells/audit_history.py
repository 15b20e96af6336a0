"""The audit trail read as sentences: who, when, what was done, and each value from what to what.

Entries keep raw JSON (ids, codes, ISO dates); this module turns them into what a person reads: the
action's label (cells/audit_labels.py), each field by its verbose name, related objects by their
names, choices by their labels, dates as dd/mm/yyyy. Names of related objects are read in one query
per related model for a whole page of entries, never one per entry.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
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
    "children_moved": gettext_lazy("organisations moved under it"),
    "officers_moved": gettext_lazy("officers moved"),
    "roles_ended": gettext_lazy("roles ended"),
    "steps": gettext_lazy("preparation steps"),
    "votes": gettext_lazy("votes (for, against, abstain)"),
    "items": gettext_lazy("items"),
    "fact_reasons": gettext_lazy("reasons for correcting the facts"),
}
# Keys whose value is an organisation's id wherever they appear.
ORGANIZATION_KEYS = {"parent", "merged_into", "organization", "children_moved"}


@dataclass(frozen=True, eq=False)
class Loaded:
    """Codes' labels read once for a page of history, whatever its length (one query): ``load()`` returns
    a mapping of every code to its label (every rating level's, say)."""

    load: Callable[[], Mapping]


# The mappings of Loaded keys read for the history being written (history_lines sets and clears it).
_loaded: ContextVar[dict | None] = ContextVar("audit_history_loaded", default=None)


@dataclass(frozen=True)
class AuditKey:
    """How a key of the entries reads that is no field of the audited model, or whose stored value is a
    code the model's field does not describe (a metric, a level of a framework, a report kind)."""

    label: object = None
    values: Mapping | Loaded | Callable[[object], str] | None = None

    def value_text(self, value) -> str | None:
        if self.values is None:
            return None
        if isinstance(self.values, Loaded):
            cache = _loaded.get()
            if cache is None:
                found = self.values.load().get(value)
            else:
                if self.values not in cache:
                    cache[self.values] = self.values.load()
                found = cache[self.values].get(value)
            return None if found is None else str(found)
        if callable(self.values):
            return self.values(value)
        found = self.values.get(value)
        return None if found is None else str(found)


# (action or "", key) -> AuditKey; the apps above register theirs when ready (one registry, no import up).
_KEYS: dict[tuple[str, str], AuditKey] = {}
# action -> a function turning (before, after) into the changes to show, for entries best read whole
# ("Chỉ tiêu: tỷ lệ chi bộ đạt ≥ 90%" rather than metric, comparator and value apart).
_SUMMARIES: dict[str, Callable[[dict, dict], list[Change]]] = {}


def register_audit_key(key: str, label=None, values=None, *, action: str = "") -> None:
    """Name a key of the entries (``label``) and/or say how its codes read (``values``: a mapping of code to
    label, or a function of the value); ``action`` limits it to that action's entries."""
    _KEYS[(action, key)] = AuditKey(label=label, values=values)


def register_audit_summary(action: str, summary: Callable[[dict, dict], list[Change]]) -> None:
    _SUMMARIES[action] = summary


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


def _text(value, model, key: str, names: dict, action: str = "") -> str:
    if value is None or value == "" or value == []:
        return ""
    # A key registered for the action reads first; a field of the model with choices or a relation next; a key
    # registered for all last (a plain text field holding a code, such as a meeting's level).
    found = _model_field(model, key)
    described = (found is not None and bool(found.choices)) or _related_model(model, key) is not None
    for registered in (_KEYS.get((action, key)), None, _KEYS.get(("", key))):
        if registered is None:
            if described:
                break
            continue
        text = None if isinstance(value, list | dict) else registered.value_text(value)
        if text is not None:
            return text
    related = _related_model(model, key)
    if related is not None:
        return ", ".join(names.get((related, int(v)), f"#{v}") for v in _ids(value)) or str(value)
    found = _model_field(model, key)
    if isinstance(found, models.FileField) and isinstance(value, str):
        return value.rsplit("/", 1)[-1]  # the file's name, not where it is stored
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
        return ", ".join(_text(v, model, key, names, action) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{_field_label(None, k, action)}: {_text(v, None, k, names, action)}" for k, v in value.items()
        )
    return str(value)


def _field_label(model, key: str, action: str = "") -> str:
    registered = _KEYS.get((action, key))
    if registered is not None and registered.label is not None:
        return str(registered.label)
    found = _model_field(model, key)
    # A field named without a verbose name (Django's default, the English name) reads as registered instead.
    if found is not None and hasattr(found, "verbose_name") and found.verbose_name != key.replace("_", " "):
        return str(found.verbose_name)
    registered = _KEYS.get(("", key))
    if registered is not None and registered.label is not None:
        return str(registered.label)
    return str(EXTRA_KEYS.get(key, key.replace("_", " ")))


def history_lines(entries: Iterable[AuditEntry]) -> list[HistoryLine]:
    """Entries (with ``actor`` and ``content_type`` selected) as sentences, in the order given."""
    entries = list(entries)
    names = _names(entries)
    token = _loaded.set({})
    try:
        return _lines(entries, names)
    finally:
        _loaded.reset(token)


def _lines(entries: list[AuditEntry], names: dict) -> list[HistoryLine]:
    lines = []
    for entry in entries:
        model = entry.content_type.model_class()
        before, after = entry.before or {}, entry.after or {}
        action = entry.action
        if action in _SUMMARIES:
            changes = _SUMMARIES[action](before, after)
        else:
            changes = []
            for key in list(dict.fromkeys([*before, *after])):
                old = _text(before.get(key), model, key, names, action)
                new = _text(after.get(key), model, key, names, action)
                if old != new:
                    changes.append(Change(field=_field_label(model, key, action), before=old, after=new))
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
