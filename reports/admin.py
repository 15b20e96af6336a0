from django.contrib import admin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "organization", "period", "format", "status", "progress", "attempts", "requested_at")
    list_filter = ("status", "kind", "format", "scheduled")
    search_fields = ("organization__name", "organization__code", "number")
    raw_id_fields = ("organization", "requested_by")
    readonly_fields = ("file", "file_size", "pages", "started_at", "finished_at", "attempts", "progress")
