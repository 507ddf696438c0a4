"""Test data for the delivery tests (synthetic only).

Register movements go through the register's services, as a manager would record them:

    record(manager, "received", 1000)

A driver's round today with home-delivery stops:

    stops = round_today(users=users, provider=provider, team=team, clients=2)

Prescriptions and delivery details go through the services; the round and its stops are
made directly (what delivery_day_plan would store), so no planner runs. With
`handed_over=True` the coordinator has recorded the parcels as handed to the driver, and
the driver has confirmed receiving them.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.delivery.models import DeliveryRound, DeliveryStop
from beacon.delivery.services import register, runsheet, setup
from beacon.prescribing.tests.factories import TAKE_HOME_REASON, prescribe

METHADONE = "methadone-1mg-ml-oral-solution-sf"
T = datetime.time


def record(actor, kind: str, quantity, *, medicine: str = METHADONE, at=None, **fields):
    data = {"kind": kind, "quantity": Decimal(quantity), "occurred_at": at or timezone.now()}
    if kind == "received":
        data.setdefault("supplier", "Demo Wholesale Pharma")
    if kind == "destroyed":
        data.setdefault("witness", "Ada Witness")
    data.update(fields)
    return register.register_movement_record(
        actor=actor, provider=actor.provider, medicine=medicine, data=data
    )


def deliver(actor, quantity, *, driver, client, **fields):
    fields.setdefault("recipient", "client")
    fields.setdefault("identity_requested", True)
    fields.setdefault("identity_provided", True)
    return record(actor, "delivered", quantity, driver=driver, client=client, **fields)


def delivery_client(*, users, provider, team, name="Robin", date=None):
    client = ClientFactory(
        provider=provider, team=team, keyworker=users["keyworker"], first_name=name
    )
    prescribe(
        client=client,
        prescriber=users["prescriber"],
        pharmacy=None,
        home_delivery=True,
        supervised_days="",
        reason=TAKE_HOME_REASON,
        start_date=(date or timezone.localdate()) - datetime.timedelta(days=2),
    )
    setup.delivery_details_save(
        actor=users["manager"],
        client=client,
        data={
            "address_line_1": f"{len(name)} Example Row",
            "postcode": "LS1 4AP",
            "access_notes": "Ring twice, side door",
            "usually_in_from": T(9),
            "usually_in_to": T(12),
            "latitude": Decimal("53.80"),
            "longitude": Decimal("-1.55"),
        },
    )
    return client


def round_today(*, users, provider, team, clients=1, handed_over=False, driver=None, date=None):
    """The driver's round on `date` (today), with one stop per new home-delivery client."""
    date = date or timezone.localdate()
    driver = driver or users["driver"]
    manager = users["manager"]
    partner = PartnerOrganisationFactory(provider=provider)
    vehicle = setup.vehicle_create(
        actor=manager,
        provider=provider,
        data={"partner_organisation": partner, "registration": f"AB{driver.pk % 90 + 10}CDE"},
    )
    shift = setup.shift_create(
        actor=manager,
        provider=provider,
        data={
            "driver": driver,
            "vehicle": vehicle,
            "date": date,
            "start_time": T(8),
            "end_time": T(18),
        },
    )
    delivery_round = DeliveryRound.objects.create(
        provider=provider, date=date, shift=shift, planned_at=timezone.now(), planned_by=manager
    )
    names = ["Robin", "Sasha", "Tegan", "Umar", "Vic", "Wren"]
    stops = []
    for position in range(1, clients + 1):
        client = delivery_client(
            users=users, provider=provider, team=team, name=names[position - 1], date=date
        )
        instalment = client.ost_prescriptions.get().instalments.get(date=date)
        stops.append(
            DeliveryStop.objects.create(
                provider=provider,
                date=date,
                round=delivery_round,
                instalment=instalment,
                client=client,
                position=position,
                planned_arrival=T(9, 10 * position),
                window_start=T(9),
                window_end=T(12),
                parcel_number=f"{date:%y%m%d}-{driver.pk:02d}{position}",
            )
        )
    if handed_over:
        record(manager, "received", 1000)
        runsheet.round_hand_over(actor=manager, delivery_round=delivery_round)
        runsheet.round_receipt_confirm(
            actor=driver,
            delivery_round=delivery_round,
            data={"parcels": [stop.parcel_number for stop in stops]},
        )
        for stop in stops:
            stop.refresh_from_db()
    return stops
