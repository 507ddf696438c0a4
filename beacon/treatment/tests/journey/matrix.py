"""Authorization matrix rows for treatment: journey (see beacon/core/tests/matrix.py).

Prescribers and nurses read a client's journey but do not record it; keyworkers
(their team's clients) and managers do both; no one else opens either.
"""

from beacon.core.tests.matrix import CLIENT_READERS, CLIENT_WRITERS, outcome_for
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
)


def samples(base: dict) -> dict:
    """An open episode with a modality, its referral triaged and assessed (to correct)."""
    client = base["client"]
    episode = TreatmentEpisodeFactory(client=client, assessed=False)
    TriageFactory(referral=episode.referral)
    AssessmentFactory(referral=episode.referral)
    modality = ModalityFactory(episode=episode)
    return {
        "client_number": client.client_number,
        "referral_id": episode.referral_id,
        "episode_id": episode.pk,
        "modality_id": modality.pk,
    }


READ = outcome_for(CLIENT_READERS)
RECORD = outcome_for(CLIENT_WRITERS)

PAGES = {
    "treatment/clients/<str:client_number>/": ("GET", READ),
    "treatment/clients/<str:client_number>/referrals/new/": ("GET", RECORD),
    "treatment/referrals/<int:referral_id>/edit/": ("GET", RECORD),
    "treatment/referrals/<int:referral_id>/triage/": ("GET", RECORD),
    "treatment/referrals/<int:referral_id>/triage/edit/": ("GET", RECORD),
    "treatment/referrals/<int:referral_id>/assessment/": ("GET", RECORD),
    "treatment/referrals/<int:referral_id>/assessment/edit/": ("GET", RECORD),
    "treatment/referrals/<int:referral_id>/episode/": ("GET", RECORD),
    "treatment/episodes/<int:episode_id>/edit/": ("GET", RECORD),
    "treatment/episodes/<int:episode_id>/modalities/new/": ("GET", RECORD),
    "treatment/modalities/<int:modality_id>/edit/": ("GET", RECORD),
    "treatment/episodes/<int:episode_id>/discharge/": ("GET", RECORD),
}
API: dict = {}
