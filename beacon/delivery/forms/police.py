"""Form of the police notice: record that the day's notice was sent (to whom, how, when)."""

import datetime

from django import forms
from django.utils import timezone

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form
from beacon.delivery.models import PoliceNoticeSent


class PoliceNoticeSentForm(Form):
    sent_to = forms.CharField(
        label="Sent to",
        max_length=200,
        help_text="The force, station or email address",
        error_messages={"required": "Enter who the notice was sent to"},
    )
    method = forms.ChoiceField(
        label="How", choices=[("", "Choose…"), *PoliceNoticeSent.Method.choices]
    )
    sent_on = DayMonthYearField(label="Date sent", required=False, help_text="Today if blank")
    sent_time = forms.TimeField(label="Time sent", required=False, help_text="Now if blank")
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["sent_on"].initial = now.date()
        self.fields["sent_time"].initial = now.strftime("%H:%M")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        on, at = data.pop("sent_on", None), data.pop("sent_time", None)
        if on or at:
            now = timezone.localtime()
            data["sent_at"] = datetime.datetime.combine(
                on or now.date(),
                at or now.time().replace(microsecond=0),
                tzinfo=timezone.get_current_timezone(),
            )
        return data
