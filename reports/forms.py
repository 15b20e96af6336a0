"""The form a staff member fills to request a report: what, of whom, when, and the document's fields."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.forms import DateInput
from cells.periods import Period, last_ended, period_choices

from .models import ReportFormat
from .registry import kind_choices


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'· ' * obj.depth}{obj.name}"


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"))
    organization = OrganizationChoiceField(label=_("Organisation"), queryset=None)
    # Picked, not typed: the periods as people write them ("Quý IV/2026"); the value sent is read by Period.
    period = forms.CharField(label=_("Period"), max_length=40, widget=forms.Select)
    format = forms.ChoiceField(
        label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF, widget=forms.RadioSelect
    )
    number = forms.CharField(
        label=_("Document number"), max_length=60, required=False, help_text=_("For example 12-BC/TU")
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    issued_on = forms.DateField(label=_("Date of the document"), widget=DateInput())
    parent_body = forms.CharField(
        label=_("Superior body"),
        max_length=200,
        required=False,
        help_text=_("Empty: taken from the organisation tree."),
    )
    issuing_body = forms.CharField(
        label=_("Issuing body"), max_length=200, required=False, help_text=_("Empty: taken from the organisation tree.")
    )
    signer_on_behalf = forms.CharField(label=_("Signing for"), max_length=120, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One recipient per line."),
    )

    draft = forms.BooleanField(
        label=_("Draft"), required=False, help_text=_('Printed with "DRAFT" above the heading, until it is issued.')
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["organization"].queryset = organizations
        self.fields["issued_on"].initial = timezone.localdate()
        self.fields["period"].initial = last_ended("quarter", timezone.localdate()).code
        self.fields["period"].widget.choices = period_choices(timezone.localdate(), years=5)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Report"), "kind", "organization", Div("period", "format")),
            Fieldset(
                _("Document"),
                "number",
                "place",
                "issued_on",
                "parent_body",
                "issuing_body",
                "signer_on_behalf",
                "signer_position",
                "signer_name",
                "recipients",
                "draft",
            ),
            Submit("submit", _("Build the report"), css_class="btn-danger"),
        )

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"]).code
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
