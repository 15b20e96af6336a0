"""The staff page's forms: upload a workbook; choose an export."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}),
        help_text=_("It is checked first: nothing is written until you confirm."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("Upload and check"), css_class="btn-primary"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CHIBO_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)}
            )
        return upload


class ExportForm(forms.Form):
    export = forms.ChoiceField(label=_("Sheet"))
    org = forms.CharField(label=_("Organisation code"), max_length=50)

    def __init__(self, *args, exports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export"].choices = [(e.name, e.label) for e in exports]  # the value is the sheet's name
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.add_input(Submit("go", _("Export")))
