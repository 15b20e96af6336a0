"""A reorganisation plan: dated steps (rename, move, merge, dissolve) applied all-or-nothing.

The reorganisation page and the ``reorganizations`` sheet of ``import_workbook`` both come here, and
each step goes through the tree's services (``cells.services``), so every rule and audit entry is
written once. The preview applies the plan inside a transaction that is rolled back: what it shows
is exactly what confirming will do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import Member, OfficerTerm, Organization, OrganizationInterval, RoleAssignment


class StepAction(models.TextChoices):
    RENAME = "rename", gettext_lazy("Rename")
    MOVE = "move", gettext_lazy("Move")
    MERGE = "merge", gettext_lazy("Merge")
    DISSOLVE = "dissolve", gettext_lazy("Dissolve")


@dataclass
class Step:
    """One dated step; ``number`` is its line on the page or its row in the sheet (for messages)."""

    number: int
    date: datetime.date
    organization: Organization
    action: str
    new_name: str = ""
    new_parent: Organization | None = None
    into: Organization | None = None

    def describe(self) -> str:
        day = date_format(self.date, "SHORT_DATE_FORMAT")
        name = self.organization.name
        if self.action == StepAction.RENAME:
            return _("%(date)s: %(org)s is renamed %(name)s") % {"date": day, "org": name, "name": self.new_name}
        if self.action == StepAction.MOVE:
            return _("%(date)s: %(org)s moves under %(parent)s") % {
                "date": day, "org": name, "parent": self.new_parent.name,
            }  # fmt: skip
        if self.action == StepAction.MERGE:
            return _("%(date)s: %(org)s merges into %(into)s") % {"date": day, "org": name, "into": self.into.name}
        return _("%(date)s: %(org)s is dissolved") % {"date": day, "org": name}


@dataclass
class Effect:
    """What one step does: counted inside the (rolled back) preview, or after applying."""

    step: Step
    skipped: bool = False  # already in the tree (a sheet imported twice)
    organizations: int = 0
    members: int = 0
    officers: int = 0
    roles: int = 0
    registrations: list[str] = field(default_factory=list)


class PlanError(Exception):
    """The plan cannot be applied: ``problems`` are (step number, message) pairs, in Vietnamese."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems)
        self.problems = problems


class _Rollback(Exception):
    pass


OPEN_REGISTRATIONS = ("submitted", "approved", "returned", "maintaining")


def already_done(step: Step) -> bool:
    """Whether the tree already holds this step (so importing the same rows again changes nothing)."""
    org = step.organization
    if step.action in (StepAction.MERGE, StepAction.DISSOLVE):
        merged = step.action == StepAction.MERGE and org.merged_into_id == getattr(step.into, "pk", None)
        return not org.is_active and org.dissolved_on == step.date and (merged or step.action == StepAction.DISSOLVE)
    state = OrganizationInterval.objects.filter(organization=org, valid_from=step.date).first()
    if state is None:
        return False
    if step.action == StepAction.RENAME:
        return state.name == step.new_name
    return state.parent_id == getattr(step.new_parent, "pk", None)


def _open_registrations(org: Organization, day: datetime.date) -> list[str]:
    from django.apps import apps

    registration = apps.get_model("evaluations", "Registration")
    return [
        _("%(org)s in %(campaign)s") % {"org": org.name, "campaign": name}
        for name in registration.objects.filter(
            organization=org, status__in=OPEN_REGISTRATIONS, campaign__year__gte=day.year
        ).values_list("campaign__name", flat=True)
    ]


def _apply_step(step: Step, acting_user) -> Effect:
    org = Organization.objects.get(pk=step.organization.pk)
    step.organization = org
    effect = Effect(step)
    if already_done(step):
        effect.skipped = True
        return effect
    reason = _("Reorganisation plan, step %(n)s") % {"n": step.number}
    if step.action == StepAction.RENAME:
        services.organization_rename(
            organization=org, new_name=step.new_name, effective_on=step.date, acting_user=acting_user, reason=reason
        )
        effect.organizations = 1
    elif step.action == StepAction.MOVE:
        effect.organizations = Organization.objects.filter(path__startswith=org.path, is_active=True).count()
        services.organization_move(
            organization=org, new_parent=step.new_parent, effective_on=step.date, acting_user=acting_user, reason=reason
        )
    else:
        effect.registrations = _open_registrations(org, step.date)
        effect.members = Member.objects.current().filter(organization=org).count()
        effect.officers = OfficerTerm.objects.current(step.date).filter(organization=org).count()
        effect.roles = (
            RoleAssignment.objects.filter(organization=org)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=step.date))
            .count()
        )
        effect.organizations = 1 + org.children.filter(is_active=True).count()
        if step.action == StepAction.MERGE:
            services.organization_merge(
                source=org, target=step.into, effective_on=step.date, acting_user=acting_user, reason=reason
            )
        else:
            services.organization_dissolve(
                organization=org, effective_on=step.date, acting_user=acting_user, reason=reason
            )
    return effect


def _run(steps: list[Step], acting_user) -> list[Effect]:
    effects, problems = [], []
    # In date order; steps of one day keep the order they were written in.
    for step in sorted(steps, key=lambda s: (s.date, s.number)):
        try:
            with transaction.atomic():
                effects.append(_apply_step(step, acting_user))
        except ValidationError as exc:
            problems.extend((step.number, message) for message in exc.messages)
    if problems:
        raise PlanError(problems)
    return effects


def plan_preview(steps: list[Step], acting_user) -> list[Effect]:
    """What the plan would do, step by step, without changing anything (PlanError when it cannot)."""
    result: list[Effect] = []
    try:
        with transaction.atomic():
            result = _run(steps, acting_user)
            raise _Rollback
    except _Rollback:
        pass
    return result


@transaction.atomic
def plan_apply(steps: list[Step], acting_user) -> list[Effect]:
    """Apply every step or none (PlanError lists every step that cannot be applied)."""
    return _run(steps, acting_user)
