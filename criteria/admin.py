"""The admin for frameworks. It writes through the services, so it refuses what they refuse: a published
framework's criteria and levels never change, and a framework in use changes nothing."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from cells.scoping import Action

from . import services
from .models import Criterion, Framework, RatingLevel


class ScopedAdminMixin:
    """Even in the admin, a non-superuser staff account sees only its own subtree."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user, Action.MANAGE)


class FrameworkAdminForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = [
            "code",
            "name",
            "kind",
            "owner",
            "basis",
            "description",
            "valid_from_year",
            "valid_to_year",
            "version",
            "status",
            "parent",
            "previous_version",
            "meeting_kind",
            "org_levels",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = Framework.objects.get(pk=self.instance.pk)
            changed = [name for name in self.changed_data if getattr(stored, name) != cleaned.get(name)]
            if cleaned.get("status") == "retired" and stored.status == "published":
                changed = [name for name in changed if name != "status"]  # retiring is always allowed
            if changed:
                services.ensure_framework_editable(stored, changed)
        return cleaned


class FrozenAwareFormSet(forms.BaseInlineFormSet):
    """Refuse any added, changed or deleted row of a framework that is not a draft."""

    def clean(self):
        super().clean()
        touched = any(form.has_changed() for form in self.forms) or bool(self.deleted_forms)
        if touched and self.instance.pk:
            services.ensure_criteria_editable(Framework.objects.get(pk=self.instance.pk))


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = FrozenAwareFormSet
    fk_name = "framework"
    extra = 0
    fields = ["code", "parent", "title", "max_points", "is_key", "comparator", "target", "unit", "order"]
    raw_id_fields = ["parent"]


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    formset = FrozenAwareFormSet
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = FrameworkAdminForm
    list_display = ["code", "name", "kind", "owner", "version", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "name"]
    raw_id_fields = ["owner", "parent", "previous_version"]
    readonly_fields = ["published_at"]
    inlines = [CriterionInline, RatingLevelInline]

    def save_model(self, request, obj, form, change):
        if change:
            fresh = Framework.objects.get(pk=obj.pk)
            changes = {
                key: form.cleaned_data[key]
                for key in form.changed_data
                if key in services.FRAMEWORK_FIELDS and getattr(fresh, key) != form.cleaned_data[key]
            }
            status = changes.pop("status", None)
            changes = {k: v for k, v in changes.items() if k not in ("version", "previous_version", "owner")}
            if changes:
                services.framework_update(framework=fresh, acting_user=request.user, **changes)
            try:
                if status == "published":
                    services.framework_publish(framework=fresh, acting_user=request.user)
                elif status == "retired":
                    services.framework_retire(framework=fresh, acting_user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            obj.refresh_from_db()
        else:
            created = services.framework_create(
                acting_user=request.user,
                **{
                    key: form.cleaned_data[key]
                    for key in (
                        "owner",
                        "code",
                        "name",
                        "kind",
                        "basis",
                        "description",
                        "valid_from_year",
                        "valid_to_year",
                        "meeting_kind",
                        "org_levels",
                        "parent",
                    )
                },
            )
            obj.pk = created.pk
            obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            if isinstance(deleted, Criterion):
                services.criterion_delete(criterion=deleted, acting_user=request.user)
            else:
                services.rating_level_delete(level=deleted, acting_user=request.user)
        for instance in instances:
            if isinstance(instance, Criterion):
                services.criterion_save(criterion=instance, acting_user=request.user)
            else:
                services.rating_level_save(level=instance, acting_user=request.user)

    def delete_model(self, request, obj):
        try:
            services.framework_delete(framework=obj, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "framework",
            "parent",
            "code",
            "title",
            "guidance",
            "order",
            "max_points",
            "is_key",
            "evidence_required",
            "cell_types",
            "org_levels",
            "unit",
            "comparator",
            "target",
            "target_settable_by_cell",
        ]

    def clean(self):
        cleaned = super().clean()
        framework = cleaned.get("framework") or getattr(self.instance, "framework", None)
        if framework is not None:
            services.ensure_criteria_editable(Framework.objects.get(pk=framework.pk))
        if self.instance.pk and self.instance.framework_id != getattr(framework, "pk", None):
            services.ensure_criteria_editable(Framework.objects.get(pk=self.instance.framework_id))
        return cleaned


@admin.register(Criterion)
class CriterionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = CriterionAdminForm
    list_display = ["code", "title", "framework", "max_points", "is_key"]
    list_filter = ["framework__kind"]
    search_fields = ["code", "title", "framework__code"]
    raw_id_fields = ["framework", "parent"]

    def save_model(self, request, obj, form, change):
        services.criterion_save(criterion=obj, acting_user=request.user)

    def delete_model(self, request, obj):
        services.criterion_delete(criterion=obj, acting_user=request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.framework.is_draft)
