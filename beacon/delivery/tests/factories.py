"""Test data for the delivery tests (synthetic only).

Register movements go through the register's services, as a manager would record them,
at the provider's one site ("Main site", made when missing) unless `site=` says another:

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
from beacon.core.models import Site
from beacon.core.tests.factories import PartnerOrganisationFactory, UserFactory
from beacon.delivery.models import DeliveryRound, DeliveryStop
from beacon.delivery.services import register, runsheet, setup
from beacon.prescribing.tests.factories import TAKE_HOME_REASON, prescribe

METHADONE = "methadone-1mg-ml-oral-solution-sf"
T = datetime.time


def main_site(provider) -> Site:
    """The provider's register site of the tests: its first site, or a new "Main site"."""
    site = provider.sites.order_by("pk").first()
    return site or Site.objects.create(
        provider=provider, name="Main site", address="1 Cabinet Yard, Leeds", postcode="LS1 1AA"
    )


def user_of(provider, role: str, *, other_than=None):
    """An active user of `provider` in `role` (not `other_than`), made when there is none."""
    users = provider.users.filter(role=role, is_active=True)
    if other_than is not None:
        users = users.exclude(pk=other_than.pk)
    found = users.order_by("pk").first()
    return found or UserFactory(
        provider=provider, role=role, username=f"{role}-{provider.code.lower()}-{provider.pk}"
    )


def record(actor, kind: str, quantity, *, medicine: str = METHADONE, at=None, site=None, **fields):
    data = {"kind": kind, "quantity": Decimal(quantity), "occurred_at": at or timezone.now()}
    if kind == "received":
        data.setdefault("supplier", "Demo Wholesale Pharma")
        data.setdefault("supplier_address", "Unit 4, Example Park, Leeds LS9 0AA")
    if kind == "destroyed":
        data.setdefault("witness", user_of(actor.provider, "prescriber", other_than=actor))
    data.update(fields)
    return register.register_movement_record(
        actor=actor,
        provider=actor.provider,
        site=site or main_site(actor.provider),
        medicine=medicine,
        data=data,
    )


def deliver(actor, quantity, *, driver, client, **fields):
    fields.setdefault("recipient", "client")
    fields.setdefault("identity_requested", True)
    fields.setdefault("identity_provided", True)
    fields.setdefault("prescriber", user_of(actor.provider, "prescriber"))
    return record(actor, "delivered", quantity, driver=driver, client=client, **fields)


def prescribe_home_delivery(*, client, prescriber, **overrides):
    """A take-home prescription for every day, delivered to the client's home."""
    return prescribe(
        client=client,
        prescriber=prescriber,
        pharmacy=None,
        home_delivery=True,
        supervised_days="",
        reason=TAKE_HOME_REASON,
        **overrides,
    )


def driver_shift(*, manager, driver, vehicle, date):
    """The driver's shift on `date` in `vehicle`, 08:00 to 18:00, recorded by the manager."""
    return setup.shift_create(
        actor=manager,
        provider=manager.provider,
        data={
            "driver": driver,
            "vehicle": vehicle,
            "date": date,
            "start_time": T(8),
            "end_time": T(18),
        },
    )


def shift_body(*, driver, vehicle_id, **changes) -> dict:
    """A shift as the set-up API takes it: 16 March 2026, 09:00 to 13:00, unless changed."""
    body = {"driver_id": driver.pk, "vehicle_id": vehicle_id, "date": "2026-03-16"}
    return {**body, "start_time": "09:00", "end_time": "13:00", **changes}


def delivery_client(*, users, provider, team, name="Robin", date=None):
    client = ClientFactory(
        provider=provider, team=team, keyworker=users["keyworker"], first_name=name
    )
    prescribe_home_delivery(
        client=client,
        prescriber=users["prescriber"],
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
    main_site(provider)  # the site whose cabinet the parcels are made up from
    partner = PartnerOrganisationFactory(provider=provider)
    vehicle = setup.vehicle_create(
        actor=manager,
        provider=provider,
        data={"partner_organisation": partner, "registration": f"AB{driver.pk % 90 + 10}CDE"},
    )
    shift = driver_shift(manager=manager, driver=driver, vehicle=vehicle, date=date)
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
