"""How the journey is shown: the re-presentation warning, whether an episode ended well."""

from beacon.core.presenters import date_uk
from beacon.treatment.codes import is_successful_completion
from beacon.treatment.models import TreatmentEpisode


def representation_warning(episode: TreatmentEpisode | None) -> str:
    if episode is None:
        return ""
    return (
        "Re-presentation within 6 months of a successful completion on "
        f"{date_uk(episode.discharge_date)}"
    )


def successful(episode: TreatmentEpisode) -> bool:
    """For the templates: the episode ended in a successful completion."""
    return is_successful_completion(episode.discharge_reason)
