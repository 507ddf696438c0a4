"""Test data of criminal-justice work (synthetic only), made through the services:

order = on_order(client, keyworker, officer)          # a DRR from 30 days ago, 6 months
licence = on_order(client, keyworker, officer, kind=Kind.LICENCE)  # to a year after its start
consent = consents(client, keyworker, officer.partner_organisation)  # attendance, 90 days
release = released(client, keyworker, days_ago=1)      # methadone 40 mg, last dose 08:15
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from beacon.clients.services import sharing_consent_record
from beacon.justice import services
from beacon.justice.models import LICENCE_KINDS, JusticeStatus, Kind, NaloxoneOnRelease


def days(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def on_order(client, actor, officer, *, kind=Kind.DRR, start=-30, **extra):
    if kind in LICENCE_KINDS:
        extra.setdefault("supervision_end", days(start + 365))
    return services.justice_status_record(
        actor=actor,
        client=client,
        data={
            "kind": kind,
            "start_date": days(start),
            "length_months": 6,
            "responsible_officer": officer,
            **extra,
        },
    )


def recorded_before_end_dates(client, actor, officer=None, *, kind=Kind.LICENCE, start=-100):
    """A licence or supervision with no end date, as migrations 0005 and 0006 left those
    recorded before end dates were asked (straight to the database: today's form refuses)."""
    return JusticeStatus.objects.create(
        provider=client.provider,
        client=client,
        kind=kind,
        start_date=days(start),
        responsible_officer=officer,
        recorded_by=actor,
        recorded_before_end_dates=True,
    )


def consents(client, actor, partner, *, given=-30, until=90, **shares):
    shares = shares or {"share_attendance": True}
    return sharing_consent_record(
        actor=actor,
        client=client,
        data={
            "partner_organisation": partner,
            "given_on": days(given),
            "until": days(until),
            **shares,
        },
    )


def released(client, actor, *, days_ago=1, medicine="methadone", dose="40", **extra):
    day = days(-days_ago)
    data = {
        "release_date": day,
        "prison": "HMP Testshire",
        "ost_medicine": medicine,
        "dose_mg": Decimal(dose) if medicine else None,
        "last_dose_at": timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 15)))
        if medicine
        else None,
        "naloxone_on_release": NaloxoneOnRelease.GIVEN,
        **extra,
    }
    return services.prison_release_record(actor=actor, client=client, data=data)
