"""Forms of the caseload and the lists of what is due: search by client, filter by keyworker."""

from django import forms


class ListSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, NHS number or client number",
        required=False,
        max_length=100,
        help_text="For example: Sam Rivers or BCN000123",
    )


class CaseloadFilterForm(forms.Form):
    keyworker = forms.ModelChoiceField(
        queryset=None, required=False, label="Keyworker", empty_label="Everyone in the service"
    )

    def __init__(self, *args, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].queryset = keyworkers
        self.fields["keyworker"].label_from_instance = lambda user: user.display_name


def list_search(data) -> tuple[ListSearchForm, str]:
    """The search form of a list, bound to the query string, and the search typed (if valid)."""
    form = ListSearchForm(data or None)
    return form, (form.cleaned_data["q"] if form.is_valid() else "")
