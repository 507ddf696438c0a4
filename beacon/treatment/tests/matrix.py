"""Authorization matrix rows for the treatment app (see beacon/core/tests/matrix.py): the pages
of each concept from tests/<concept>/matrix.py, and the API's rows here.

API route parameters share their names with the pages (`referral_id`, `episode_id`,
`modality_id`, `plan_id`, `top_id`), so one sample serves both: a record a concept already
made is reused, and only a missing one is made here, for the base client (on the keyworker's
caseload). The exit plan read needs one on the client's open episode, so one is made there.
"""

from beacon.core.tests.matrix import (
    CLIENT_READERS,
    CLIENT_WRITERS,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)
from beacon.treatment.models import ExitPlan, TreatmentEpisode
from beacon.treatment.selectors.journey import open_episode
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    ModalityFactory,
    RecoveryPlanFactory,
    TopFactory,
    TreatmentEpisodeFactory,
)
from beacon.treatment.tests.journey import matrix as journey_matrix
from beacon.treatment.tests.plans import matrix as plans_matrix


def _api_samples(base: dict) -> dict:
    client = base["client"]
    values = {}
    if "episode_id" in base:
        episode = TreatmentEpisode.objects.get(pk=base["episode_id"])
    else:
        episode = TreatmentEpisodeFactory(client=client)
        values["episode_id"] = episode.pk
    if "referral_id" not in base:
        values["referral_id"] = episode.referral_id
    if "modality_id" not in base:
        values["modality_id"] = ModalityFactory(episode=episode).pk
    # The exit plan read is that of the client's open episode, whichever part made it.
    open_now = open_episode(client=client) or TreatmentEpisodeFactory(client=client)
    if not ExitPlan.objects.filter(episode=open_now).exists():
        ExitPlanFactory(episode=open_now)
    if "plan_id" not in base:
        values["plan_id"] = RecoveryPlanFactory(episode=open_now).pk
    if "top_id" not in base:
        values["top_id"] = TopFactory(episode=open_now).pk
    return values


API_READ = outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED)
# Writes without a body: a role that may never record is refused before the body is read
# (403); one that may gets 422. The journey (`treatment.record_journey`): keyworkers and
# managers; plans and exit plans (`treatment.record_plan`) prescribers too; TOPs
# (`treatment.record_top`) nurses too. Which clients a keyworker may record for is pinned
# in beacon/treatment/tests/journey/test_api.py, beacon/treatment/tests/plans/test_api.py,
# beacon/treatment/tests/tops/test_api.py and
# beacon/treatment/tests/journey/test_api_corrections.py.
API_RECORD = api_write_for(CLIENT_WRITERS)
API_RECORD_PLAN = api_write_for({*CLIENT_WRITERS, "prescriber"})
API_RECORD_TOP = api_write_for({*CLIENT_WRITERS, "nurse"})

_API_ROWS = {
    "api/v1/treatment/clients/<str:client_number>/referrals": ("GET", API_READ),
    "api/v1/treatment/referrals/<int:referral_id>": ("GET", API_READ),
    "api/v1/treatment/referrals/<int:referral_id>/triage": ("POST", API_RECORD),
    "api/v1/treatment/referrals/<int:referral_id>/assessment": ("POST", API_RECORD),
    "api/v1/treatment/referrals/<int:referral_id>/episode": ("POST", API_RECORD),
    "api/v1/treatment/episodes/<int:episode_id>": ("GET", API_READ),
    "api/v1/treatment/episodes/<int:episode_id>/discharge": ("POST", API_RECORD),
    "api/v1/treatment/episodes/<int:episode_id>/modalities": ("GET", API_READ),
    "api/v1/treatment/modalities/<int:modality_id>": ("GET", API_READ),
    "api/v1/treatment/clients/<str:client_number>/plans": ("GET", API_READ),
    "api/v1/treatment/plans/<int:plan_id>": ("GET", API_READ),
    "api/v1/treatment/plans/<int:plan_id>/reviews": ("POST", API_RECORD_PLAN),
    "api/v1/treatment/clients/<str:client_number>/exit-plan": ("GET", API_READ),
    "api/v1/treatment/clients/<str:client_number>/exit-plan/reviews": ("POST", API_RECORD_PLAN),
    "api/v1/treatment/clients/<str:client_number>/tops": ("GET", API_READ),
    "api/v1/treatment/tops/<int:top_id>": ("GET", API_READ),
}
_API_WRITES = {
    "api/v1/treatment/clients/<str:client_number>/referrals": ("POST", API_RECORD),
    "api/v1/treatment/referrals/<int:referral_id>": ("PATCH", API_RECORD),
    "api/v1/treatment/referrals/<int:referral_id>/triage": ("PATCH", API_RECORD),
    "api/v1/treatment/referrals/<int:referral_id>/assessment": ("PATCH", API_RECORD),
    "api/v1/treatment/episodes/<int:episode_id>": ("PATCH", API_RECORD),
    "api/v1/treatment/episodes/<int:episode_id>/modalities": ("POST", API_RECORD),
    "api/v1/treatment/modalities/<int:modality_id>": ("PATCH", API_RECORD),
    "api/v1/treatment/clients/<str:client_number>/plans": ("POST", API_RECORD_PLAN),
    "api/v1/treatment/clients/<str:client_number>/exit-plan": ("POST", API_RECORD_PLAN),
    "api/v1/treatment/clients/<str:client_number>/tops": ("POST", API_RECORD_TOP),
    "api/v1/treatment/tops/<int:top_id>": ("PATCH", API_RECORD_TOP),
}

PARTS = (journey_matrix, plans_matrix)
PAGES = {route: row for part in PARTS for route, row in part.PAGES.items()}
API = {**{route: row for part in PARTS for route, row in part.API.items()}, **_API_ROWS}
API_WRITES = _API_WRITES


def samples(base: dict) -> dict:
    values: dict = {}
    for sample in (*(part.samples for part in PARTS), _api_samples):
        values.update(sample({**base, **values}))
    return values
