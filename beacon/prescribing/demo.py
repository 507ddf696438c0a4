"""Demo data: a current OST prescription for each demo client in treatment on OST (synthetic).

Called from seed_demo after seed_journeys. Idempotent: a client who already has a
prescription that has not ended gets no other. Some methadone clients have their doses
delivered home instead of collecting them from the pharmacy (beacon/delivery/demo.py
gives them delivery details and plans the rounds).
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.prescribing import hooks
from beacon.prescribing.models import Prescription
from beacon.prescribing.services import prescription_create
from beacon.treatment.selectors.journey import episode_on_ost

METHADONE = "methadone-1mg-ml-oral-solution-sf"
BUPRENORPHINE = "buprenorphine-8mg-sublingual-tablets"
METHADONE_DOSES = [Decimal(d) for d in (20, 30, 40, 50, 60, 70, 80)]
BUPRENORPHINE_DOSES = [Decimal(d) for d in (8, 16)]
MAINTENANCE_REASON = "Stable maintenance dose, continued from the previous prescription"
TRANSFER_REASON = (
    "Transferred in from another service, stable on this dose with take-home doses there"
)
# How many methadone clients have their doses delivered home, and how many of those have
# children at home at most (enough to show the lockable-box rule both ways).
HOME_DELIVERY_CLIENTS = 18
HOME_DELIVERY_WITH_CHILDREN = 6


def _on_methadone(episode) -> bool:
    return any(
        m.ost_medicine == "methadone" and m.start_date and not m.end_date
        for m in episode.modalities.all()
    )


def _home_delivery_episodes(episodes: list) -> set[int]:
    """The episodes whose methadone goes home by delivery: clients with a home, in
    client-number order, a few of them with children at home."""
    today = timezone.localdate()
    eligible = sorted(
        (
            e
            for e in episodes
            if _on_methadone(e) and not e.client.no_fixed_abode and e.start_date <= today
        ),
        key=lambda e: e.client.client_number,
    )
    with_children = [e for e in eligible if e.client.children_in_household and _box_seen(e)]
    without = [e for e in eligible if not e.client.children_in_household]
    chosen = with_children[:HOME_DELIVERY_WITH_CHILDREN]
    chosen += without[: HOME_DELIVERY_CLIENTS - len(chosen)]
    return {e.pk for e in chosen}


def _box_seen(episode) -> bool:
    return any(seen(episode.client) for seen in hooks.lockable_box_seen)


def _prescription_data(rng: random.Random, episode, pharmacy, *, home_delivery: bool) -> dict:
    on_methadone = _on_methadone(episode)
    today = timezone.localdate()
    # Starts within the last week and runs 14 days, so it covers today and tomorrow.
    start = max(episode.start_date, today - datetime.timedelta(days=rng.randint(0, 6)))
    dose = rng.choice(METHADONE_DOSES if on_methadone else BUPRENORPHINE_DOSES)
    # Take-home doses only where the home is safe for them: no children, or a box seen.
    safe_home = not episode.client.children_in_household or _box_seen(episode)
    take_home = (rng.random() < 0.3 and safe_home) or home_delivery
    data = {
        "medicine": METHADONE if on_methadone else BUPRENORPHINE,
        "dose": dose,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=13),
        "pattern": "weekly" if take_home else "daily",
        "supervised_days": "" if take_home else "0123456",
        "pharmacy": pharmacy,
        "home_delivery": False,
        "reason": MAINTENANCE_REASON if on_methadone and dose > 30 else "",
        # Asked at a methadone start (H-40): the demo clients do not.
        "uses_alcohol_or_sedatives": False,
    }
    if take_home:
        # A demo client with take-home doses came to the service already stable on them.
        data["reason"] = TRANSFER_REASON
    if home_delivery:
        # A driver brings each day's dose: daily instalments, none supervised.
        data.update({"pattern": "daily", "pharmacy": None, "home_delivery": True})
    return data


def seed_prescriptions(rng: random.Random, org: dict, stdout=None) -> int:
    provider = org["provider"]
    prescriber = next(
        (u for u in org["users"].values() if u.role == Role.PRESCRIBER and u.provider == provider),
        None,
    )
    pharmacy = provider.partner_organisations.filter(kind=PartnerOrganisation.Kind.PHARMACY).first()
    if prescriber is None or pharmacy is None:
        return 0
    episodes = provider.episodes.filter(discharge_date__isnull=True).prefetch_related("modalities")
    to_prescribe = [
        episode
        for episode in episodes.select_related("client")
        if episode_on_ost(episode)
        and not episode.ost_prescriptions.exclude(status=Prescription.Status.ENDED).exists()
    ]
    delivered_home = _home_delivery_episodes(to_prescribe)
    for episode in to_prescribe:
        prescription_create(
            actor=prescriber,
            client=episode.client,
            data=_prescription_data(
                rng, episode, pharmacy, home_delivery=episode.pk in delivered_home
            ),
        )
    if stdout is not None:
        stdout.write(
            f"OST prescriptions: {len(to_prescribe)} written ({len(delivered_home)} delivered home)"
        )
    return len(to_prescribe)
