"""Forms of the meetings part. Thin: services validate and write."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.concurrency import VersionField
from cells.forms import DateInput
from cells.models import CELL_LEVELS, Organization
from cells.people import use_person_picker
from criteria.scoring import Rubric

from ..evidence import validate_evidence
from .models import (
    DATE_FACTS,
    Meeting,
    MeetingKind,
    ModelMeetingDesignation,
    SupervisionTeam,
    ThematicPlanItem,
    ThematicTopic,
    meeting_kinds_for,
)

DATE_INPUT = DateInput()  # dd/mm/yyyy whatever the phone's language
# A grassroots organisation's meeting counts its attendance (no roster to tick).
COUNT_FIELDS = ("members_total", "members_present", "members_excused", "members_unexcused")


class MeetingForm(forms.ModelForm):
    """What the secretary records about a meeting; attendance and agenda come in beside it.

    ``version`` carries the meeting's version to the service, which refuses a save over someone else's."""

    version = VersionField()
    # The browser draft's id, filled in by static/js/drafts.js: the same record sent twice is saved once.
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-draft-id": ""}))

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "date",
            "topic",
            "subject",
            "designation",
            "duration_minutes",
            "members_spoke",
            "documents_sent_on",
            "minutes_filed_on",
            "guests",
            "attending_supervisor",
            "minutes_text",
            "minutes_file",
            "lessons_learned",
        ]
        widgets = {
            "date": DATE_INPUT,
            "documents_sent_on": DATE_INPUT,
            "minutes_filed_on": DATE_INPUT,
            "members_spoke": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            "duration_minutes": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            "guests": forms.Textarea(attrs={"rows": 2}),
            "minutes_text": forms.Textarea(attrs={"rows": 6}),
            # Not Django's ClearableFileInput: its "Currently:" links the file's storage address, which is never
            # served (private uploads go through the minutes view, in scope) and reads as a path, not a name.
            "minutes_file": forms.FileInput(),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args, cell: Organization, supervisors, counts: tuple[int, int, int, int] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.cell = cell
        # The attendance counts the roster's taps give (services.recording.attendance_counts): the model's
        # checks of the speakers against the members present read them. Not for a committee's own meeting,
        # whose counts are typed.
        self.counts = counts if cell.is_cell else None
        kinds = meeting_kinds_for(cell)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in MeetingKind if kind in kinds]
        if not self.instance.pk and self.initial.get("kind", self.fields["kind"].initial) not in kinds:
            self.initial["kind"] = kinds[0] if kinds else None
        if not cell.is_cell:
            # A committee or a whole organisation has no roster here: its attendance is counted, not ticked.
            for name in COUNT_FIELDS:
                self.fields[name] = Meeting._meta.get_field(name).formfield(min_value=0)
                self.initial.setdefault(name, getattr(self.instance, name))
        for name in ("date", "documents_sent_on", "minutes_filed_on"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["documents_sent_on"].help_text = _("The day the meeting's documents went to the members.")
        self.fields["minutes_filed_on"].help_text = _("The day the signed minutes were filed.")
        self.fields["members_spoke"].help_text = _("How many of the members present spoke.")
        self.fields["topic"].queryset = ThematicTopic.objects.filter(is_active=True)
        self.fields["topic"].help_text = _("Required for a thematic meeting.")
        self.fields["designation"].queryset = ModelMeetingDesignation.objects.filter(organization=cell)
        self.fields["designation"].help_text = _("For a model meeting: the designation it answers.")
        use_person_picker(self.fields["attending_supervisor"], supervisors)
        self.fields["lessons_learned"].help_text = _("For a model meeting: the lessons drawn afterwards.")
        if not self.initial.get("date") and not self.instance.pk:
            self.initial["date"] = timezone.localdate()
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if upload and getattr(upload, "size", 0) > settings.CHIBO_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        if upload and hasattr(upload, "read"):
            validate_evidence(upload)  # the same content checks as evidence (the service checks again)
        return upload

    def clean(self):
        data = super().clean()
        if self.counts is not None:
            instance = self.instance
            (instance.members_total, instance.members_present, instance.members_excused, instance.members_unexcused) = (
                self.counts
            )
        kind, date = data.get("kind"), data.get("date")
        if kind and date and (taken := Meeting.taken_refusal(self.cell.pk, date, kind, self.instance.pk)):
            self.add_error("date", taken)
        if kind == MeetingKind.THEMATIC and not data.get("topic"):
            self.add_error("topic", _("A thematic meeting needs a topic group."))
        facts = Meeting(
            date=date,
            documents_sent_on=data.get("documents_sent_on"),
            minutes_filed_on=data.get("minutes_filed_on"),
        )
        for name, message in facts.fact_errors().items():
            self.add_error(name, message)
        return data


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=500, required=False)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstain"), min_value=0, required=False)


AgendaFormSet = forms.formset_factory(AgendaForm, extra=2, max_num=30)


def field_name(prefix: str, code: str) -> str:
    return f"{prefix}_{code.replace('.', '_').replace('-', '_')}"


class ScoreForm(forms.Form):
    """One field per applicable leaf criterion of the rubric: points, or achieved for a pass/fail item.

    ``prefix_char`` "c" is the self-assessment; "a" the appraisal (which also has a reason per item).
    ``version`` carries the meeting's version to the service, which refuses a save over someone else's.
    """

    def __init__(
        self,
        *args,
        rubric: Rubric,
        applicable: set[str],
        initial_values: dict,
        mode: str = "c",
        self_display: dict | None = None,
        version: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField(initial=version)
        self.rubric = rubric
        self.mode = mode
        self.self_display = self_display or {}
        self.leaves = [c for c in rubric.leaves() if c.code in applicable]
        for criterion in self.leaves:
            name = field_name(mode, criterion.code)
            value = initial_values.get(criterion.code)
            if criterion.is_scored:
                self.fields[name] = forms.DecimalField(
                    label=f"{criterion.code}. {criterion.title}",
                    min_value=0,
                    max_value=criterion.max_points,
                    decimal_places=2,
                    required=False,
                    initial=value,
                    widget=forms.NumberInput(
                        attrs={"step": "0.5", "min": "0", "max": str(criterion.max_points), "inputmode": "decimal"}
                    ),
                )
            else:
                self.fields[name] = forms.BooleanField(
                    label=f"{criterion.code}. {criterion.title}", required=False, initial=bool(value)
                )
            if mode == "a":
                self.fields[field_name("r", criterion.code)] = forms.CharField(
                    label=_("Reason for the change"), required=False, max_length=1000
                )

    def values(self) -> dict:
        return {c.code: self.cleaned_data.get(field_name(self.mode, c.code)) for c in self.leaves}

    def reasons(self) -> dict:
        return {c.code: self.cleaned_data.get(field_name("r", c.code)) or "" for c in self.leaves}

    def groups(self):
        """[(top-level criterion, [rows])] in rubric order: the phone shows one group at a time."""
        by_code = self.rubric.by_code()
        groups: dict[str, list] = {}
        for row in self.rows():
            top = row[0]
            while top.parent_code in by_code:
                top = by_code[top.parent_code]
            groups.setdefault(top.code, []).append(row)
        return [(by_code[code], rows) for code, rows in groups.items()]

    def rows(self):
        """(criterion, value field, reason field or None, self-assessed value) for the template, in rubric order."""
        for criterion in self.leaves:
            reason = self[field_name("r", criterion.code)] if self.mode == "a" else None
            yield criterion, self[field_name(self.mode, criterion.code)], reason, self.self_display.get(criterion.code)


class FactsForm(forms.Form):
    """The appraiser's view of the facts the rubric's computed items read (WORKBOOK v3): each with the value
    that counts now (the record, or an earlier correction) and a reason, required by the service when the
    value differs from the record. Field names ``f_<fact>`` and ``fr_<fact>``."""

    def __init__(self, *args, meeting: Meeting, facts: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.facts = facts
        current = meeting.final_facts()
        corrections = meeting.fact_corrections or {}
        for name in facts:
            label = Meeting._meta.get_field(name).verbose_name
            if name in DATE_FACTS:
                field = forms.DateField(
                    label=label,
                    required=False,
                    widget=DateInput(attrs={"class": "form-control w-auto"}),
                    input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                )
            else:
                field = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control w-auto"}),
                )
            field.initial = current[name]
            self.fields[f"f_{name}"] = field
            self.fields[f"fr_{name}"] = forms.CharField(
                label=_("Reason for the correction"),
                required=False,
                max_length=1000,
                initial=corrections.get(name, {}).get("reason", ""),
            )

    def rows(self):
        """(fact name, value field, reason field, the recorded value) for the template."""
        recorded = self.meeting.recorded_facts()
        for name in self.facts:
            yield name, self[f"f_{name}"], self[f"fr_{name}"], recorded[name]

    def changes(self) -> dict:
        """fact -> (value, reason) for the service."""
        return {
            name: (self.cleaned_data.get(f"f_{name}"), self.cleaned_data.get(f"fr_{name}") or "") for name in self.facts
        }

    def typed_facts(self) -> dict:
        """The facts as typed so far (for the live total), the stored ones where a value cannot be read."""
        facts = self.meeting.final_facts()
        for name in self.facts:
            field = self.fields[f"f_{name}"]
            raw = self[f"f_{name}"].value()
            try:
                facts[name] = field.clean(raw)
            except forms.ValidationError:
                continue
        return facts


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Confirm")))


class AssignmentForm(forms.Form):
    cell = forms.ModelChoiceField(label=_("Cell"), queryset=Organization.objects.none())
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=get_user_model().objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=SupervisionTeam.objects.none(), required=False)
    valid_from = forms.DateField(label=_("From"), widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    valid_to = forms.DateField(
        label=_("Until"), widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"], required=False
    )

    def __init__(self, *args, committee: Organization, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = Organization.objects.filter(
            path__startswith=committee.path, level__in=CELL_LEVELS, is_active=True
        ).order_by("name_folded")
        use_person_picker(self.fields["supervisor"], users)
        self.fields["team"].queryset = SupervisionTeam.objects.filter(owner__path__startswith=committee.path)
        self.initial.setdefault("valid_from", timezone.localdate())
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Assign")))

    def clean(self):
        data = super().clean()
        if bool(data.get("supervisor")) == bool(data.get("team")):
            raise forms.ValidationError(_("Choose either a supervisor or a team."))
        return data


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    basis = forms.CharField(label=_("Decision"), max_length=255, required=False)
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=get_user_model().objects.none())

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        use_person_picker(self.fields["members"], users)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


def _month_choices():
    return [(m, f"{m:02d}") for m in range(1, 13)]


class GuidanceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), choices=_month_choices, coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    body = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        next_month = timezone.localdate().replace(day=1) + datetime.timedelta(days=32)
        self.initial.setdefault("year", next_month.year)
        self.initial.setdefault("month", next_month.month)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Issue")))


class DesignationForm(forms.ModelForm):
    class Meta:
        model = ModelMeetingDesignation
        fields = ["organization", "year", "quarter", "kind", "invitees"]
        widgets = {"invitees": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, committee: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            path__startswith=committee.path, level__in=CELL_LEVELS, is_active=True
        ).order_by("name_folded")
        self.fields["quarter"].widget = forms.Select(choices=[(q, q) for q in range(1, 5)])
        self.initial.setdefault("year", timezone.localdate().year)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Designate")))

    def validate_unique(self):
        # designated_by is set by the view; the service validates the rest.
        pass


class ThematicPlanForm(forms.ModelForm):
    class Meta:
        model = ThematicPlanItem
        fields = ["quarter", "topic", "subject"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].widget = forms.Select(choices=[(q, q) for q in range(1, 5)])
        self.fields["topic"].queryset = ThematicTopic.objects.filter(is_active=True)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Add to the plan")))


class RankingFilterForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Committee"), queryset=Organization.objects.none(), required=False)
    period = forms.CharField(label=_("Period"), max_length=10, required=False, help_text=_("2024-03, 2024-Q1 or 2024"))
    cell_type = forms.ChoiceField(label=_("Cell type"), required=False)

    def __init__(self, *args, committees, cell_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = committees
        self.fields["cell_type"].choices = [("", _("All types"))] + [(ct.code, ct.name) for ct in cell_types]
