"""Every write to the organisation tree, rosters, officers and roles.

Each service validates (``full_clean``), writes inside a transaction and leaves an audit entry.
Views, imports and the demo builder all come through here, so a rule is written once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast, Coalesce, Concat, LPad, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import AuditedChange, log_action
from .audit import stored_user as stored_user  # the services keep the acting user on records with it too
from .models import (
    EARLIEST,
    PATH_SEGMENT_WIDTH,
    AuditEntry,
    ClientWrite,
    Level,
    Member,
    MemberTransfer,
    Notification,
    OfficerTerm,
    Organization,
    OrganizationInterval,
    Position,
    RoleAssignment,
    UserPreference,
    level_may_hold,
    path_segment,
)
from .summaries import tree_change
from .text import fold, nfc


def audit_value(value) -> Any:
    """A value as an audit entry keeps it in JSON: an object by its id, a number or date as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, FieldFile):
        return value.name or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def audit_snapshot(instance, fields: Iterable[str]) -> dict[str, Any]:
    """The audited fields of ``instance`` as JSON values (relations by id, read without a query)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(related.pk for related in getattr(instance, name).all())
        else:
            data[name] = audit_value(getattr(instance, field.attname))
    return data


def audit_record(
    *,
    acting_user,
    action: str,
    instance,
    organization: Organization | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Audit one change: who did ``action`` to ``instance``, with the values before and after (log_action)."""
    [entry] = log_action(
        acting_user=acting_user,
        action=action,
        changes=[AuditedChange.of(instance, organization, before, after)],
        reason=reason,
    )
    return entry


def audit_records_bulk(*, acting_user, action: str, entries: Iterable[tuple], reason: str = "") -> list[AuditEntry]:
    """Audit a bulk change in one insert: ``entries`` are (instance, organization, before, after) tuples.

    Imports that write rows in bulk call this, so every changed row still has its own entry (log_action)."""
    return log_action(
        acting_user=acting_user,
        action=action,
        changes=[AuditedChange.of(*entry) for entry in entries],
        reason=reason,
    )


# --- Organisations -------------------------------------------------------------------------------

# What a committee's reports print without anyone typing it: "Số …-BC/TU", the place, the usual signer.
DOCUMENT_DETAIL_FIELDS = ("sign", "place", "signer_name", "signer_position")
ORGANIZATION_FIELDS = ["code", "name", "level", "cell_type", "parent", "committee_size", "deputy_slots"]
ORGANIZATION_FIELDS += DOCUMENT_DETAIL_FIELDS


@transaction.atomic
def organization_create(
    *,
    code: str,
    name: str,
    level: str,
    parent: Organization | None = None,
    cell_type=None,
    committee_size: int = 0,
    deputy_slots: int = 1,
    established_on: datetime.date | None = None,
    acting_user=None,
    **details: str,
) -> Organization:
    """Create an organisation under ``parent`` (or as a root) and open its first state (place, name, level).

    ``details`` are its document details (sign, place, usual signer and position), all optional."""
    unknown = set(details) - set(DOCUMENT_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"organization_create got unknown fields {sorted(unknown)}")
    organization = Organization(
        code=code.strip(),
        name=nfc(name).strip(),
        level=level,
        parent=parent,
        cell_type=cell_type,
        committee_size=committee_size,
        deputy_slots=deputy_slots,
        **_document_details(details),
    )
    organization.name_folded = fold(organization.name)
    organization.depth = parent.depth + 1 if parent else 0
    organization.path = "pending"  # replaced below, once the id the path is made of exists
    organization.full_clean(exclude=["path"])
    organization.save()
    organization.path = (parent.path if parent else "") + path_segment(organization.pk)
    Organization.objects.filter(pk=organization.pk).update(path=organization.path)
    OrganizationInterval.objects.create(
        organization=organization,
        valid_from=established_on or timezone.localdate(),
        parent=parent,
        path=organization.path,
        depth=organization.depth,
        name=organization.name,
        level=organization.level,
    )
    audit_record(
        acting_user=acting_user,
        action="organization.create",
        instance=organization,
        organization=organization,
        after=audit_snapshot(organization, ORGANIZATION_FIELDS),
    )
    return organization


def _document_details(details: dict) -> dict[str, str]:
    """Document details as printed: composed Unicode, no surrounding spaces ("ĐU" typed decomposed still matches)."""
    return {key: nfc(value or "").strip() for key, value in details.items()}


@transaction.atomic
def organization_update(*, organization: Organization, acting_user, **changes) -> Organization:
    """Change an organisation's attributes other than its name and place in the tree."""
    allowed = {"code", "level", "cell_type", "committee_size", "deputy_slots", *DOCUMENT_DETAIL_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"organization_update cannot change {sorted(unknown)}: use rename or move")
    changes = {**changes, **_document_details({k: v for k, v in changes.items() if k in DOCUMENT_DETAIL_FIELDS})}
    # "Before" is read from the database: a page's ModelForm has already put the new values on ``organization``.
    stored = Organization.objects.get(pk=organization.pk)
    before = audit_snapshot(stored, ORGANIZATION_FIELDS)
    for key, value in changes.items():
        setattr(organization, key, value)
    organization.full_clean()
    # A cell type or a level is not dated: the figures of every year split by type, and the pages cached on
    # their version, follow it (cells/summaries.py).
    retyped = (
        [organization.pk]
        if (stored.cell_type_id, stored.level) != (organization.cell_type_id, organization.level)
        else []
    )
    with tree_change(retyped, EARLIEST):
        organization.save(update_fields=[*changes.keys(), "updated_at"])
        if "level" in changes:
            # A level is corrected, not dated: today's state says what the organisation is.
            organization.intervals.filter(valid_to__isnull=True).update(level=organization.level)
    after = audit_snapshot(organization, ORGANIZATION_FIELDS)
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="organization.update",
            instance=organization,
            organization=organization,
            before=before,
            after=after,
        )
    return organization


def open_first_intervals(organizations: Iterable[Organization], valid_from: datetime.date) -> None:
    """The first state of organisations inserted in bulk (imports, the benchmark province): one insert."""
    OrganizationInterval.objects.bulk_create(
        [
            OrganizationInterval(
                organization=org, valid_from=valid_from, parent_id=org.parent_id, path=org.path,
                depth=org.depth, name=org.name, level=org.level,
            )
            for org in organizations
        ],
        batch_size=1000,
    )  # fmt: skip


# --- The tree's history: every change has an effective date ---------------------------------------


def _date_text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_effective_on(effective_on: datetime.date) -> None:
    # The product keeps today's tree on Organization: a change dated later would have to wait for
    # its day to become current, so it is entered on or after the day it takes effect.
    if effective_on > timezone.localdate():
        raise ValidationError(
            {
                "effective_on": _("The change takes effect on %(date)s, after today: enter it on or after that day.")
                % {"date": _date_text(effective_on)}
            }
        )


def _open_intervals(path: str) -> list[OrganizationInterval]:
    return list(OrganizationInterval.objects.filter(path__startswith=path, valid_to__isnull=True).order_by("path"))


def _begin_state(intervals: list[OrganizationInterval], effective_on: datetime.date, change) -> None:
    """Give each open interval a successor from ``effective_on`` changed by ``change(interval)``.

    An interval that began that very day is changed in place (two steps on one day make one state).
    Three statements whatever the number: close the old ones, insert the new ones, update in place."""
    for interval in intervals:
        if interval.valid_from > effective_on:
            raise ValidationError(
                {
                    "effective_on": _("%(org)s changed on %(date)s, after this date: enter the changes in date order.")
                    % {"org": interval.name, "date": _date_text(interval.valid_from)}
                }
            )
    with tree_change([i.organization_id for i in intervals], effective_on):
        _replace_states(intervals, effective_on, change)


def _replace_states(intervals: list[OrganizationInterval], effective_on: datetime.date, change) -> None:
    same_day = [i for i in intervals if i.valid_from == effective_on]
    earlier = [i for i in intervals if i.valid_from < effective_on]
    OrganizationInterval.objects.filter(pk__in=[i.pk for i in earlier]).update(valid_to=effective_on)
    successors = []
    for interval in earlier:
        successor = OrganizationInterval(
            organization_id=interval.organization_id, valid_from=effective_on, valid_to=None,
            parent_id=interval.parent_id, path=interval.path, depth=interval.depth, name=interval.name,
            level=interval.level,
        )  # fmt: skip
        change(successor)
        successors.append(successor)
    OrganizationInterval.objects.bulk_create(successors, batch_size=1000)
    for interval in same_day:
        change(interval)
    OrganizationInterval.objects.bulk_update(same_day, ["parent", "path", "depth", "name", "level"], batch_size=1000)


def _end_state(organization: Organization, effective_on: datetime.date) -> None:
    """Close the organisation's open interval on ``effective_on``: it existed until the day before."""
    with tree_change([organization.pk], effective_on):
        _close_state(organization, effective_on)


def _close_state(organization: Organization, effective_on: datetime.date) -> None:
    current = organization.intervals.filter(valid_to__isnull=True).first()
    if current and current.valid_from == effective_on:
        # A state begun that very day (its parent moved that morning) never held: the organisation
        # ends as it stood the day before, unless it only began that day.
        if organization.intervals.filter(valid_to=effective_on).exists():
            current.delete()
            current = None
    if current and current.valid_from >= effective_on:
        raise ValidationError(
            {
                "effective_on": _("%(org)s took its current form on %(date)s: it can only end after that day.")
                % {"org": organization.name, "date": _date_text(current.valid_from)}
            }
        )
    organization.intervals.filter(valid_to__isnull=True).update(valid_to=effective_on)


@transaction.atomic
def organization_rename(
    *, organization: Organization, new_name: str, effective_on: datetime.date, acting_user, reason: str = ""
) -> Organization:
    """Give an organisation a new name from ``effective_on``; the old name stays on earlier periods."""
    new_name = nfc(new_name).strip()
    if not new_name:
        raise ValidationError({"name": _("The name cannot be empty.")})
    if new_name == organization.name:
        return organization
    _check_effective_on(effective_on)
    names = organization.name_history()
    current = names[-1] if names else None
    if current and effective_on <= current.valid_from:
        raise ValidationError(
            {
                "effective_on": _("The new name must take effect after %(date)s, when the current one did.")
                % {"date": current.valid_from.strftime("%d/%m/%Y")}
            }
        )
    _begin_state(
        list(organization.intervals.filter(valid_to__isnull=True)),
        effective_on,
        lambda interval: setattr(interval, "name", new_name),
    )
    before = {"name": organization.name}
    organization.name = new_name
    organization.name_folded = fold(new_name)
    organization.full_clean()
    organization.save(update_fields=["name", "name_folded", "updated_at"])
    audit_record(
        acting_user=acting_user,
        action="organization.rename",
        instance=organization,
        organization=organization,
        before=before,
        after={"name": new_name, "effective_on": effective_on.isoformat()},
        reason=reason,
    )
    return organization


def _level_under(parent: Organization, level: str) -> str:
    """The level an organisation has under ``parent``: a grassroots cell (directly under a district)
    taken over by a commune committee becomes one of its cells, as in the 2025 reform; and back."""
    if level == Level.GRASSROOTS_CELL and not level_may_hold(parent.level, level):
        return Level.CELL
    if level == Level.CELL and parent.level in (Level.PROVINCE, Level.DISTRICT):
        return Level.GRASSROOTS_CELL
    return level


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    new_parent: Organization,
    effective_on: datetime.date | None = None,
    acting_user,
    reason: str = "",
) -> Organization:
    """Move an organisation and its whole subtree under ``new_parent`` from ``effective_on`` (today by default).

    Today's paths change in one UPDATE; the history gains one interval per organisation of the
    subtree (where each stood until the day before stays as it was)."""
    effective_on = effective_on or timezone.localdate()
    _check_effective_on(effective_on)
    organization.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(organization.path):
        raise ValidationError({"parent": _("An organisation cannot be moved under itself or its own subtree.")})
    if not new_parent.is_active:
        raise ValidationError({"parent": _("The new parent organisation is no longer active.")})
    if not organization.is_active:
        raise ValidationError({"parent": _("%(org)s has ended and cannot be moved.") % {"org": organization.name}})
    old_parent = organization.parent
    if old_parent and old_parent.pk == new_parent.pk:
        return organization
    organization.parent = new_parent
    level = _level_under(new_parent, organization.level)
    level_changed = level != organization.level
    organization.level = level
    organization.full_clean(exclude=["path"])
    old_path = organization.path
    new_path = new_parent.path + path_segment(organization.pk)
    depth_change = new_parent.depth + 1 - organization.depth

    def relocate(interval: OrganizationInterval) -> None:
        interval.path = new_path + interval.path[len(old_path) :]
        interval.depth += depth_change
        if interval.organization_id == organization.pk:
            interval.parent_id = new_parent.pk
            interval.level = level

    _begin_state(_open_intervals(old_path), effective_on, relocate)
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Organization.objects.filter(pk=organization.pk).update(parent=new_parent, level=level, updated_at=timezone.now())
    organization.refresh_from_db()
    audit_record(
        acting_user=acting_user,
        action="organization.move",
        instance=organization,
        organization=organization,
        before={"parent": old_parent.pk if old_parent else None},
        after={
            "parent": new_parent.pk,
            "effective_on": effective_on.isoformat(),
            **({"level": level} if level_changed else {}),
        },
        reason=reason,
    )
    return organization


def _refuse_records_after(organization: Organization, effective_on: datetime.date) -> None:
    from .history import records_in_the_way

    text = records_in_the_way(organization, effective_on)
    if text:
        raise ValidationError({"effective_on": text})


def _end_roles_and_terms(organization: Organization, effective_on: datetime.date) -> tuple[list, int]:
    """End the officers' terms and role assignments held on ``organization`` on ``effective_on``.

    Returns the terms that were current (a merge carries them over) and how many roles ended."""
    current_terms = list(OfficerTerm.objects.current(effective_on).filter(organization=organization))
    OfficerTerm.objects.filter(pk__in=[t.pk for t in current_terms]).update(ended_on=effective_on)
    OfficerTerm.objects.filter(organization=organization, started_on__gte=effective_on).exclude(
        pk__in=[t.pk for t in current_terms]
    ).delete()
    roles = RoleAssignment.objects.filter(organization=organization).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=effective_on)
    )
    ended = 0
    for assignment in roles:
        assignment.valid_to = max(effective_on, assignment.valid_from)
        assignment.save(update_fields=["valid_to"])
        ended += 1
    return current_terms, ended


@transaction.atomic
def organization_merge(
    *, source: Organization, target: Organization, effective_on: datetime.date, acting_user, reason: str = ""
) -> Organization:
    """Merge ``source`` into ``target`` from ``effective_on``.

    From that day its sub-organisations stand under ``target``, its current members are on
    ``target``'s roster and its current officers hold the same positions there (a secretary
    becomes a deputy where ``target`` has one already); its roles end that day. ``source`` is kept,
    ended and pointing at ``target``, so its meetings and results keep the name it had. Committees
    merge across levels (a commune committee taking over from an abolished district's).
    """
    _check_effective_on(effective_on)
    source.refresh_from_db()
    target.refresh_from_db()
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError({"target": _("An organisation cannot be merged into itself or its own subtree.")})
    if not source.is_active or not target.is_active:
        raise ValidationError({"target": _("Only active organisations can be merged.")})
    if source.is_cell != target.is_cell:
        raise ValidationError({"target": _("A cell can only be merged into a cell, a committee into a committee.")})
    _refuse_records_after(source, effective_on)
    children = list(source.children.filter(is_active=True).order_by("path"))
    for child in children:
        if not level_may_hold(target.level, _level_under(target, child.level)):
            raise ValidationError(
                {
                    "target": _("%(child)s cannot stand under %(target)s: move it elsewhere first.")
                    % {"child": child.name, "target": target.name}
                }
            )
    for child in children:
        organization_move(organization=child, new_parent=target, effective_on=effective_on, acting_user=acting_user)
    moved = list(Member.objects.current().filter(organization=source))
    Member.objects.filter(pk__in=[m.pk for m in moved]).update(organization=target)
    member_transfers_record(moves=[(m.pk, source.pk, target.pk) for m in moved], on=effective_on)
    terms, roles_ended = _end_roles_and_terms(source, effective_on)
    secretary_taken = (
        OfficerTerm.objects.filter(organization=target, position=Position.SECRETARY)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=effective_on))
        .exists()
    )
    carried = []
    for term in terms:
        position = term.position
        if position == Position.SECRETARY and secretary_taken:
            position = Position.DEPUTY_SECRETARY
        carried.append(
            OfficerTerm(organization=target, member_id=term.member_id, position=position, started_on=effective_on)
        )
    OfficerTerm.objects.bulk_create(carried)
    _end_state(source, effective_on)
    Organization.objects.filter(pk=source.pk).update(
        is_active=False, merged_into=target, dissolved_on=effective_on, updated_at=timezone.now()
    )
    source.refresh_from_db()
    audit_record(
        acting_user=acting_user,
        action="organization.merge",
        instance=source,
        organization=target,
        before={"active": True, "parent": source.parent_id},
        after={
            "merged_into": target.pk,
            "effective_on": effective_on.isoformat(),
            "children_moved": [c.pk for c in children],
            "members_moved": len(moved),
            "officers_moved": len(carried),
            "roles_ended": roles_ended,
        },
        reason=reason,
    )
    return target


@transaction.atomic
def organization_dissolve(
    *, organization: Organization, effective_on: datetime.date, acting_user, reason: str = ""
) -> Organization:
    """End an organisation on ``effective_on``: it has no sub-organisations or members left that day.

    Its officers' terms and roles end that day; it stays, ended, with its records and former names."""
    _check_effective_on(effective_on)
    organization.refresh_from_db()
    if not organization.is_active:
        raise ValidationError({"effective_on": _("%(org)s has already ended.") % {"org": organization.name}})
    children = list(organization.children.filter(is_active=True).values_list("name", flat=True)[:6])
    if children:
        raise ValidationError(
            {
                "effective_on": _("%(org)s still has sub-organisations (%(children)s): move or merge them first.")
                % {"org": organization.name, "children": ", ".join(children[:5])}
            }
        )
    members = Member.objects.current().filter(organization=organization).count()
    if members:
        raise ValidationError(
            {
                "effective_on": _("%(org)s still has %(n)s members on its roster: merge it, or move them first.")
                % {"org": organization.name, "n": members}
            }
        )
    _refuse_records_after(organization, effective_on)
    _terms, roles_ended = _end_roles_and_terms(organization, effective_on)
    _end_state(organization, effective_on)
    Organization.objects.filter(pk=organization.pk).update(
        is_active=False, dissolved_on=effective_on, updated_at=timezone.now()
    )
    organization.refresh_from_db()
    audit_record(
        acting_user=acting_user,
        action="organization.dissolve",
        instance=organization,
        organization=organization,
        before={"active": True},
        after={"dissolved_on": effective_on.isoformat(), "roles_ended": roles_ended},
        reason=reason,
    )
    return organization


# --- Members and officers ------------------------------------------------------------------------

MEMBER_FIELDS = ["organization", "code", "full_name", "status", "exempt", "joined_on", "left_on"]


@transaction.atomic
def member_transfers_record(*, moves: list[tuple[int, int, int]], on: datetime.date) -> None:
    """Record members' moves (member id, from organisation id, to organisation id) on ``on``: every move of
    a member between cells (a merge, an import) leaves a transfer, so a roster of an earlier day is right."""
    MemberTransfer.objects.bulk_create(
        [
            MemberTransfer(member_id=member, from_organization_id=source, to_organization_id=target, on=on)
            for member, source, target in moves
        ],
        batch_size=2000,
    )


def member_save(*, member: Member, acting_user) -> Member:
    """Create or update a member after validation; the roster search name follows the full name."""
    creating = member.pk is None
    before = {} if creating else audit_snapshot(Member.objects.get(pk=member.pk), MEMBER_FIELDS)
    member.full_name = nfc(member.full_name).strip()
    member.full_name_folded = fold(member.full_name)
    member.full_clean()
    member.save()
    after = audit_snapshot(member, MEMBER_FIELDS)
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="member.create" if creating else "member.update",
            instance=member,
            organization=member.organization,
            before=before,
            after=after,
        )
    return member


@transaction.atomic
def officer_appoint(
    *, organization: Organization, member: Member, position: str, started_on: datetime.date, acting_user
) -> OfficerTerm:
    """Put a member of the cell (or organisation) into a committee position from ``started_on``."""
    if member.organization_id != organization.pk and organization.is_cell:
        raise ValidationError({"member": _("The member is not on this cell's roster.")})
    term = OfficerTerm(organization=organization, member=member, position=position, started_on=started_on)
    if position == "secretary":
        # Appointing a new secretary ends the previous one's term the day before.
        previous = OfficerTerm.objects.filter(organization=organization, position=position, ended_on__isnull=True)
        for old in previous:
            if old.started_on >= started_on:
                raise ValidationError({"started_on": _("The current secretary's term started on or after that date.")})
            old.ended_on = started_on
            old.save(update_fields=["ended_on"])
    term.full_clean()
    term.save()
    audit_record(
        acting_user=acting_user,
        action="officer.appoint",
        instance=term,
        organization=organization,
        after={"member": member.pk, "position": position, "started_on": started_on.isoformat()},
    )
    return term


@transaction.atomic
def officer_end(*, term: OfficerTerm, ended_on: datetime.date, acting_user) -> OfficerTerm:
    term.ended_on = ended_on
    term.full_clean()
    term.save(update_fields=["ended_on"])
    audit_record(
        acting_user=acting_user,
        action="officer.end",
        instance=term,
        organization=term.organization,
        after={"ended_on": ended_on.isoformat()},
    )
    return term


# --- Roles ---------------------------------------------------------------------------------------


@transaction.atomic
def role_assign(
    *, user, organization: Organization, role: str, valid_from: datetime.date | None = None, acting_user
) -> RoleAssignment:
    """Give ``user`` a role on ``organization`` (and its subtree)."""
    assignment = RoleAssignment(
        user=user, organization=organization, role=role, valid_from=valid_from or timezone.localdate()
    )
    assignment.full_clean(validate_constraints=False)
    if RoleAssignment.objects.filter(user=user, organization=organization, role=role, valid_to__isnull=True).exists():
        raise ValidationError(_("This user already holds this role on this organisation."))
    assignment.save()
    audit_record(
        acting_user=acting_user,
        action="role.assign",
        instance=assignment,
        organization=organization,
        after={"user": user.pk, "role": role, "valid_from": assignment.valid_from.isoformat()},
    )
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, valid_to: datetime.date | None = None, acting_user) -> RoleAssignment:
    # Ended on the day it began, an assignment never takes effect; it cannot end before it began.
    assignment.valid_to = max(valid_to or timezone.localdate(), assignment.valid_from)
    assignment.full_clean()
    assignment.save(update_fields=["valid_to"])
    audit_record(
        acting_user=acting_user,
        action="role.end",
        instance=assignment,
        organization=assignment.organization,
        after={"valid_to": assignment.valid_to.isoformat()},
    )
    return assignment


# --- Writes sent again (cells.idempotency) --------------------------------------------------------


def client_write_remember(*, user, kind: str, key: str, object_id) -> ClientWrite:
    """Keep the idempotency key of a write, inside the write's own transaction, so the same key sent
    again from a phone's outbox is answered "already saved" (cells.idempotency)."""
    return ClientWrite.objects.create(user=user, kind=kind, key=key, object_id=object_id)


# --- Login attempts (django-axes' rows) -----------------------------------------------------------


def access_attempts_delete(attempts) -> int:
    """Remove the failed-login records of ``attempts`` (a queryset of axes' AccessAttempt): a good login
    clears its own, staff's "Unlock" the ones they chose. Returns how many went."""
    removed, _details = attempts.delete()
    return removed


# --- Notifications -------------------------------------------------------------------------------


def notify(*, users, kind: str, title: str, body: str = "", url: str = "", key: str = "") -> list[Notification]:
    """Tell ``users`` about something, under the bell; and by email when CHIBO_NOTIFY_BY_EMAIL is on.

    ``key`` names the event (for instance ``"deadline:campaign:12:2026-02-22"``): a user is told once
    per key, so a task that runs twice, or a retry, does not notify twice. Returns what was new."""
    from django.conf import settings
    from django.core.mail import send_mail

    created = []
    for user in {u for u in users if u is not None and getattr(u, "pk", None)}:
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        created.append(Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url, key=key))
    if getattr(settings, "CHIBO_NOTIFY_BY_EMAIL", False):
        for notification in created:
            if notification.user.email:
                link = f"\n\n{settings.CHIBO_SITE_URL}{notification.url}" if notification.url else ""
                send_mail(notification.title, f"{notification.body}{link}", None, [notification.user.email])
    return created


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark a user's notifications read (all of them, or those of ``ids``); returns how many changed."""
    unread = Notification.objects.for_recipient(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def search_names_rebuild() -> int:
    """Recompute the folded search names of organisations and members (after bulk loads or repairs).

    Idempotent: running it twice leaves the same values. Returns how many rows changed."""
    changed = 0
    for model, source, target in ((Organization, "name", "name_folded"), (Member, "full_name", "full_name_folded")):
        stale = []
        for obj in model.objects.only("pk", source, target).iterator(chunk_size=2000):
            folded = fold(getattr(obj, source))
            if getattr(obj, target) != folded:
                setattr(obj, target, folded)
                stale.append(obj)
        model.objects.bulk_update(stale, [target], batch_size=1000)
        changed += len(stale)
    return changed


# --- Many rows at once: the workbook's organizations and members sheets ---------------------------
# The same checks as organization_create and member_save (the models' full_clean and the tree's rules),
# written a few queries per batch, never one per row: a province's workbook has 100,000 members.


class ItemsRefused(ValidationError):
    """Some of the items given to a service that takes many at once were refused; nothing was written.

    ``by_index`` maps the position of each refused item, in the list given, to its ValidationError, so a
    workbook can say which row is wrong."""

    def __init__(self, by_index: dict[int, ValidationError]):
        self.by_index = by_index
        super().__init__([message for error in by_index.values() for message in error.messages])


# Field validation that would cost a query per row is left out; the same rules hold in bulk: the parent
# and cell type are objects the caller looked up, the cell-type rule is Organization.clean's own, and
# codes are matched to the stored ones before anything is created.
_BULK_ORGANIZATION_EXCLUDE = ["path", "parent", "cell_type", "name_folded", "depth"]


def _imported_organization_audit(organization: Organization) -> dict:
    """What an imported organisation is audited with: its place in the tree, and the details it was given."""
    details = {key: getattr(organization, key) for key in DOCUMENT_DETAIL_FIELDS if getattr(organization, key)}
    return {**audit_snapshot(organization, ("code", "name", "level", "parent")), **details}


def _check_new_organization(organization: Organization) -> None:
    organization.full_clean(exclude=_BULK_ORGANIZATION_EXCLUDE, validate_unique=False, validate_constraints=False)
    parent = organization.parent
    if parent is not None and parent.pk is None and not level_may_hold(parent.level, organization.level):
        # Organization.clean checks this only for a stored parent; the rule is the same function.
        raise ValidationError(
            {
                "level": _("A %(parent)s cannot hold a %(child)s.")
                % {"parent": parent.get_level_display().lower(), "child": Level(organization.level).label.lower()}
            }
        )


# The path of an organisation inserted in bulk until its id is known (a real path is digits and slashes).
_PENDING_PATH = "pending"


def _store_new_paths(organizations: list[Organization]) -> None:
    """Store the paths of organisations just inserted (each ``org.path`` computed already, by path_segment).

    One UPDATE computes them all as the database holds them: the parent's path, then the id as
    path_segment writes it (zero-padded to PATH_SEGMENT_WIDTH digits, and a slash); bulk_update's CASE
    of a thousand ids per query took most of an import's time on the tree. The rows still pending in
    this transaction are exactly these: the earlier levels got their paths already. An id wider than the
    padding (path_segment then writes every digit; LPAD would cut) goes through bulk_update."""
    if any(org.pk >= 10**PATH_SEGMENT_WIDTH for org in organizations):  # pragma: no cover - 100 million ids
        Organization.objects.bulk_update(organizations, ["path"], batch_size=1000)
        return
    parent_path = Organization.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    own_segment = LPad(Cast("pk", models.CharField()), PATH_SEGMENT_WIDTH, Value("0"))
    updated = Organization.objects.filter(path=_PENDING_PATH).update(
        path=Concat(Coalesce(Subquery(parent_path), Value("")), own_segment, Value("/"))
    )
    if updated != len(organizations):  # pragma: no cover - the transaction holds no other pending row
        raise RuntimeError(f"organizations_create_bulk: {updated} paths stored for {len(organizations)} organisations")


@transaction.atomic
def organizations_create_bulk(
    *, organizations: list[Organization], valid_from: datetime.date, acting_user, reason: str = ""
) -> list[Organization]:
    """Create many organisations at once, with :func:`organization_create`'s checks (all or nothing: any
    refusal raises :class:`ItemsRefused` and writes nothing).

    Each one's ``parent`` is a stored organisation, another of the list, or None; a level of the tree
    is inserted at a time, so a parent has its id (and path) before its children. Each gets its first
    name and interval from ``valid_from`` and one audit entry."""
    refused: dict[int, ValidationError] = {}
    for index, organization in enumerate(organizations):
        organization.name = nfc(organization.name).strip()
        try:
            _check_new_organization(organization)
        except ValidationError as exc:
            refused[index] = exc
    if refused:
        raise ItemsRefused(refused)
    created: list[Organization] = []
    pending = list(organizations)
    while pending:
        ready = [org for org in pending if org.parent is None or org.parent.pk is not None]
        if not ready:
            raise ValueError("organizations_create_bulk: the parents form a cycle or were never given")
        pending = [org for org in pending if org.parent is not None and org.parent.pk is None]
        for org in ready:
            org.parent = org.parent  # a parent created in an earlier round: take its new id
            org.name_folded = fold(org.name)
            org.depth = org.parent.depth + 1 if org.parent else 0
            org.path = _PENDING_PATH  # replaced below, once the id the path is made of exists
        ready = Organization.objects.bulk_create(ready, batch_size=1000)
        if ready and ready[0].pk is None:  # pragma: no cover - backends that return no ids
            ids = dict(Organization.objects.filter(code__in=[o.code for o in ready]).values_list("code", "pk"))
            for org in ready:
                org.pk = org.id = ids[org.code]
        for org in ready:
            org.path = (org.parent.path if org.parent else "") + path_segment(org.pk)
        _store_new_paths(ready)
        open_first_intervals(ready, valid_from)
        audit_records_bulk(
            acting_user=acting_user,
            action="organization.create",
            reason=reason,
            entries=[(org, org, {}, _imported_organization_audit(org)) for org in ready],
        )
        created.extend(ready)
    return created


class MemberValues(NamedTuple):
    """One member as a workbook row gives it (``pk`` None for a new member): small, for 100,000 rows."""

    pk: int | None
    organization: Organization
    code: str
    full_name: str
    status: str
    exempt: bool


_BULK_MEMBER_TRACKED = ("organization_id", "full_name", "status", "exempt")
_BULK_MEMBER_AUDIT_NAMES = {"organization_id": "org_code"}


# The columns a new member's row fills, in the order _insert_members writes them; any other column of the
# table (one added later) makes the import insert through the ORM instead, which knows its default.
_MEMBER_INSERTED = (
    "organization_id",
    "code",
    "full_name",
    "full_name_folded",
    "status",
    "exempt",
    "joined_on",
    "left_on",
)


@transaction.atomic
def members_save_bulk(*, members: list[MemberValues], acting_user, reason: str = "", batch: int = 2000) -> None:
    """Create and change many members at once, with :func:`member_save`'s checks (all or nothing: any
    refusal raises :class:`ItemsRefused` and writes nothing).

    Audited once per cell (one entry per member would double the rows a 100,000-member import writes):
    the codes added there, and for each changed member its values before and after; a member moved to
    another cell is a transfer, audited under the cell left too."""
    refused: dict[int, ValidationError] = {}
    per_cell: dict[int, dict] = {}
    moves: list[tuple[int, int, int]] = []
    # Every member is checked by the model's own full_clean, on one instance given each member's values
    # in turn: building a model instance per new member costs as much again, and they are inserted as rows.
    probe = Member()
    for start in range(0, len(members), batch):
        chunk = members[start : start + batch]
        stored = {
            row[0]: row[1:]
            for row in Member.objects.filter(pk__in=[m.pk for m in chunk if m.pk is not None]).values_list(
                "pk", "organization__code", "full_name", "status", "exempt", "organization_id"
            )
        }
        new: list[tuple] = []
        changed: list[Member] = []
        for offset, values in enumerate(chunk):
            full_name = nfc(values.full_name).strip()
            probe.pk = values.pk
            probe.code = values.code
            probe.organization = values.organization
            probe.full_name = full_name
            probe.status = values.status
            probe.exempt = values.exempt
            try:
                probe.full_clean(
                    exclude=["organization", "full_name_folded"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                refused[start + offset] = exc
                continue
            code = probe.code  # as full_clean normalised it
            organization_id = values.organization.pk
            entry = per_cell.setdefault(organization_id, {"created": [], "updated": {}})
            if values.pk is None:
                new.append(
                    (organization_id, code, full_name, fold(full_name), values.status, values.exempt, None, None)
                )
                entry["created"].append(code)
                continue
            changed.append(
                Member(
                    pk=values.pk,
                    code=code,
                    organization=values.organization,
                    full_name=full_name,
                    full_name_folded=fold(full_name),
                    status=values.status,
                    exempt=values.exempt,
                )
            )
            before = dict(zip(("org_code", "full_name", "status", "exempt"), stored[values.pk][:4], strict=True))
            old_cell = stored[values.pk][4]
            if old_cell != organization_id:
                # A move, as a merge moves a roster: the cell left says who left, and a transfer keeps
                # the rosters of earlier days right.
                moves.append((values.pk, old_cell, organization_id))
                left = per_cell.setdefault(old_cell, {"created": [], "updated": {}})
                left.setdefault("moved_out", {})[code] = values.organization.code
            after = {"org_code": values.organization.code, "full_name": full_name, "status": values.status}
            after["exempt"] = values.exempt
            entry["updated"][code] = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        if refused:
            continue  # nothing will be written: only the checks go on, so every refusal is reported
        _insert_members(new)
        Member.objects.bulk_update(changed, ["organization", "full_name", "full_name_folded", "status", "exempt"])
    if refused:
        raise ItemsRefused(refused)
    member_transfers_record(moves=moves, on=timezone.localdate())
    audit_records_bulk(
        acting_user=acting_user,
        action="members.import",
        reason=reason,
        entries=[(Organization(pk=org_id), Organization(pk=org_id), {}, after) for org_id, after in per_cell.items()],
    )


def _insert_members(rows: list[tuple]) -> None:
    """Insert new members, checked already, given as tuples in the order of ``_MEMBER_INSERTED``.

    As rows, not model instances (building 100,000 instances and their INSERT's parameters took longer
    than anything else an import does): through COPY on PostgreSQL, one executemany elsewhere; through
    bulk_create if the table has a column this does not know (it knows its default)."""
    if not rows:
        return
    columns = tuple(field.attname for field in Member._meta.concrete_fields if not field.primary_key)
    if sorted(columns) != sorted(_MEMBER_INSERTED):
        Member.objects.bulk_create([Member(**dict(zip(_MEMBER_INSERTED, row, strict=True))) for row in rows])
        return
    quote = connection.ops.quote_name
    table = quote(Member._meta.db_table)
    names = ", ".join(quote(name) for name in _MEMBER_INSERTED)
    # Names from the model, quoted; every value is sent apart from the SQL (COPY's rows, bound parameters).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_MEMBER_INSERTED))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # nosec B608


# --- A user's own preferences --------------------------------------------------------------------


def preference_set(*, user, language: str) -> UserPreference:
    """Store the interface language a user chose (Vietnamese unless they pick English)."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    preference, _created = UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    return preference
