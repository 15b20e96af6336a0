from django.urls import path

from .views import minutes, planning, ranking, recording

app_name = "meetings"

urlpatterns = [
    path("", recording.meeting_list, name="list"),
    path("queue/", recording.appraisal_queue, name="queue"),
    path("record/<int:cell_pk>/", recording.meeting_create, name="create"),
    path("record/<int:cell_pk>/preview/", recording.record_preview, name="record_preview"),
    path("<int:pk>/", recording.meeting_detail, name="detail"),
    path("<int:pk>/edit/", recording.meeting_edit, name="edit"),
    path("<int:pk>/minutes/", recording.minutes_download, name="minutes"),
    path("<int:pk>/assess/", recording.meeting_assess, name="assess"),
    path("<int:pk>/preview/<str:mode>/", recording.score_preview, name="preview"),
    path("<int:pk>/appraise/", recording.meeting_appraise, name="appraise"),
    path("<int:pk>/reopen/", recording.meeting_reopen, name="reopen"),
    path("prepare/<int:cell_pk>/", minutes.prepare, name="prepare"),
    path("<int:pk>/preparation/", minutes.preparation, name="preparation"),
    path("<int:pk>/minutes/edit/", minutes.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/minutes/docx/", minutes.minutes_docx, name="minutes_docx"),
    path("<int:pk>/minutes/signed/", minutes.signed_minutes, name="signed_minutes"),
    path("<int:pk>/votes/", minutes.votes, name="votes"),
    path("<int:pk>/four-good/", minutes.four_good_carry, name="four_good_carry"),
    path("preparation/<int:framework_pk>/", minutes.preparation_steps, name="preparation_steps"),
    path("preparation/steps/<int:pk>/remove/", minutes.preparation_step_remove, name="preparation_step_remove"),
    path("minutes-template/<int:org_pk>/", minutes.minutes_template, name="minutes_template"),
    path("ranking/", ranking.ranking, name="ranking"),
    path("supervision/summary/", planning.supervision_summary, name="supervision_summary"),
    path("supervision/<int:org_pk>/", planning.supervision, name="supervision"),
    path("supervision/<int:org_pk>/teams/new/", planning.team_create, name="team_create"),
    path("supervision/assignments/<int:pk>/end/", planning.assignment_end, name="assignment_end"),
    path("guidance/", planning.guidance_list, name="guidance"),
    path("guidance/<int:org_pk>/new/", planning.guidance_issue, name="guidance_issue"),
    path("guidance/<int:pk>/send-up/", planning.guidance_send_up, name="guidance_send_up"),
    path("guidance/month/", planning.guidance_month, name="guidance_month"),
    path("model-meetings/", planning.designation_list, name="designations"),
    path("model-meetings/<int:org_pk>/new/", planning.designation_create, name="designation_create"),
    path("thematic/", planning.thematic_compliance, name="thematic_compliance"),
    path("thematic/<int:cell_pk>/", planning.thematic_plan, name="thematic_plan"),
    path("thematic/items/<int:pk>/delete/", planning.thematic_item_delete, name="thematic_item_delete"),
]
