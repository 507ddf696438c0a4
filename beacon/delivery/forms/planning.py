"""Forms of delivery planning: pick a day, move a stop to another round."""

from django import forms

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form


class PlanDayForm(Form):
    date = DayMonthYearField(label="Day")


class MoveStopForm(Form):
    stop = forms.TypedChoiceField(label="Stop", coerce=int, choices=())
    round = forms.TypedChoiceField(label="Move to the round of", coerce=int, choices=())

    def __init__(self, *args, plan: dict, **kwargs):
        super().__init__(*args, **kwargs)
        stops = [s for entry in plan["rounds"] for s in entry["stops"]] + plan["unassigned"]
        self.fields["stop"].choices = [("", "Choose…")] + [
            (s.pk, f"{s.parcel_number} {s.client.full_name}") for s in stops
        ]
        self.fields["round"].choices = [("", "Choose…")] + [
            (
                entry["round"].pk,
                f"{entry['round'].shift.driver.display_name} "
                f"({entry['round'].shift.vehicle.registration})",
            )
            for entry in plan["rounds"]
        ]
