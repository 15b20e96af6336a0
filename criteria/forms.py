"""Staff forms for frameworks, criteria and rating levels (django-crispy-forms). Rules live in the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from cells.models import CellType, Level, Organization

from .models import Comparator, Criterion, Framework, MeetingKindScope, NotApplicable, RatingLevel, RollupLevel
from .scoring import BandError, bands_from_json, bands_to_json
from .services import PUBLISHED_EDITABLE

BAND_ROWS = 6  # rows of the bands table on the page; a workbook may bring more


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
    """One criterion of a draft; shown in the tree editor (htmx), so the form tag is the template's.

    The bands (WORKBOOK v3) are a small table of rows (operator, value, points), empty rows ignored."""

    form_tag = False
    cell_types = forms.ModelMultipleChoiceField(
        label=_("Cell types"),
        queryset=CellType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for all cell types."),
    )
    org_levels = _org_level_field(_("Organisation levels"))
    kinds = forms.MultipleChoiceField(
        label=_("For meetings of kind"),
        choices=MeetingKindScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Meeting-quality rubrics only. Leave empty for every kind of meeting."),
    )

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
            "kinds",
            "not_applicable",
            "measure",
        ]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "guidance": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "max_points": _("Empty for a pass/fail criterion. A group's points are the sum of its children's."),
            "comparator": _("With a comparator and a target the criterion is a quantitative indicator."),
            "measure": _("Scored from the meeting's record through the bands below: nobody types its points."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            stored = bands_from_json(self.instance.bands)
        except BandError:
            stored = ()
        rows = max(BAND_ROWS, len(stored))
        self.band_rows = []
        for i in range(rows):
            band = stored[i] if i < len(stored) else None
            self.fields[f"band_op_{i}"] = forms.ChoiceField(
                label=_("Operator"), choices=[("", "—"), *Comparator.choices], required=False
            )
            self.fields[f"band_value_{i}"] = forms.DecimalField(label=_("Value"), required=False)
            self.fields[f"band_points_{i}"] = forms.DecimalField(label=_("Points"), required=False, min_value=0)
            if band is not None:
                self.initial.update(
                    {f"band_op_{i}": band.op, f"band_value_{i}": band.value, f"band_points_{i}": band.points}
                )
            self.band_rows.append((self[f"band_op_{i}"], self[f"band_value_{i}"], self[f"band_points_{i}"]))
        self.fields["not_applicable"].required = False  # empty: the default (counts nowhere)
        self._setup_helper()
        self.helper.layout = Layout(
            *self._meta.fields, HTML('{% include "criteria/_bands_table.html" with form=form %}')
        )

    def clean(self):
        data = super().clean()
        data["not_applicable"] = data.get("not_applicable") or NotApplicable.NONE
        bands = []
        for i in range(len(self.band_rows)):
            op, value, points = (data.get(f"band_{part}_{i}") for part in ("op", "value", "points"))
            if not op and value is None and points is None:
                continue
            if not op or value is None or points is None:
                self.add_error(
                    f"band_op_{i}", _("Give the operator, the value and the points, or leave the row empty.")
                )
                continue
            bands.append([op, str(value), str(points)])
        try:
            data["bands"] = bands_to_json(bands_from_json(bands))
        except BandError as exc:
            self.add_error(None, str(exc))
        return data

    def _post_clean(self):
        # The service validates (full_clean) with the framework and parent set; here the values are only copied.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        if "bands" in self.cleaned_data:
            self.instance.bands = self.cleaned_data["bands"]


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
