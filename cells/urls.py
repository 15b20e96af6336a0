from django.urls import path

from . import views

app_name = "cells"

urlpatterns = [
    path("", views.organization_tree, name="organization_tree"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/children/", views.organization_children, name="organization_children"),
    path("<int:parent_pk>/new/", views.organization_create, name="organization_create"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("<int:pk>/move/", views.organization_move, name="organization_move"),
    path("<int:pk>/merge/", views.organization_merge, name="organization_merge"),
    path("<int:pk>/reorganization/", views.reorganization, name="reorganization"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/officers/new/", views.officer_appoint, name="officer_appoint"),
    path("officers/<int:pk>/end/", views.officer_end, name="officer_end"),
    path("<int:pk>/roles/new/", views.role_assign, name="role_assign"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("history/", views.audit_trail, name="audit_trail"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]
