"""Forms of the caseload and the lists of what is due: search by client; filter by team,
keyworker, status and what is due."""

from django import forms

from beacon.clients.forms import ClientFilterForm
from beacon.core.forms import Form
from beacon.treatment.selectors.caseload import CaseloadStatus, DueFilter


class ListSearchForm(Form):
    q = forms.CharField(
        label="Name, NHS number or client number",
        required=False,
        max_length=100,
        help_text="For example: Sam Rivers or BCN000123",
    )


class ListFilterForm(ClientFilterForm):
    """A list of clients' filters (for a manager, given `teams` and `keyworkers`, a team and
    a keyworker too)."""

    anyone = "Everyone in the service"
    q = ListSearchForm.base_fields["q"]


class CaseloadFilterForm(ListFilterForm):
    """The caseload's filters: a list's, and the clients' status and what is due."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *CaseloadStatus.choices], required=False, label="Status"
    )
    due = forms.ChoiceField(
        choices=[("", "Anything or nothing"), *DueFilter.choices], required=False, label="Due"
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            **super().filters(),
            "status": data.get("status", ""),
            "due": data.get("due", ""),
        }


def list_search(data) -> tuple[ListSearchForm, str]:
    """The search form of a list, bound to the query string, and the search typed (if valid)."""
    form = ListSearchForm(data or None)
    return form, (form.cleaned_data["q"] if form.is_valid() else "")
