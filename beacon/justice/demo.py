"""Demo data of criminal-justice work (synthetic only): a client on a Drug Rehabilitation
Requirement who agreed to share attendance with the demo probation service, with a review
hearing, and a conditional caution completed before it (history); another on a DRR with
the same officer who did not agree, whose earlier DRR ran past its expected end with nobody
recording how it ended (listed to record it); a client released from prison yesterday on
methadone (on the prescriber's list) and on licence to its licence end date, six months on
(its officer not on Beacon); and one released days ago and not seen since (listed and
alerted). Every licence has its end date (H-280)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.services import sharing_consent_record
from beacon.core.models import PartnerOrganisation
from beacon.justice import services
from beacon.justice.models import JusticeStatus, Kind, NaloxoneOnRelease, StatusEnd
from beacon.prescribing.models import Prescription

PROBATION_NAME = "Demo Probation Delivery Unit"  # made by core's demo organisations


def seed_justice(rng: random.Random, org: dict, *, stdout) -> str:
    provider = org["provider"]
    if JusticeStatus.objects.filter(provider=provider).exists():
        return "criminal justice: already seeded"
    users = org["users"]
    manager, officer = users["manager"], users.get("probation_officer")
    probation = PartnerOrganisation.objects.get(provider=provider, name=PROBATION_NAME)
    today = timezone.localdate()
    on_ost = Prescription.objects.filter(provider=provider).values("client_id")
    in_treatment = list(
        Client.objects.filter(provider=provider, episodes__discharge_date__isnull=True)
        .exclude(pk__in=on_ost)
        .distinct()
        .order_by("client_number")[:4]
    )
    if len(in_treatment) < 4 or officer is None:
        return "criminal justice: not enough demo clients"
    consenting, declining, released, not_seen = in_treatment
    caution = services.justice_status_record(
        actor=manager,
        client=consenting,
        data={"kind": Kind.CONDITIONAL_CAUTION, "start_date": today - datetime.timedelta(days=300)},
    )
    services.justice_status_end(
        actor=manager,
        status=caution,
        data={
            "ended_on": today - datetime.timedelta(days=210),
            "end_reason": StatusEnd.COMPLETED,
        },
    )
    # An earlier DRR of 12 months that ran out five weeks ago: how it ended is not recorded.
    services.justice_status_record(
        actor=manager,
        client=declining,
        data={
            "kind": Kind.DRR,
            "start_date": today - datetime.timedelta(days=400),
            "length_months": 12,
            "responsible_officer": officer,
        },
    )
    for client, agrees in ((consenting, True), (declining, False)):
        order = services.justice_status_record(
            actor=manager,
            client=client,
            data={
                "kind": Kind.DRR,
                "start_date": today - datetime.timedelta(days=60),
                "length_months": 12,
                "responsible_officer": officer,
            },
        )
        services.review_hearing_record(
            actor=manager,
            client=client,
            data={
                "status": order,
                "on": today + datetime.timedelta(days=14),
                "court": "Leeds Magistrates' Court",
            },
        )
        if agrees:
            sharing_consent_record(
                actor=manager,
                client=client,
                data={
                    "partner_organisation": probation,
                    "share_attendance": True,
                    "share_engagement": True,
                    "share_review_hearings": True,
                    "given_on": today - datetime.timedelta(days=60),
                    "until": today + datetime.timedelta(days=305),
                },
            )
    services.prison_release_record(
        actor=manager,
        client=released,
        data={
            "release_date": today - datetime.timedelta(days=1),
            "prison": "HMP Leeds",
            "ost_medicine": "methadone",
            "dose_mg": Decimal("40"),
            "last_dose_at": timezone.make_aware(
                datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(8, 15))
            ),
            "naloxone_on_release": NaloxoneOnRelease.GIVEN,
        },
    )
    # Released on licence: it runs to the licence end date the sentence calculation gives.
    services.justice_status_record(
        actor=manager,
        client=released,
        data={
            "kind": Kind.LICENCE,
            "start_date": today - datetime.timedelta(days=1),
            "supervision_end": today + datetime.timedelta(days=182),
        },
    )
    services.prison_release_record(
        actor=manager,
        client=not_seen,
        data={
            "release_date": today - datetime.timedelta(days=6),
            "prison": "HMP Wealstun",
            "ost_medicine": "",
            "naloxone_on_release": NaloxoneOnRelease.NOT_KNOWN,
        },
    )
    alerts = services.release_not_seen_alerts(provider=provider, today=today)
    stdout.write(
        f"  {consenting.full_name}: DRR, shares attendance with {probation}; "
        f"{released.full_name}: released yesterday on methadone, on licence\n"
    )
    return (
        f"criminal justice: 3 DRRs (one past its expected end), a licence, a completed "
        f"caution, 2 prison releases, {alerts} not-seen alerts"
    )
