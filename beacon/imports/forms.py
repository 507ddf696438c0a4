"""Forms of the imports app: the upload of an old system's files, and the report's filter."""

from django import forms
from django.conf import settings

from beacon.core.forms import FilterForm, Form
from beacon.imports.formats import FILES
from beacon.imports.models import HistoryImport


class UploadForm(Form):
    source = forms.CharField(
        label="Which system the files come from",
        max_length=60,
        help_text="For example the name of the old case-management system. A second import "
        "from the same system finds the records the first one brought",
    )
    file = forms.FileField(
        label="Workbook or ZIP file",
        help_text="An XLSX workbook with a sheet a file, or a ZIP of the CSV files "
        "(docs/import.md describes them)",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BEACON_IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {settings.BEACON_IMPORT_MAX_MB} MB: split it"
            )
        return upload


class ImportFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *list(HistoryImport.Status.choices)], required=False
    )


class ProblemFilterForm(FilterForm):
    file = forms.ChoiceField(
        label="File", choices=[("", "Any")] + [(f.name, f.name) for f in FILES], required=False
    )
