from types import SimpleNamespace

from tests.view_scope import ViewCase


def _draft(tree, people):
    """A draft framework of Thành ủy Một with one group, one criterion and one level."""
    from criteria import services
    from criteria.models import RatingLevel, RollupLevel

    framework = services.framework_create(
        owner=tree.district, code="SH-D1", name="Khung sinh hoạt", kind="meeting", acting_user=None
    )
    group = services.criterion_create(framework=framework, code="1", title="Nhóm một", acting_user=None)
    item = services.criterion_create(
        framework=framework, parent=group, code="1.1", title="Mục một", max_points=10, acting_user=None
    )
    level = services.rating_level_save(level=RatingLevel(framework=framework, code="tot", rank=1), acting_user=None)
    rollup = services.rollup_level_save(
        rollup=RollupLevel(framework=framework, period="year", code="tot", rank=1, min_meetings=12), acting_user=None
    )
    return SimpleNamespace(framework=framework, group=group, item=item, level=level, rollup=rollup)


def fw(tree, people, data):
    return {"pk": data.framework.pk}


def _framework_state(t, p, d):
    from criteria.models import Framework

    return list(Framework.objects.filter(pk=d.framework.pk).values_list("status", flat=True))


def _criteria(t, p, d):
    from criteria.models import Criterion

    return list(Criterion.objects.filter(framework=d.framework).order_by("pk").values_list("pk", "order"))


def _levels(t, p, d):
    from criteria.models import RatingLevel

    return list(RatingLevel.objects.filter(framework=d.framework).values_list("pk", flat=True))


def _two_levels(tree, people):
    """The draft with a second level, so a level can move."""
    from criteria import services
    from criteria.models import RatingLevel

    data = _draft(tree, people)
    data.second = services.rating_level_save(
        level=RatingLevel(framework=data.framework, code="kha", rank=2), acting_user=None
    )
    return data


def _level_ranks(t, p, d):
    from criteria.models import RatingLevel

    return list(RatingLevel.objects.filter(framework=d.framework).order_by("code").values_list("code", "rank"))


def _published(tree, people):
    from criteria import services

    data = _draft(tree, people)
    services.framework_publish(framework=data.framework, acting_user=None)
    return data


CASES = [
    ViewCase("criteria:framework_list", object_view=False, setup=_draft),
    ViewCase("criteria:framework_create", object_view=False),
    ViewCase("criteria:framework_import", object_view=False, owner_sees_hidden=False),  # an upload form
    ViewCase("criteria:framework_detail", fw, setup=_draft),
    ViewCase("criteria:framework_read", fw, setup=_draft),
    ViewCase("criteria:framework_edit", fw, setup=_draft),
    ViewCase("criteria:framework_publish", fw, setup=_draft, method="post", effect=_framework_state),
    ViewCase("criteria:framework_retire", fw, setup=_published, method="post", effect=_framework_state),
    ViewCase("criteria:framework_delete", fw, setup=_draft, method="post", effect=_framework_state),
    ViewCase("criteria:framework_new_version", fw, setup=_draft),
    ViewCase("criteria:framework_derive", fw, setup=_draft),
    ViewCase("criteria:framework_compare", fw, setup=_draft),
    ViewCase("criteria:framework_export", fw, setup=_draft),
    ViewCase("criteria:criterion_create", fw, setup=_draft),
    ViewCase("criteria:criterion_edit", lambda t, p, d: {"pk": d.item.pk}, setup=_draft),
    ViewCase(
        "criteria:criterion_move",
        lambda t, p, d: {"pk": d.item.pk},
        setup=_draft,
        method="post",
        post_data={"direction": "up"},
    ),
    ViewCase("criteria:criterion_reparent", lambda t, p, d: {"pk": d.item.pk}, setup=_draft),
    ViewCase(
        "criteria:criterion_delete", lambda t, p, d: {"pk": d.item.pk}, setup=_draft, method="post", effect=_criteria
    ),
    ViewCase("criteria:level_create", fw, setup=_draft),
    ViewCase("criteria:level_edit", lambda t, p, d: {"pk": d.level.pk}, setup=_draft),
    ViewCase(
        "criteria:level_move",
        lambda t, p, d: {"pk": d.second.pk},
        setup=_two_levels,
        method="post",
        post_data={"direction": "up"},
        effect=_level_ranks,
    ),
    ViewCase("criteria:level_delete", lambda t, p, d: {"pk": d.level.pk}, setup=_draft, method="post", effect=_levels),
    ViewCase("criteria:rollup_create", fw, setup=_draft),
    ViewCase("criteria:rollup_edit", lambda t, p, d: {"pk": d.rollup.pk}, setup=_draft),
    ViewCase("criteria:rollup_delete", lambda t, p, d: {"pk": d.rollup.pk}, setup=_draft, method="post"),
]
