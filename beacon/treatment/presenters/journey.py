"""How the journey is shown: the re-presentation warnings, whether an episode ended well."""

from beacon.core.presenters import date_uk
from beacon.treatment.codes import is_successful_completion
from beacon.treatment.models import TreatmentEpisode
from beacon.treatment.selectors.journey import REPRESENTATION_HINT, representation_window_end

__all__ = ["REPRESENTATION_HINT"]


def representation_warning(episode: TreatmentEpisode | None) -> str:
    """The flag of a triaged referral that re-presents (selectors.journey.with_representation)."""
    if episode is None:
        return ""
    return (
        "Re-presentation within 6 months of a successful completion on "
        f"{date_uk(episode.discharge_date)}"
    )


def representation_if_triaged_warning(episode: TreatmentEpisode | None) -> str:
    """Beside a referral not yet triaged: a triage by the window's end would re-present."""
    if episode is None:
        return ""
    return (
        f"If triaged on or before {date_uk(representation_window_end(episode.discharge_date))}, "
        "this is a re-presentation within 6 months of the successful completion on "
        f"{date_uk(episode.discharge_date)}"
    )


def successful(episode: TreatmentEpisode) -> bool:
    """For the templates: the episode ended in a successful completion."""
    return is_successful_completion(episode.discharge_reason)
