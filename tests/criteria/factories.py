"""Factories for frameworks, criteria and levels (plain ORM rows; services are tested on their own)."""

from decimal import Decimal

import factory

from criteria.models import Criterion, Framework, FrameworkKind, FrameworkStatus, RatingLevel


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"FW-{n}")
    name = factory.Sequence(lambda n: f"Bộ tiêu chí {n}")
    kind = FrameworkKind.MEETING
    status = FrameworkStatus.PUBLISHED


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    code = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Tiêu chí {n + 1}")


class RatingLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingLevel

    code = "dat"
    rank = 1


def meeting_framework(owner, code="SH", **extra) -> Framework:
    """A published 100-point meeting rubric: five groups, 3.1 key; Tốt/Khá/Trung bình/Kém."""
    framework = FrameworkFactory(owner=owner, code=code, kind=FrameworkKind.MEETING, **extra)
    groups = [("1", 20), ("2", 15), ("3", 45), ("4", 10), ("5", 10)]
    for order, (code_, points) in enumerate(groups):
        group = CriterionFactory(framework=framework, code=code_, order=order)
        if code_ == "3":
            CriterionFactory(framework=framework, parent=group, code="3.1", max_points=Decimal(30), is_key=True)
            CriterionFactory(framework=framework, parent=group, code="3.2", max_points=Decimal(15))
        else:
            CriterionFactory(framework=framework, parent=group, code=f"{code_}.1", max_points=Decimal(points))
    for rank, (lc, minimum, key) in enumerate(
        [("tot", 90, True), ("kha", 70, False), ("trung_binh", 50, False), ("kem", None, False)], start=1
    ):
        RatingLevelFactory(framework=framework, code=lc, rank=rank, min_points=minimum, require_key_full=key)
    return framework
