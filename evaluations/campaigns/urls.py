"""URLs of the campaign cycle, under /evaluations/campaigns/ in the "evaluations" namespace."""

from django.urls import path

from . import deskviews, views

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("ratings/", views.year_ratings, name="campaign_year_ratings"),
    path("awards/", deskviews.award_list, name="award_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/targets/new/", views.target_add, name="campaign_target_add"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="campaign_milestone_add"),
    path("<int:pk>/steering/new/", views.steering_add, name="campaign_steering_add"),
    path("<int:pk>/register/", views.registration_create, name="campaign_register"),
    path("<int:pk>/recognition/", views.campaign_recognition, name="campaign_recognition"),
    path("<int:pk>/export/<slug:sheet>/", views.campaign_export, name="campaign_export"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="registration_decide"),
    path("registrations/<int:pk>/assess/", views.registration_assess, name="registration_assess"),
    path("registrations/<int:pk>/appraise/", views.registration_appraise, name="registration_appraise"),
    path("registrations/<int:pk>/confirm/", views.registration_confirm, name="registration_confirm"),
    path("registrations/<int:pk>/reopen/", views.registration_reopen, name="registration_reopen"),
    path("registrations/<int:pk>/awards/new/", views.award_add, name="registration_award_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="campaign_evidence"),
    path("<int:pk>/propose/", deskviews.campaign_propose, name="campaign_propose"),
    path("proposals/<int:pk>/", deskviews.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/approve/", deskviews.proposal_approve, name="proposal_approve"),
    path("milestones/<int:pk>/done/", deskviews.milestone_done, name="milestone_done"),
]
