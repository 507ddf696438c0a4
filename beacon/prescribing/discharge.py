"""Prescribing's answer to treatment's "may this episode be discharged?" (registered with
beacon/treatment/hooks.py by `PrescribingConfig.ready()`)."""

import datetime

from django.core.exceptions import ValidationError

from beacon.prescribing.selectors import prescriptions_not_over
from beacon.treatment.codes import is_successful_completion
from beacon.treatment.models import TreatmentEpisode


def no_successful_completion_on_ost_prescription(
    episode: TreatmentEpisode, reason: str, *, on: datetime.date
) -> None:
    """NDTMS: opiate clients must not be on substitute medication at a successful exit.

    Refused while any of the client's prescriptions supplies on or after the discharge
    day `on` (current that day, or yet to start: an instalment from `on` is still due).
    One whose last day was before `on` ran its course and never blocks (H-10, H-21).
    """
    if not is_successful_completion(reason):
        return
    running = prescriptions_not_over(client=episode.client, on=on).order_by("start_date").first()
    if running is not None:
        last = running.last_day
        raise ValidationError(
            {
                "discharge_reason": "A successful completion is not possible while an opioid "
                f"substitution prescription still supplies (its last day is {last:%d/%m/%Y}): "
                "end it first, or discharge after its last day"
            }
        )
