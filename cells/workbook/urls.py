from django.urls import path

from . import views

app_name = "workbook"

urlpatterns = [
    path("", views.index, name="index"),
    path("guide/", views.guide, name="guide"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("export/<str:name>/<int:org_pk>/", views.export_download, name="export"),
]
