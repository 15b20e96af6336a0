from cells.models import RoleAssignment
from tests.factories import MemberFactory
from tests.view_scope import ViewCase


def _member(tree, people):
    return MemberFactory(organization=tree.cell)


def _notification(tree, people):
    from cells import services

    [notification] = services.notify(users=[people.alice], kind="test", title="Thành ủy Một: a report is waiting")
    return notification


def _term(tree, people):
    from cells import services

    member = MemberFactory(organization=tree.cell)
    return services.officer_appoint(
        organization=tree.cell,
        member=member,
        position="deputy_secretary",
        started_on=tree.cell.name_history()[0].valid_from,
        acting_user=None,
    )


def _term_end(t, p, d):
    from cells.models import OfficerTerm

    return OfficerTerm.objects.get(pk=d.pk).ended_on


def _sue_role_end(t, p, d):
    return RoleAssignment.objects.get(user=p.sue).valid_to


def _read(t, p, d):
    from cells.models import Notification

    return Notification.objects.get(pk=d.pk).read_at


CASES = [
    ViewCase("cells:audit_trail", object_view=False),
    ViewCase("home", object_view=False),
    ViewCase("preferences", object_view=False, owner_sees_hidden=False),
    ViewCase("cells:organization_tree", object_view=False),
    ViewCase("cells:organization_detail", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase("cells:organization_children", lambda t, p, d: {"pk": t.grassroots.pk}),
    ViewCase("cells:organization_create", lambda t, p, d: {"parent_pk": t.grassroots.pk}),
    ViewCase("cells:organization_edit", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase("cells:organization_move", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase("cells:organization_merge", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase("cells:reorganization", lambda t, p, d: {"pk": t.grassroots.pk}),
    ViewCase("cells:member_create", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase("cells:member_edit", lambda t, p, d: {"pk": d.pk}, setup=_member),
    ViewCase("cells:officer_appoint", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase("cells:officer_end", lambda t, p, d: {"pk": d.pk}, setup=_term, method="post", effect=_term_end),
    ViewCase("cells:role_assign", lambda t, p, d: {"pk": t.cell.pk}),
    ViewCase(
        "cells:role_end",
        lambda t, p, d: {"pk": RoleAssignment.objects.get(user=p.sue).pk},
        method="post",
        effect=_sue_role_end,
    ),
    ViewCase("cells:notification_list", object_view=False, setup=_notification),
    ViewCase(
        "cells:notification_open",
        lambda t, p, d: {"pk": d.pk},
        setup=_notification,
        method="post",
        effect=_read,
        audited=False,
    ),
]
