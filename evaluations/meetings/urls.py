from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("queue/", views.appraisal_queue, name="queue"),
    path("record/<int:cell_pk>/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/minutes/", views.minutes_download, name="minutes"),
    path("<int:pk>/assess/", views.meeting_assess, name="assess"),
    path("<int:pk>/preview/<str:mode>/", views.score_preview, name="preview"),
    path("<int:pk>/appraise/", views.meeting_appraise, name="appraise"),
    path("<int:pk>/reopen/", views.meeting_reopen, name="reopen"),
    path("ranking/", views.ranking, name="ranking"),
    path("supervision/summary/", views.supervision_summary, name="supervision_summary"),
    path("supervision/<int:org_pk>/", views.supervision, name="supervision"),
    path("supervision/<int:org_pk>/teams/new/", views.team_create, name="team_create"),
    path("supervision/assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("guidance/", views.guidance_list, name="guidance"),
    path("guidance/<int:org_pk>/new/", views.guidance_issue, name="guidance_issue"),
    path("model-meetings/", views.designation_list, name="designations"),
    path("model-meetings/<int:org_pk>/new/", views.designation_create, name="designation_create"),
    path("thematic/", views.thematic_compliance, name="thematic_compliance"),
    path("thematic/<int:cell_pk>/", views.thematic_plan, name="thematic_plan"),
    path("thematic/items/<int:pk>/delete/", views.thematic_item_delete, name="thematic_item_delete"),
]
