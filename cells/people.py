"""People, not logins: how a person is named wherever one is chosen from a list.

Every picker of a person (a meeting's attending supervisor, a supervision assignment, a team's members)
shows the full name, the position (the person's current roles) and the organisation, never the login,
and can be narrowed by typing part of any of them (``data-filter-select`` in static/js/app.js)."""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import Role, RoleAssignment

# Roles whose holders may supervise a cell: a cell secretary's account records, it does not supervise,
# and leadership reads; neither is offered (nor accepted) as a supervisor.
SUPERVISING_ROLES = (Role.STAFF, Role.SUPERVISOR)


def leadership_only(users) -> list:
    """Those of ``users`` whose only current roles are leadership: never accepted as supervisors."""
    ids = [user.pk for user in users if user is not None]
    current = RoleAssignment.objects.current().filter(user_id__in=ids)
    leaders = set(current.filter(role=Role.LEADERSHIP).values_list("user_id", flat=True))
    supervising = set(current.filter(role__in=SUPERVISING_ROLES).values_list("user_id", flat=True))
    return [user for user in users if user is not None and user.pk in leaders - supervising]


def with_positions(users):
    """``users`` with their current roles and the organisations of those roles, read in one more query."""
    return users.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.current().select_related("organization").order_by("role", "id"),
            to_attr="current_roles",
        )
    )


def person_label(user) -> str:
    """ "Nguyễn Văn An — Cán bộ Ban Tổ chức, Đảng ủy phường Một" (the login only when no name is known)."""
    name = user.get_full_name() or user.username
    roles = getattr(user, "current_roles", None)
    if roles is None:
        roles = list(RoleAssignment.objects.current().filter(user=user).select_related("organization"))
    positions = "; ".join(f"{role.get_role_display()}, {role.organization.name}" for role in roles)
    return f"{name} — {positions}" if positions else name


class _Searchable:
    """A select with a search box above it: typing narrows its choices."""

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        select_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        search = format_html(
            '<input type="search" class="form-control form-control-sm mb-1" data-filter-select="{}" '
            'placeholder="{}" aria-label="{}" autocomplete="off">',
            select_id,
            _("Type part of a name, position or organisation"),
            _("Search"),
        )
        return search + select


class PersonSelect(_Searchable, forms.Select):
    pass


class PersonSelectMultiple(_Searchable, forms.SelectMultiple):
    pass


def use_person_picker(field: forms.ModelChoiceField, users) -> None:
    """Make ``field`` a person picker over ``users``: named with positions, searchable."""
    field.queryset = with_positions(users)
    field.label_from_instance = person_label
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = PersonSelectMultiple(attrs={"size": 8}) if multiple else PersonSelect()
    widget.choices = field.widget.choices
    widget.is_required = field.widget.is_required
    field.widget = widget
    field.widget.choices = field.choices
