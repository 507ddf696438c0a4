"""The dashboard's period and filters."""

import datetime

from django import forms
from django.utils import timezone

from beacon.core.forms import PeriodForm
from beacon.reporting.selectors.kpis import kpi_period


class KpiDashboardForm(PeriodForm):
    """A period (by default the 12 months to today: `kpi_period`), and a site or a team."""

    site = forms.ModelChoiceField(
        queryset=None, required=False, label="Site", empty_label="All sites"
    )
    team = forms.ModelChoiceField(
        queryset=None, required=False, label="Team", empty_label="All teams"
    )

    def __init__(self, *args, sites, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["team"].queryset = teams

    def period(self) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data if self.is_valid() else {}
        return kpi_period(data.get("first"), data.get("last"), today=timezone.localdate())

    def chosen(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None
