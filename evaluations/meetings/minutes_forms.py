"""Forms of the preparation checklist, the minutes, the votes and the minutes template. Thin: the services
in services/minutes.py validate and write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cells.concurrency import VersionField
from cells.forms import DateInput
from cells.selectors import roster as roster_of

from ..evidence import validate_evidence
from .minutes import ChecklistLine
from .minutes_models import PreparationFact
from .models import Meeting, MeetingKind, ThematicTopic

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("save", label))
    return helper


class PreparationForm(forms.Form):
    """One date per step of the checklist: the day it was done (empty: not done)."""

    version = VersionField()

    def __init__(self, *args, lines: list[ChecklistLine], meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.initial["version"] = meeting.version
        for line in lines:
            help_text = ""
            if line.step.days_before is not None:
                help_text = _("At least %(days)s day(s) before the meeting.") % {"days": line.step.days_before}
            self.fields[f"step_{line.step.pk}"] = forms.DateField(
                label=line.step.title,
                required=False,
                input_formats=DATE_FORMATS,
                widget=DateInput(),
                help_text=help_text,
                initial=line.done_on,
            )
        self.helper = _helper(_("Save the checklist"))

    def done(self) -> dict[int, object]:
        return {line.step.pk: self.cleaned_data.get(f"step_{line.step.pk}") for line in self.lines}


class PrepareForm(forms.Form):
    """A meeting to come: its day and kind, so the secretary can tick its preparation before it is held."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(MeetingKind.REGULAR, MeetingKind.REGULAR.label), (MeetingKind.THEMATIC, MeetingKind.THEMATIC.label)],
    )
    date = forms.DateField(label=_("Date of the meeting"), input_formats=DATE_FORMATS, widget=DateInput())
    topic = forms.ModelChoiceField(label=_("Topic group"), queryset=ThematicTopic.objects.none(), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=500, required=False)

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell = cell
        self.fields["topic"].queryset = ThematicTopic.objects.filter(is_active=True)
        self.fields["topic"].help_text = _("Required for a thematic meeting.")
        self.helper = _helper(_("Prepare the meeting"))

    def clean(self):
        data = super().clean()
        kind, date = data.get("kind"), data.get("date")
        if kind and date and (taken := Meeting.taken_refusal(self.cell.pk, date, kind)):
            self.add_error("date", taken)
        if kind == MeetingKind.THEMATIC and not data.get("topic"):
            self.add_error("topic", _("A thematic meeting needs a topic group."))
        return data


class MinutesForm(forms.Form):
    """What the minutes say beside the record: place, time, chair, secretary, discussion, conclusions."""

    version = VersionField()
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    started_at = forms.TimeField(label=_("Started at (hh:mm)"), required=False, input_formats=["%H:%M", "%Hh%M", "%H"])
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=None, required=False)
    recorder = forms.ModelChoiceField(label=_("Secretary of the meeting"), queryset=None, required=False)
    minutes_text = forms.CharField(
        label=_("Discussion (what members said)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    conclusions = forms.CharField(
        label=_("Conclusions of the chair"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = roster_of(meeting.organization)
        self.fields["chair"].queryset = members
        self.fields["recorder"].queryset = members
        for name in ("place", "started_at", "minutes_text", "conclusions"):
            self.initial.setdefault(name, getattr(meeting, name))
        self.initial.setdefault("chair", meeting.chair_id)
        self.initial.setdefault("recorder", meeting.recorder_id)
        self.initial["version"] = meeting.version
        self.helper = _helper(_("Save the minutes"))


class SignedMinutesForm(forms.Form):
    """The photo or scan of the signed minutes, and the day it is filed."""

    upload = forms.FileField(label=_("Photo or scan of the signed minutes"))
    filed_on = forms.DateField(
        label=_("Filed on"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["accept"] = "image/*,application/pdf"
        self.helper = _helper(_("Attach"))

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            validate_evidence(upload)  # the same content checks as evidence (the service checks again)
        return upload


class VotesForm(forms.Form):
    """For, against and abstain on each item of the agenda."""

    version = VersionField()

    def __init__(self, *args, meeting: Meeting, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.initial["version"] = meeting.version
        for item in self.items:
            for name, label in (("for", _("For")), ("against", _("Against")), ("abstain", _("Abstain"))):
                self.fields[f"item_{item.pk}_{name}"] = forms.IntegerField(
                    label=label, min_value=0, max_value=9999, initial=getattr(item, f"votes_{name}")
                )

    def rows(self):
        return [
            (item, [self[f"item_{item.pk}_{name}"] for name in ("for", "against", "abstain")]) for item in self.items
        ]

    def votes(self):
        from .services.minutes import Vote

        data = self.cleaned_data
        return {
            item.pk: Vote(data[f"item_{item.pk}_for"], data[f"item_{item.pk}_against"], data[f"item_{item.pk}_abstain"])
            for item in self.items
        }


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=300)
    fact = forms.ChoiceField(label=_("Meeting fact it sets"), choices=PreparationFact.choices, required=False)
    days_before = forms.IntegerField(
        label=_("At least this many days before the meeting"), min_value=0, max_value=60, required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the step"))


class MinutesTemplateForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=100)
    heading = forms.CharField(label=_("Heading"), max_length=300)
    opening = forms.CharField(label=_("Opening paragraph"), widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.CharField(label=_("Closing paragraph"), widget=forms.Textarea(attrs={"rows": 3}))
    chair_label = forms.CharField(label=_("Chair's signature label"), max_length=100)
    secretary_label = forms.CharField(label=_("Secretary's signature label"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the wording"))
