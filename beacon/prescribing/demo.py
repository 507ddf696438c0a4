"""Demo data: a current OST prescription for each demo client in treatment on OST (synthetic).

Called from seed_demo after seed_journeys. Idempotent: a client who already has a
prescription that has not ended gets no other.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.prescribing.models import Prescription
from beacon.prescribing.services import prescription_create
from beacon.treatment.selectors.journey import episode_on_ost

METHADONE_DOSES = [Decimal(d) for d in (20, 30, 40, 50, 60, 70, 80)]
BUPRENORPHINE_DOSES = [Decimal(d) for d in (8, 16)]
MAINTENANCE_REASON = "Stable maintenance dose, continued from the previous prescription"


def _prescription_data(rng: random.Random, episode, pharmacy) -> dict:
    on_methadone = any(
        m.ost_medicine == "methadone" and m.start_date and not m.end_date
        for m in episode.modalities.all()
    )
    today = timezone.localdate()
    start = max(episode.start_date, today - datetime.timedelta(days=rng.randint(0, 6)))
    dose = rng.choice(METHADONE_DOSES if on_methadone else BUPRENORPHINE_DOSES)
    take_home = rng.random() < 0.3
    return {
        "medicine": "methadone-1mg-ml-oral-solution-sf"
        if on_methadone
        else "buprenorphine-8mg-sublingual-tablets",
        "dose": dose,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=13),
        "pattern": "weekly" if take_home else "daily",
        "supervised_days": "" if take_home else "012345",
        "pharmacy": pharmacy,
        "home_delivery": False,
        "reason": MAINTENANCE_REASON if on_methadone and dose > 30 else "",
    }


def seed_prescriptions(rng: random.Random, org: dict, stdout=None) -> int:
    provider = org["provider"]
    prescriber = next(
        (u for u in org["users"].values() if u.role == Role.PRESCRIBER and u.provider == provider),
        None,
    )
    pharmacy = provider.partner_organisations.filter(kind=PartnerOrganisation.Kind.PHARMACY).first()
    if prescriber is None or pharmacy is None:
        return 0
    created = 0
    episodes = provider.episodes.filter(discharge_date__isnull=True).prefetch_related("modalities")
    for episode in episodes.select_related("client"):
        if not episode_on_ost(episode):
            continue
        if episode.ost_prescriptions.exclude(status=Prescription.Status.ENDED).exists():
            continue
        prescription_create(
            actor=prescriber,
            client=episode.client,
            data=_prescription_data(rng, episode, pharmacy),
        )
        created += 1
    if stdout is not None:
        stdout.write(f"OST prescriptions: {created} written")
    return created
