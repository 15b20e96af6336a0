"""Superuser admin for the meetings part (the product's pages are the everyday interface)."""

from django.contrib import admin

from .models import (
    AgendaItem,
    Attendance,
    ContentGuidance,
    Meeting,
    MeetingScore,
    ModelMeetingDesignation,
    SupervisionAssignment,
    SupervisionTeam,
    ThematicPlanItem,
    ThematicTopic,
)


@admin.register(ThematicTopic)
class ThematicTopicAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "title", "is_active"]
    list_editable = ["is_active"]


class ScoreInline(admin.TabularInline):
    model = MeetingScore
    extra = 0


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["organization", "date", "kind", "status", "self_total", "final_total", "final_level"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["organization__name", "organization__code"]
    raw_id_fields = ["organization", "attending_supervisor", "designation", "framework"]
    readonly_fields = ["self_total", "self_level", "final_total", "final_level", "final_key_full", "status"]
    inlines = [AgendaInline, ScoreInline]


admin.site.register(Attendance)
admin.site.register(ContentGuidance)
admin.site.register(ModelMeetingDesignation)
admin.site.register(SupervisionAssignment)
admin.site.register(SupervisionTeam)
admin.site.register(ThematicPlanItem)
