"""Admin (superusers only) for the campaign cycle: for support; normal writes go through the pages."""

from django.contrib import admin

from .models import (
    AnnualAnswer,
    Award,
    Campaign,
    CampaignMilestone,
    CampaignTarget,
    RecognitionDecision,
    Registration,
    SteeringMember,
    YearRating,
)


class TargetInline(admin.TabularInline):
    model = CampaignTarget
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = CampaignMilestone
    extra = 0


class SteeringInline(admin.TabularInline):
    model = SteeringMember
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "year", "owner", "framework")
    list_filter = ("year",)
    search_fields = ("code", "name")
    raw_id_fields = ("owner", "framework")
    inlines = [TargetInline, MilestoneInline, SteeringInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("campaign", "organization", "status", "level_code", "result", "outcome")
    list_filter = ("status", "result", "outcome")
    search_fields = ("organization__code", "organization__name", "campaign__code")
    raw_id_fields = ("campaign", "organization", "framework", "submitted_by", "confirmed_by")


@admin.register(AnnualAnswer)
class AnnualAnswerAdmin(admin.ModelAdmin):
    list_display = (
        "registration",
        "criterion",
        "self_points",
        "self_achieved",
        "appraised_points",
        "appraised_achieved",
    )
    raw_id_fields = ("registration", "criterion", "appraised_by")


@admin.register(YearRating)
class YearRatingAdmin(admin.ModelAdmin):
    list_display = ("organization", "year", "rating", "members_total", "members_completed")
    list_filter = ("year", "rating")
    search_fields = ("organization__code", "organization__name")
    raw_id_fields = ("organization",)


@admin.register(RecognitionDecision)
class RecognitionDecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "decided_on", "signer", "campaign")
    raw_id_fields = ("campaign", "registrations")


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ("registration", "kind", "description", "amount", "granted_on")
    list_filter = ("kind",)
    raw_id_fields = ("registration",)
