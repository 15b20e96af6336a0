"""The admin is for superusers fixing data; everyday work goes through the pages and their services."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .auth import account_unlock
from .models import AuditEntry, CellType, Member, OfficerTerm, Organization, RoleAssignment
from .services import access_attempts_delete


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


# Unlocking an account (django-axes keeps the failed attempts): a staff action on the attempts, audited.


@admin.action(description=_("Unlock the selected accounts"))
def unlock_accounts(modeladmin, request, queryset):
    names = sorted({attempt.username for attempt in queryset if attempt.username})
    for username in names:
        account_unlock(username=username, acting_user=request.user)
    access_attempts_delete(queryset)  # attempts counted by address only go too
    messages.success(request, _("Unlocked: %(names)s") % {"names": ", ".join(names) or "—"})


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class UnlockableAccessAttemptAdmin(AccessAttemptAdmin):
    actions = [unlock_accounts]
