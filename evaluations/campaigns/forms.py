"""Forms of the campaign cycle. Thin: they collect input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cells.concurrency import VersionField
from cells.forms import DateInput
from cells.models import CellType, Organization

from .models import (
    AwardKind,
    Campaign,
    CampaignMilestone,
    CampaignTarget,
    SteeringMember,
    YearRatingCode,
)

DATE = DateInput()  # dd/mm/yyyy whatever the phone's language


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", label))
    return helper


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "code",
            "name",
            "owner",
            "framework",
            "year",
            "plan_number",
            "legal_basis",
            "registration_deadline",
            "self_assessment_deadline",
            "recognition_deadline",
            "min_year_rating",
            "eligibility_good_years",
            "eligibility_all_members_completed",
            "selection_cap",
        ]
        widgets = {
            "registration_deadline": DATE,
            "self_assessment_deadline": DATE,
            "recognition_deadline": DATE,
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, owners=None, frameworks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Organization.objects.none()
        self.fields["framework"].queryset = frameworks if frameworks is not None else self.fields["framework"].queryset
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("Enter a whole number.")
        self.helper = _helper(_("Save"))


class TargetForm(forms.ModelForm):
    class Meta:
        model = CampaignTarget
        fields = ["metric", "cell_type", "org_level", "comparator", "value", "rating", "due_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell_type"].queryset = CellType.objects.all()
        self.fields["cell_type"].empty_label = _("All cell types")
        self.helper = _helper(_("Save target"))


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = CampaignMilestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add milestone"))


class SteeringMemberForm(forms.ModelForm):
    class Meta:
        model = SteeringMember
        fields = ["full_name", "position", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add to the steering committee"))


class RegistrationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Cell or party organisation"), queryset=Organization.objects.none())
    survey_report = forms.CharField(
        label=_("Survey report"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The cell's situation, strengths and what it will do to meet the criteria."),
    )
    expected_completion = forms.DateField(label=_("Expected completion"), widget=DATE)

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cells if cells is not None else Organization.objects.none()
        if cells is not None:
            first_two = list(cells[:2])
            if len(first_two) == 1:
                self.fields["organization"].initial = first_two[0].pk
        self.helper = _helper(_("Register"))
        self.helper.form_tag = False  # the page draws the <form>, which keeps its draft in the browser


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The registration's version when the page was drawn: the service refuses a decision over a newer one.
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the decision"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class YearRatingForm(forms.Form):
    """A plain form: year_rating_set creates the rating or updates the one that exists for that year."""

    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("Rating"), choices=YearRatingCode.choices)
    members_total = forms.IntegerField(label=_("Members rated"), min_value=0, required=False)
    members_completed = forms.IntegerField(label=_("HTNV or better"), min_value=0, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        self.helper = _helper(_("Save rating"))


class RecognitionDecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    signer = forms.CharField(label=_("Decided and signed by"), max_length=150)
    proposal = forms.CharField(
        label=_("Proposal"),
        max_length=150,
        required=False,
        help_text=_("The organizing board's submission, e.g. its number."),
    )
    registrations = forms.ModelMultipleChoiceField(
        label=_("Cells recognized"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = registrations
        self.fields["registrations"].label_from_instance = lambda r: r.organization.name
        self.helper = _helper(_("Record the decision"))


class AwardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardKind.choices)
    description = forms.CharField(label=_("What was granted"), max_length=255)
    amount = forms.DecimalField(label=_("Amount (VND)"), required=False, max_digits=14, decimal_places=0)
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE)
    reference = forms.CharField(label=_("Document"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add"))


# --- Item-by-item sheets (self-assessment, appraisal) --------------------------------------------
# These pages are not Django forms (one row of inputs per criterion), so what the user typed is kept
# here: on any refusal the page is drawn again from these values, with each message next to its field.


class EnteredLine:
    """What was typed for one criterion on a sheet, and the messages for its fields."""

    def __init__(self, request, criterion_id: int, names: dict[str, str]):
        key = str(criterion_id)
        self.entered = {field: request.POST.get(f"{prefix}{key}", "") for field, prefix in names.items()}
        self.upload = request.FILES.get(f"f_{key}")
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, messages) -> None:
        many = messages if isinstance(messages, list | tuple) else [messages]
        self.errors.setdefault(field, []).extend(str(m) for m in many)

    def add_validation_error(self, exc, field_map: dict[str, str]) -> None:
        """Put a service's ValidationError on the fields it names (the rest on the criterion as a whole)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add(field_map.get(name, "general"), [m for e in errors for m in e.messages])
        else:
            self.add("general", exc.messages)

    def number(self, field: str) -> str | None:
        """The typed number (a decimal comma accepted), None when empty; a message on the field when not a number."""
        text = self.entered.get(field, "").strip().replace(",", ".")
        if not text:
            return None
        try:
            valid = Decimal(text).is_finite()
        except InvalidOperation:
            valid = False
        if not valid:
            self.add(field, _("Enter a number."))
            return None
        return text

    def choice(self, field: str) -> bool | None:
        return {"1": True, "0": False}.get(self.entered.get(field, ""))

    @property
    def messages(self) -> list[str]:
        return [m for errors in self.errors.values() for m in errors]


class ProposalForm(forms.Form):
    """A grassroots committee's list of its cells' registrations (Y9)."""

    committee = forms.ModelChoiceField(label=_("Proposing committee"), queryset=Organization.objects.none())
    registrations = forms.ModelMultipleChoiceField(
        label=_("Registrations on the list"), queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    reference = forms.CharField(label=_("Document number"), max_length=60, required=False)
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DATE)

    def __init__(self, *args, committees, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["registrations"].queryset = registrations
        self.fields["registrations"].label_from_instance = _proposal_line
        self.helper = _helper(_("Send the list up"))


def _proposal_line(registration) -> str:
    eligible = (registration.eligibility or {}).get("eligible", True)
    return (
        f"{registration.organization.name} — {_('eligible') if eligible else _('does not meet the eligibility rules')}"
    )


class ListApprovalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a cell on the list does not meet the eligibility rules."),
    )


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)


class AwardEntryForm(AwardForm):
    """A commendation, reward or support entered on the list page: the recognized cell, then the award."""

    registration = forms.ModelChoiceField(label=_("Recognized cell"), queryset=Organization.objects.none())
    field_order = ["registration", "kind", "description", "amount", "granted_on", "reference"]

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations
        self.fields["registration"].label_from_instance = lambda r: f"{r.organization.name} · {r.campaign.name}"
        self.order_fields(self.field_order)
