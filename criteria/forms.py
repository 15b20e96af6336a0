"""Staff forms for frameworks, criteria and rating levels (django-crispy-forms). Rules live in the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from cells.models import CellType, Level, Organization

from .models import Criterion, Framework, RatingLevel, RollupLevel
from .services import PUBLISHED_EDITABLE


class CrispyMixin:
    submit_label = _("Save")
    form_tag = True

    def _setup_helper(self) -> None:
        self.helper = FormHelper(self)
        self.helper.form_tag = self.form_tag
        if self.form_tag:
            self.helper.add_input(Submit("submit", self.submit_label, css_class="btn-primary"))


def _org_level_field(label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for all levels."),
    )


class FrameworkForm(CrispyMixin, forms.ModelForm):
    """Create a framework, or edit one (a published framework keeps everything but its name, basis and years)."""

    org_levels = _org_level_field(_("For organisation levels"))

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
            "meeting_kind",
            "org_levels",
        ]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        if self.instance.pk:
            del self.fields["owner"]
            if not self.instance.is_draft:
                for name in list(self.fields):
                    if name not in PUBLISHED_EDITABLE:
                        self.fields[name].disabled = True
        self._setup_helper()


class DeriveForm(CrispyMixin, forms.Form):
    """A lower committee's or a cell's own framework, inheriting everything of a published one."""

    submit_label = _("Derive")
    owner = forms.ModelChoiceField(label=_("Issued by"), queryset=Organization.objects.none())
    code = forms.CharField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=255)
    basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self._setup_helper()


class NewVersionForm(CrispyMixin, forms.Form):
    submit_label = _("Make the new version")
    code = forms.CharField(label=_("Code of the new version"), max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class CriterionForm(CrispyMixin, forms.ModelForm):
    """One criterion of a draft; shown in the tree editor (htmx), so the form tag is the template's."""

    form_tag = False
    cell_types = forms.ModelMultipleChoiceField(
        label=_("Cell types"),
        queryset=CellType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for all cell types."),
    )
    org_levels = _org_level_field(_("Organisation levels"))

    class Meta:
        model = Criterion
        fields = [
            "code",
            "title",
            "guidance",
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
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "guidance": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "max_points": _("Empty for a pass/fail criterion. A group's points are the sum of its children's."),
            "comparator": _("With a comparator and a target the criterion is a quantitative indicator."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()

    def _post_clean(self):
        # The service validates (full_clean) with the framework and parent set; here the values are only copied.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class ReparentForm(CrispyMixin, forms.Form):
    form_tag = False
    parent = forms.ModelChoiceField(
        label=_("New parent"), queryset=Criterion.objects.none(), required=False, empty_label=_("(top level)")
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = choices
        self._setup_helper()


class RollupLevelForm(CrispyMixin, forms.ModelForm):
    form_tag = False

    class Meta:
        model = RollupLevel
        fields = [
            "period", "code", "label", "rank", "min_meetings", "all_at_least", "count_level", "min_count",
            "min_average", "basis",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()

    def _post_clean(self):
        # The service checks the codes against the framework's levels and runs the model's checks.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class RatingLevelForm(CrispyMixin, forms.ModelForm):
    form_tag = False

    class Meta:
        model = RatingLevel
        fields = ["code", "label", "rank", "min_points", "require_key_full", "require_all_achieved", "needs_attention"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class ImportForm(CrispyMixin, forms.Form):
    submit_label = _("Import")
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn-primary"))
