"""Staff forms for the organisation tree, rosters, officers and roles (django-crispy-forms)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .concurrency import VersionConflict, show_version_conflict
from .models import CELL_LEVELS, CellType, Member, Organization, Position, Role


def show_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form that fed it: on the fields it names, else on top.

    Every view that calls a service with a form's data uses this, so what the user typed stays on the
    page with the message beside it. A version conflict also refreshes the form's hidden version."""
    if isinstance(exc, VersionConflict):
        show_version_conflict(form, exc)
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DateInput(forms.DateInput):
    """A date typed and shown dd/mm/yyyy whatever the phone's language. A native date picker would show
    mm/dd/yyyy on a phone set to English, so this is a text field for digits; static/js/app.js adds the
    slashes while typing. The server also accepts ISO dates (config/formats)."""

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "data-date-input": "",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class CrispyMixin:
    submit_label = _("Save")

    def _setup_helper(self) -> None:
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn-primary"))


class OrganizationForm(CrispyMixin, forms.ModelForm):
    """Create an organisation under a parent, or edit one's attributes (the name change is a rename)."""

    effective_on = forms.DateField(
        label=_("New name takes effect on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when the name changes: earlier periods keep the old name."),
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "level",
            "cell_type",
            "committee_size",
            "deputy_slots",
            "sign",
            "place",
            "signer_name",
            "signer_position",
        ]
        help_texts = {
            "committee_size": _("Seats on the committee, secretary and deputies included; 0 if none."),
        }

    def __init__(self, *args, parent: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent if parent is not None else self.instance.parent
        self.fields["cell_type"].queryset = CellType.objects.all()
        self.fields["cell_type"].required = False
        if self.instance.pk is None:
            del self.fields["effective_on"]
        self._setup_helper()

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level in CELL_LEVELS and not data.get("cell_type"):
            self.add_error("cell_type", _("A cell must have a cell type."))
        if level and level not in CELL_LEVELS:
            data["cell_type"] = None
        if (
            self.instance.pk
            and data.get("name")
            and data["name"].strip() != self.instance.name
            and not data.get("effective_on")
        ):
            self.add_error("effective_on", _("Say from which date the new name applies."))
        return data


class MoveForm(CrispyMixin, forms.Form):
    submit_label = _("Move")
    new_parent = forms.ModelChoiceField(label=_("New parent organisation"), queryset=Organization.objects.none())
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason or decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = choices
        self._setup_helper()


class MergeForm(CrispyMixin, forms.Form):
    submit_label = _("Merge")
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Organization.objects.none())
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason or decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = choices
        self._setup_helper()


class MemberForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = ["code", "full_name", "status", "exempt", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class OfficerForm(CrispyMixin, forms.Form):
    submit_label = _("Appoint")
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    started_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self._setup_helper()


class RoleAssignForm(CrispyMixin, forms.Form):
    """Give a role to an existing account, or open an account for a new person."""

    submit_label = _("Assign")
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    valid_from = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    full_name = forms.CharField(label=_("Full name (new account)"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email (new account)"), required=False)
    password = forms.CharField(
        label=_("Initial password (new account)"), required=False, widget=forms.PasswordInput(render_value=True)
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        if not organization.is_cell:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.SECRETARY]
        self._setup_helper()

    def clean(self):
        data = super().clean()
        username = (data.get("username") or "").strip()
        user_model = get_user_model()
        self.existing_user = user_model.objects.filter(username=username).first()
        if username and self.existing_user is None:
            if not data.get("full_name"):
                self.add_error("full_name", _("No account has this username: give the new person's full name."))
            if not data.get("password"):
                self.add_error("password", _("No account has this username: set an initial password."))
            else:
                try:
                    validate_password(data["password"])
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class AuditFilterForm(forms.Form):
    """The trail's filters: a part of the tree, a person, an action, dates (all optional)."""

    organization = forms.ModelChoiceField(
        label=_("Organisation and its subtree"), queryset=Organization.objects.none(), required=False
    )
    person = forms.CharField(label=_("Person (name or username)"), max_length=100, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, organizations, **kwargs):
        from .audit_labels import action_choices

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data


class ReorganizationStepForm(forms.Form):
    """One line of a reorganisation plan; an empty line is skipped."""

    date = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    action = forms.ChoiceField(label=_("Change"), required=False)
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none(), required=False)
    new_name = forms.CharField(label=_("New name"), max_length=255, required=False)
    target = forms.ModelChoiceField(
        label=_("New parent or successor"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, choices=None, **kwargs):
        from .reorganization import StepAction

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—"), *StepAction.choices]
        if choices is not None:
            self.fields["organization"].queryset = choices
            self.fields["target"].queryset = choices

    def clean(self):
        from .reorganization import StepAction

        data = super().clean()
        if not data.get("organization") and not data.get("action"):
            return data
        if not data.get("date"):
            self.add_error("date", _("Say from which day the change applies."))
        if not data.get("organization"):
            self.add_error("organization", _("Choose the organisation."))
        action = data.get("action")
        if not action:
            self.add_error("action", _("Choose the change."))
        if action == StepAction.RENAME and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Write the new name."))
        if action in (StepAction.MOVE, StepAction.MERGE) and not data.get("target"):
            self.add_error("target", _("Choose the new parent or the successor."))
        return data


ReorganizationFormSet = forms.formset_factory(ReorganizationStepForm, extra=6, max_num=100)


class PreferenceForm(CrispyMixin, forms.Form):
    """The user's own choices: the interface language (Vietnamese unless English is chosen here)."""

    language = forms.ChoiceField(
        label=_("Interface language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("The product is in Vietnamese whatever the phone's language; choose English only if you need it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()
