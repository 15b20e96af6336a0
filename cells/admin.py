"""The admin is for superusers fixing data; everyday work goes through the pages and their services."""

from django.contrib import admin

from .models import AuditEntry, CellType, Member, OfficerTerm, Organization, OrganizationName, RoleAssignment


class ScopedAdminMixin:
    """Even in the admin, a non-superuser staff account sees only its own subtree."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user, "manage")


@admin.register(CellType)
class CellTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "cell_type", "is_active"]
    list_filter = ["level", "cell_type", "is_active"]
    search_fields = ["code", "name_folded"]
    readonly_fields = ["path", "depth", "parent", "merged_into", "name"]


@admin.register(OrganizationName)
class OrganizationNameAdmin(admin.ModelAdmin):
    list_display = ["organization", "name", "valid_from", "valid_to"]


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "full_name", "organization", "status", "exempt"]
    search_fields = ["code", "full_name_folded"]
    raw_id_fields = ["organization"]


@admin.register(OfficerTerm)
class OfficerTermAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "member", "position", "started_on", "ended_on"]
    raw_id_fields = ["organization", "member"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "organization", "valid_from", "valid_to"]
    raw_id_fields = ["organization", "user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "organization"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
