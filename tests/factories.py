"""factory_boy factories. Organisations are built through the service so their paths are right."""

import datetime
import importlib

import factory
from django.contrib.auth import get_user_model

from cells import services
from cells.models import CellType, Level, Member, RoleAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"Người {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("pw-for-tests")


_org_counter = iter(range(1, 10**9))


def ensure_cell_types() -> None:
    """The cell types the data migration adds; transactional tests flush them, so put them back."""
    migration = importlib.import_module("cells.migrations.0002_cell_types")
    for code, name, order in migration.CELL_TYPES:
        CellType.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def ensure_migration_data() -> None:
    """What the data migrations add (cell types, the thematic meetings' topic groups), put back after a
    transactional test of the same process flushed it: the demo builds need both."""
    from evaluations.meetings.models import ThematicTopic

    ensure_cell_types()
    migration = importlib.import_module("evaluations.migrations.0002_thematic_topics")
    for order, (code, title) in enumerate(migration.TOPICS, 1):
        ThematicTopic.objects.get_or_create(code=code, defaults={"title": title, "order": order})


def make_org(
    name: str, level: str = Level.CELL, parent=None, cell_type: str | None = None, code: str | None = None, **extra
):
    """Create an organisation through the service; cells default to the residential type."""
    ensure_cell_types()
    if level in (Level.CELL, Level.GRASSROOTS_CELL) and cell_type is None:
        cell_type = "residential"
    return services.organization_create(
        code=code or f"ORG{next(_org_counter)}",
        name=name,
        level=level,
        parent=parent,
        cell_type=CellType.objects.get(code=cell_type) if cell_type else None,
        established_on=extra.pop("established_on", datetime.date(2020, 1, 1)),
        acting_user=None,
        **extra,
    )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    code = factory.Sequence(lambda n: f"DV{n:05d}")
    full_name = factory.Sequence(lambda n: f"Trần Thị Đảng Viên {n}")
    full_name_folded = factory.LazyAttribute(lambda m: m.full_name.lower())


def assign(user, organization, role: str) -> RoleAssignment:
    return RoleAssignment.objects.create(
        user=user, organization=organization, role=role, valid_from=datetime.date(2020, 1, 1)
    )
