"""Scope cases for every page of the meetings part (see tests/view_scope.py)."""

import datetime

from django.core.files.base import ContentFile

from evaluations.meetings import services
from evaluations.meetings.models import ThematicPlanItem, ThematicTopic
from tests.view_scope import ViewCase

from .helpers import FULL, assign_supervisor, make_framework, make_meeting

CELL = "Chi bộ Tổ dân phố số 3"


def _meeting(tree, people):
    make_framework(tree.province)
    return make_meeting(tree.cell, minutes_file=ContentFile(b"%PDF-1.4\n% bien ban\n", name="bien-ban.pdf"))


def _submitted(tree, people):
    meeting = _meeting(tree, people)
    return services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=None)


def _appraised(tree, people):
    return services.recording.meeting_appraise(meeting=_submitted(tree, people), changes={}, acting_user=None)


def _assignment(tree, people):
    return assign_supervisor(tree.cell, people.sam)


def _plan_item(tree, people):
    return ThematicPlanItem.objects.create(
        organization=tree.cell, year=datetime.date.today().year, quarter=1, topic=ThematicTopic.objects.first()
    )


def _designation(tree, people):
    return services.planning.designation_create(
        organization=tree.cell,
        designated_by=tree.district,
        year=datetime.date.today().year,
        quarter=2,
        kind="regular",
        invitees="Đồng chí Khách Mời Riêng",
        acting_user=None,
    )


def _ward_guidance(tree, people):
    today = datetime.date.today()
    return services.planning.guidance_issue(
        organization=tree.grassroots,
        year=today.year,
        month=today.month,
        title="Định hướng riêng của phường Một",
        body="Nội dung",
        acting_user=None,
    )


def _ward_guidance_sent(tree, people):
    return services.planning.guidance_send_up(guidance=_ward_guidance(tree, people), acting_user=None)


def _guidance(tree, people):
    today = datetime.date.today()
    return services.planning.guidance_issue(
        organization=tree.district,
        year=today.year,
        month=today.month,
        title="Hướng dẫn riêng của Thành ủy Một",
        body="Nội dung",
        acting_user=None,
    )


def _prepared(tree, people):
    """A meeting with a preparation checklist and an agenda item (issue 24's pages)."""
    meeting = _meeting(tree, people)
    services.minutes.preparation_step_save(framework=meeting.framework, title="Chi ủy họp chuẩn bị", acting_user=None)
    services.minutes.meeting_agenda_add(meeting=meeting, titles=["Nghị quyết tháng"], acting_user=None)
    return type(meeting).objects.get(pk=meeting.pk)


def _four_good(tree, people):
    from tests.evaluations.campaigns.builders import campaign, participant

    meeting = _meeting(tree, people)
    participant(campaign(tree), tree.cell)
    return meeting


def _district_rubric(tree, people):
    framework = make_framework(tree.district, code="SH-D1")
    return services.minutes.preparation_step_save(framework=framework, title="Chi ủy họp", acting_user=None)


def _agenda_count(t, p, d):
    return d.agenda.count()


def _step_active(t, p, d):
    return type(d).objects.filter(pk=d.pk, is_active=True).exists()


def _pk(t, p, d):
    return {"pk": d.pk}


def _valid_to(t, p, d):
    return type(d).objects.get(pk=d.pk).valid_to


def _exists(t, p, d):
    return type(d).objects.filter(pk=d.pk).exists()


CASES = [
    ViewCase("evaluations:meetings:list", object_view=False, hidden_text=CELL, setup=_submitted),
    ViewCase("evaluations:meetings:queue", object_view=False, hidden_text=CELL, setup=_submitted),
    ViewCase("evaluations:meetings:create", lambda t, p, d: {"cell_pk": t.cell.pk}, owner="sue"),
    ViewCase(
        "evaluations:meetings:record_preview",
        lambda t, p, d: {"cell_pk": t.cell.pk},
        owner="sue",
        method="post",
        post_data={"kind": "regular", "date": "10/03/2024", "duration_minutes": "95"},
    ),
    ViewCase("evaluations:meetings:detail", _pk, setup=_meeting),
    ViewCase("evaluations:meetings:edit", _pk, setup=_meeting, owner="sue"),
    ViewCase("evaluations:meetings:minutes", _pk, setup=_meeting, owner="sue"),
    ViewCase("evaluations:meetings:assess", _pk, setup=_meeting, owner="sue"),
    ViewCase(
        "evaluations:meetings:preview",
        lambda t, p, d: {"pk": d.pk, "mode": "c"},
        setup=_meeting,
        owner="sue",
        method="post",
        post_data={"c_1_1": "5"},
    ),
    ViewCase("evaluations:meetings:appraise", _pk, setup=_submitted),
    ViewCase("evaluations:meetings:reopen", _pk, setup=_appraised),
    ViewCase("evaluations:meetings:prepare", lambda t, p, d: {"cell_pk": t.cell.pk}, owner="sue"),
    ViewCase("evaluations:meetings:preparation", _pk, setup=_prepared, owner="sue"),
    ViewCase("evaluations:meetings:minutes_edit", _pk, setup=_prepared, owner="sue"),
    ViewCase("evaluations:meetings:minutes_pdf", _pk, setup=_prepared, owner="sue"),
    ViewCase("evaluations:meetings:minutes_docx", _pk, setup=_prepared, owner="sue"),
    ViewCase("evaluations:meetings:signed_minutes", _pk, setup=_prepared, owner="sue"),
    ViewCase("evaluations:meetings:votes", _pk, setup=_prepared, owner="sue"),
    ViewCase(
        "evaluations:meetings:four_good_carry", _pk, setup=_four_good, owner="sue", method="post", effect=_agenda_count
    ),
    ViewCase(
        "evaluations:meetings:preparation_steps",
        lambda t, p, d: {"framework_pk": d.framework_id},
        setup=_district_rubric,
    ),
    ViewCase(
        "evaluations:meetings:preparation_step_remove", _pk, setup=_district_rubric, method="post", effect=_exists
    ),
    ViewCase("evaluations:meetings:minutes_template", lambda t, p, d: {"org_pk": t.district.pk}),
    ViewCase(
        "evaluations:meetings:ranking",
        object_view=False,
        hidden_text=CELL,
        setup=_submitted,
        org_query=True,
        org_query_extra=({"export": "xlsx"}, {"period": "2024"}),
    ),
    ViewCase("evaluations:meetings:supervision", lambda t, p, d: {"org_pk": t.grassroots.pk}),
    ViewCase("evaluations:meetings:team_create", lambda t, p, d: {"org_pk": t.district.pk}),
    ViewCase("evaluations:meetings:assignment_end", _pk, setup=_assignment, method="post", effect=_valid_to),
    ViewCase(
        "evaluations:meetings:supervision_summary",
        object_view=False,
        hidden_text=CELL,
        setup=_assignment,
        org_query=True,
    ),
    ViewCase(
        "evaluations:meetings:guidance",
        object_view=False,
        setup=_guidance,
        hidden_text="Hướng dẫn riêng của Thành ủy Một",
        org_query=True,
    ),
    ViewCase("evaluations:meetings:guidance_issue", lambda t, p, d: {"org_pk": t.district.pk}),
    ViewCase(
        "evaluations:meetings:guidance_send_up",
        lambda t, p, d: {"pk": d.pk},
        setup=_ward_guidance,
        method="post",
        effect=lambda t, p, d: type(d).objects.filter(pk=d.pk).values_list("sent_up_at", flat=True).get(),
    ),
    ViewCase(
        "evaluations:meetings:guidance_month",
        object_view=False,
        setup=_ward_guidance_sent,
        hidden_text="Định hướng riêng của phường Một",
        org_query=True,
    ),
    ViewCase("evaluations:meetings:designations", object_view=False, setup=_designation, hidden_text="Khách Mời Riêng"),
    ViewCase("evaluations:meetings:designation_create", lambda t, p, d: {"org_pk": t.district.pk}),
    ViewCase("evaluations:meetings:thematic_compliance", object_view=False, hidden_text=CELL, org_query=True),
    ViewCase("evaluations:meetings:thematic_plan", lambda t, p, d: {"cell_pk": t.cell.pk}, owner="sue"),
    ViewCase(
        "evaluations:meetings:thematic_item_delete", _pk, setup=_plan_item, owner="sue", method="post", effect=_exists
    ),
]
