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
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.selectors import INJECTION_MEDICINES
from beacon.prescribing.services import (
    instalment_record_outcome,
    prescription_change_dose,
    prescription_create,
)
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
BUVIDAL_WEEKLY_16 = "buvidal-16mg-weekly"
SWITCH_REASON = (
    "Switching to buprenorphine at the client's request; methadone reduced to 20 mg first, "
    "buprenorphine started the day after the last methadone dose was taken"
)
TEST_DOSE_OBSERVATION = (
    "4 mg sublingual buprenorphine, observed for an hour: no precipitated withdrawal"
)


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


def _prescription_data(
    rng: random.Random, episode, pharmacy, *, home_delivery: bool, ending_soon: bool = False
) -> dict:
    on_methadone = _on_methadone(episode)
    today = timezone.localdate()
    # Starts within the last week and runs 14 days, so it covers today and tomorrow; one
    # in four started 11 days ago and ends in two days with nothing to follow yet (the
    # prescribers' "ending soon" list).
    days_ago = 11 if ending_soon else rng.randint(0, 6)
    start = max(episode.start_date, today - datetime.timedelta(days=days_ago))
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


def _base(pharmacy, start: datetime.date, **fields) -> dict:
    return {
        "start_date": start,
        "end_date": start + datetime.timedelta(days=13),
        "pattern": "daily",
        "supervised_days": "0123456",
        "pharmacy": pharmacy,
        "home_delivery": False,
        "reason": "",
        "uses_alcohol_or_sedatives": False,
        **fields,
    }


def _seed_cross_titration(episode, pharmacy, prescriber) -> None:
    """Methadone tapering (30 mg, 20 mg from today) and buprenorphine starting today, the
    overlap planned to the methadone's last day (H-33: shown on the client page as one)."""
    today = timezone.localdate()
    start = max(episode.start_date, today - datetime.timedelta(days=10))
    client = episode.client
    methadone = prescription_create(
        actor=prescriber,
        client=client,
        data=_base(pharmacy, start, medicine=METHADONE, dose=Decimal(30)),
    )
    prescription_change_dose(
        actor=prescriber,
        prescription=methadone,
        data={"dose": Decimal(20), "effective_date": today, "reason": ""},
    )
    prescription_create(
        actor=prescriber,
        client=client,
        data=_base(
            pharmacy,
            today,
            medicine=BUPRENORPHINE,
            dose=Decimal(8),
            cross_titration_until=methadone.end_date,
            reason=SWITCH_REASON,
        ),
    )


def _seed_buvidal_first_week(episode, pharmacy, prescriber) -> None:
    """A first weekly Buvidal 16 mg today after yesterday's test dose, with two extra 8 mg
    doses in its first week (H-37, H-38)."""
    today = timezone.localdate()
    yesterday = datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(10))
    prescription_create(
        actor=prescriber,
        client=episode.client,
        data=_base(
            pharmacy,
            today,
            medicine=BUVIDAL_WEEKLY_16,
            dose=Decimal(16),
            end_date=today + datetime.timedelta(days=27),
            pattern="weekly",
            supervised_days="",
            test_dose_given_at=timezone.make_aware(yesterday),
            test_dose_observation=TEST_DOSE_OBSERVATION,
            first_week_extra_dates=[
                today + datetime.timedelta(days=1),
                today + datetime.timedelta(days=3),
            ],
        ),
    )


def _seed_suspended_after_missed_doses(episode, pharmacy, prescriber) -> None:
    """Methadone from five days ago whose first three days were missed: supply is suspended
    for the prescriber's review (H-04), on the prescriber's worklist (H-141)."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=MISSED_START_DAYS_AGO)
    prescription = prescription_create(
        actor=prescriber,
        client=episode.client,
        data=_base(pharmacy, start, medicine=METHADONE, dose=Decimal(30)),
    )
    for instalment in prescription.instalments.order_by("date")[:3]:
        instalment_record_outcome(
            actor=prescriber, instalment=instalment, data={"outcome": Instalment.Outcome.MISSED}
        )


def _seed_late_injection(episode, pharmacy, prescriber) -> None:
    """Weekly Buvidal whose first injection was due yesterday and not given: whether it is
    given late or skipped waits for the prescriber (H-39, H-142)."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=1)
    tested = datetime.datetime.combine(start - datetime.timedelta(days=1), datetime.time(10))
    prescription_create(
        actor=prescriber,
        client=episode.client,
        data=_base(
            pharmacy,
            start,
            medicine=BUVIDAL_WEEKLY_16,
            dose=Decimal(16),
            end_date=start + datetime.timedelta(days=27),
            pattern="weekly",
            supervised_days="",
            test_dose_given_at=timezone.make_aware(tested),
            test_dose_observation=TEST_DOSE_OBSERVATION,
        ),
    )


MISSED_START_DAYS_AGO = 5


def _special_cases(episodes: list) -> dict[int, object]:
    """Where there are several of each to choose from: one methadone client switching to
    buprenorphine, one whose supply is suspended after missed doses, one buprenorphine
    client in Buvidal's first week and one with a late injection (the others stay plain)."""
    today = timezone.localdate()
    ready = sorted(
        (e for e in episodes if e.start_date <= today),
        key=lambda e: e.client.client_number,
    )
    methadone = [e for e in ready if _on_methadone(e)]
    buprenorphine = [e for e in ready if not _on_methadone(e)]
    chosen = {}
    if len(methadone) >= 2:
        chosen[methadone[0].pk] = _seed_cross_titration
    long_enough = today - datetime.timedelta(days=MISSED_START_DAYS_AGO)
    missed = [e for e in methadone[1:] if e.start_date <= long_enough]
    if len(methadone) >= 3 and missed:
        chosen[missed[0].pk] = _seed_suspended_after_missed_doses
    if len(buprenorphine) >= 2:
        chosen[buprenorphine[0].pk] = _seed_buvidal_first_week
    if len(buprenorphine) >= 3:
        chosen[buprenorphine[1].pk] = _seed_late_injection
    return chosen


def _supplied_until_today(episode_ids: list[int]) -> None:
    # The demo's clients have kept coming: the days before today of their active daily
    # prescriptions were supplied (left unrecorded they would count as missed and stop
    # supply for a review, H-50). The suspended one and the injections keep their story.
    past = Instalment.objects.filter(
        prescription__episode_id__in=episode_ids,
        prescription__status=Prescription.Status.ACTIVE,
        date__lt=timezone.localdate(),
        outcome=Instalment.Outcome.PENDING,
    ).exclude(prescription__medicine__in=INJECTION_MEDICINES)
    for home_delivery, outcome in (
        (True, Instalment.Outcome.DELIVERED),
        (False, Instalment.Outcome.COLLECTED),
    ):
        past.filter(prescription__home_delivery=home_delivery).update(
            outcome=outcome, outcome_recorded_at=timezone.now()
        )


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
        and not episode.ost_prescriptions.not_over(on=timezone.localdate()).exists()
    ]
    special = _special_cases(to_prescribe)
    delivered_home = _home_delivery_episodes([e for e in to_prescribe if e.pk not in special])
    for index, episode in enumerate(to_prescribe):
        if episode.pk in special:
            special[episode.pk](episode, pharmacy, prescriber)
            continue
        prescription_create(
            actor=prescriber,
            client=episode.client,
            data=_prescription_data(
                rng,
                episode,
                pharmacy,
                home_delivery=episode.pk in delivered_home,
                ending_soon=index % 4 == 0,
            ),
        )
    _supplied_until_today([e.pk for e in to_prescribe])
    if stdout is not None:
        stdout.write(
            f"OST prescriptions: {len(to_prescribe)} written ({len(delivered_home)} delivered home)"
        )
    return len(to_prescribe)
