"""Prescribing's answer to treatment's "may this episode be discharged?" (registered with
beacon/treatment/hooks.py by `PrescribingConfig.ready()`)."""

from django.core.exceptions import ValidationError

from beacon.prescribing.selectors import has_active_prescription
from beacon.treatment.codes import is_successful_completion
from beacon.treatment.models import TreatmentEpisode


def no_successful_completion_on_ost_prescription(episode: TreatmentEpisode, reason: str) -> None:
    # NDTMS: opiate clients must not be on substitute medication at a successful exit.
    if not is_successful_completion(reason):
        return
    if has_active_prescription(episode=episode):
        raise ValidationError(
            {
                "discharge_reason": "A successful completion is not possible while an opioid "
                "substitution prescription is active: end it first"
            }
        )
