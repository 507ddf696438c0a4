"""Demo data of the home-delivery service for `seed_demo`: synthetic places only.

Called after seed_prescriptions, which gives some methadone clients home-delivery
prescriptions. Here the council lends three vehicles, every demo driver has a shift today
and tomorrow, those clients get delivery details around the Leeds hub (a few with children
at home and a lockable box seen, one with children and no box, one without map
coordinates, so the planner shows its reasons), the Harbour Street hub is the site the
rounds are made up from and its cabinet receives methadone (from a supplier with its
address), the Southbank clinic keeps a register of its own (a receipt and a witnessed
destruction of expired stock), a client hands back methadone at the hub (kept apart from
stock; an earlier return destroyed with a witness), and both days are planned. Everything
is written through the services, so it is validated and audited. Idempotent: what exists
is kept, and a day that has a plan is not planned again.
"""

import datetime
import random
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from beacon.clients.demo import INWARD_LETTERS
from beacon.core.models import Site, TextMessage, TextPurpose
from beacon.core.selectors import text_wording_for
from beacon.core.texts import mobile_number, wording_render
from beacon.delivery.models import DeliverySetup, PatientReturn, RegisterEntry
from beacon.delivery.selectors.texts import stops_for_window_texts
from beacon.delivery.services.planning import delivery_day_plan
from beacon.delivery.services.register import (
    patient_return_destroy,
    patient_return_record,
    register_movement_record,
)
from beacon.delivery.services.setup import delivery_details_save, shift_create, vehicle_create
from beacon.delivery.services.texts import window_text_reference
from beacon.prescribing.demo import METHADONE

# Current-format marks beginning with Q are never issued (Q marks only vehicles of unknown
# age, in another format), so no real vehicle carries these.
VEHICLES = [
    ("QD26 DMO", "Ford Transit Connect", "White"),
    ("QD26 DEM", "Vauxhall Combo", "Silver"),
    ("QD76 DMO", "Citroën Berlingo", "Blue"),
]
DRIVERS = ["driver", "driver2", "driver3"]
T = datetime.time
# Morning, midday and afternoon runs. Some clients are in only during one of them, so
# every driver has a round (the planner minimises travel and would otherwise send one
# driver on a long round when the windows allow it).
SHIFT_HOURS = [(T(9, 0), T(11, 0)), (T(11, 0), T(13, 0)), (T(13, 0), T(15, 0))]
# Usual hours at home, 2 to 4 hours between 09:00 and 15:00, given in turn; the first
# three fall each within one run only.
USUAL_HOURS = [
    (T(9, 0), T(11, 0)),
    (T(11, 0), T(13, 0)),
    (T(13, 0), T(15, 0)),
    (T(9, 0), T(12, 0)),
    (T(11, 0), T(14, 0)),
    (T(12, 0), T(15, 0)),
    (T(9, 30), T(11, 30)),
    (T(10, 0), T(13, 0)),
    (T(11, 0), T(15, 0)),
]
# Rough centres of inner Leeds postcode districts, all within about 4 km of the hub.
DISTRICT_CENTRES = {
    "LS1": (53.7965, -1.5478),
    "LS2": (53.8035, -1.5500),
    "LS6": (53.8190, -1.5760),
    "LS7": (53.8230, -1.5350),
    "LS8": (53.8210, -1.5050),
    "LS9": (53.7980, -1.5140),
    "LS11": (53.7800, -1.5540),
    "LS12": (53.7950, -1.5900),
}
STREETS = [
    "Example Row",
    "Sample Street",
    "Specimen Terrace",
    "Placeholder Lane",
    "Mockup Mews",
    "Testcard Close",
    "Dummy Walk",
    "Fictional Fold",
    "Pretend Place",
    "Demo Court",
]
ACCESS_NOTES = [
    "Ring twice, side door",
    "Door beside the shop: buzz and wait, stairs only",
    "Knock loudly, the bell does not work",
    "Dog in the back garden: use the front door",
    "Blue door round the back of the block",
    "Call on arrival; never leave the parcel with a neighbour",
    "Ground-floor flat, entrance on the left of the car park",
    "",
]
SUPPLIER = "Demo Wholesale Pharmacy"
SUPPLIER_ADDRESS = "Unit 7, Example Trading Estate, Leeds LS10 1ZZ"
RECEIVED_ML = Decimal(5000)
STOCK_SITE = "Harbour Street hub"
CLINIC_SITE = "Southbank clinic"
# The planner stops at whichever comes first; the iteration cap makes the demo plan the
# same on every machine.
PLAN_SECONDS = 1.0
PLAN_ITERATIONS = 2000


def _log(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _vehicles(provider, council, manager) -> tuple[list, int]:
    found, created = [], 0
    for registration, make, colour in VEHICLES:
        vehicle = provider.vehicles.filter(registration=registration).first()
        if vehicle is None:
            vehicle = vehicle_create(
                actor=manager,
                provider=provider,
                data={
                    "partner_organisation": council,
                    "registration": registration,
                    "make": make,
                    "colour": colour,
                },
            )
            created += 1
        found.append(vehicle)
    return found, created


def _shifts(provider, drivers, vehicles, manager, days) -> int:
    created = 0
    for date in days:
        for driver, vehicle, (start, end) in zip(drivers, vehicles, SHIFT_HOURS, strict=True):
            if provider.driver_shifts.filter(driver=driver, date=date).exists():
                continue
            shift_create(
                actor=manager,
                provider=provider,
                data={
                    "driver": driver,
                    "vehicle": vehicle,
                    "date": date,
                    "start_time": start,
                    "end_time": end,
                },
            )
            created += 1
    return created


def delivery_clients(provider) -> list:
    """The demo clients whose methadone is delivered home today."""
    today = timezone.localdate()
    prescriptions = (
        provider.prescriptions.supplying(on=today)
        .filter(home_delivery=True)
        .select_related("client")
    )
    clients = {p.client_id: p.client for p in prescriptions}
    return sorted(clients.values(), key=lambda c: c.client_number)


# Made-up names of people a client agreed may take a parcel for them (one a line).
REPRESENTATIVES = ["Jo Demo-Carer", "Sam Example-Partner\nAlex Sample", "Pat Demo-Sibling"]


def _details_data(rng: random.Random, hours, *, box: bool, coordinates: bool) -> dict:
    district = rng.choice(list(DISTRICT_CENTRES))
    lat, lon = DISTRICT_CENTRES[district]
    usually_in_from, usually_in_to = hours
    today = timezone.localdate()
    return {
        "address_line_1": f"{rng.randint(1, 140)} {rng.choice(STREETS)}",
        "address_line_2": f"Flat {rng.randint(1, 12)}" if rng.random() < 0.3 else "",
        "town": "Demo City",
        "postcode": f"{district} {rng.randint(1, 9)}" + "".join(rng.choices(INWARD_LETTERS, k=2)),
        "access_notes": rng.choice(ACCESS_NOTES),
        "usually_in_from": usually_in_from,
        "usually_in_to": usually_in_to,
        "lockable_box_recorded_on": today - datetime.timedelta(days=rng.randint(7, 180))
        if box
        else None,
        "latitude": Decimal(f"{lat + rng.uniform(-0.008, 0.008):.6f}") if coordinates else None,
        "longitude": Decimal(f"{lon + rng.uniform(-0.012, 0.012):.6f}") if coordinates else None,
    }


def _delivery_details(rng: random.Random, clients: list, manager) -> int:
    """Details for each delivery client without them. The last client with children at
    home has no lockable box yet, and the last one without children no coordinates: the
    planner leaves both out (on a day of three clients or more), and the others get the
    usual hours in turn."""
    with_children = [c for c in clients if c.children_in_household]
    without = [c for c in clients if not c.children_in_household]
    no_box = with_children[-1] if with_children else None
    no_coordinates = without[-1] if without else None
    # A small day (one or two clients) keeps its clients on a round rather than leave
    # every one of them out.
    if len(clients) <= 2:
        no_box = no_coordinates = None
    left_out = [c for c in (no_box, no_coordinates) if c is not None]
    created = 0
    first: dict | None = None
    in_turn = [c for c in clients if c not in left_out] + left_out
    for index, client in enumerate(in_turn):
        if hasattr(client, "delivery_details"):
            continue
        data = _details_data(
            rng,
            USUAL_HOURS[index % len(USUAL_HOURS)],
            box=client.children_in_household and client != no_box,
            coordinates=client != no_coordinates,
        )
        # The first two clients live in flats of one building: their stops share a place,
        # so the round map spreads the two markers (round-map.js).
        if index == 0:
            first, data["address_line_2"] = data, "Flat 2"
        elif index == 1 and first is not None:
            for name in ("address_line_1", "town", "postcode", "latitude", "longitude"):
                data[name] = first[name]
            data["address_line_2"] = "Flat 7"
        if index % 3 == 0:  # some clients have agreed who may take a parcel for them
            data["authorised_representatives"] = REPRESENTATIVES[index % len(REPRESENTATIVES)]
        data["window_text_agreed"] = index % 2 == 0  # half agreed to a delivery window text
        delivery_details_save(actor=manager, client=client, data=data)
        created += 1
    return created


def _receive(provider, manager, site: Site, quantity: Decimal, notes: str) -> int:
    if provider.register_entries.filter(
        site=site, medicine=METHADONE, kind=RegisterEntry.Kind.RECEIVED
    ).exists():
        return 0
    register_movement_record(
        actor=manager,
        provider=provider,
        site=site,
        medicine=METHADONE,
        data={
            "kind": RegisterEntry.Kind.RECEIVED,
            "quantity": quantity,
            "occurred_at": timezone.now(),
            "supplier": SUPPLIER,
            "supplier_address": SUPPLIER_ADDRESS,
            "notes": notes,
        },
    )
    return 1


def _stock(provider, manager, witness) -> int:
    """The hub (the delivery stock) and the clinic each receive; the clinic destroys expired
    stock with a witness."""
    hub = provider.sites.get(name=STOCK_SITE)
    clinic = provider.sites.get(name=CLINIC_SITE)
    DeliverySetup.objects.get_or_create(provider=provider, defaults={"stock_site": hub})
    created = _receive(provider, manager, hub, RECEIVED_ML, "Stock for the home-delivery rounds")
    created += _receive(provider, manager, clinic, Decimal(1000), "Clinic stock")
    if not provider.register_entries.filter(
        site=clinic, kind=RegisterEntry.Kind.DESTROYED
    ).exists():
        register_movement_record(
            actor=manager,
            provider=provider,
            site=clinic,
            medicine=METHADONE,
            data={
                "kind": RegisterEntry.Kind.DESTROYED,
                "quantity": Decimal(100),
                "occurred_at": timezone.now(),
                "witness": witness,
                "notes": "Past its expiry date",
            },
        )
        created += 1
    return created


def _patient_returns(provider, manager, witness, clients) -> int:
    """Two returns at the hub: one destroyed with a witness, one awaiting destruction."""
    if not clients or provider.patient_returns.exists():
        return 0
    hub = provider.sites.get(name=STOCK_SITE)
    returns = [
        patient_return_record(
            actor=manager,
            provider=provider,
            site=hub,
            medicine=METHADONE,
            data={
                "client": client,
                "quantity": quantity,
                "returned_by": by,
                "occurred_at": timezone.now(),
                "notes": "Left over after a dose change",
            },
        )
        for client, quantity, by in [
            (clients[0], Decimal(60), "The client"),
            (clients[-1], Decimal(30), "Their sister, for the client"),
        ]
    ]
    patient_return_destroy(
        actor=manager,
        provider=provider,
        patient_return=returns[0],
        data={"witness": witness, "occurred_at": timezone.now(), "notes": "Denatured"},
    )
    return PatientReturn.objects.filter(provider=provider).count()


# What became of this morning's demo texts, in turn (the demo has no GOV.UK Notify).
WINDOW_TEXT_FATES = [
    ("delivered", ""),
    ("delivered", ""),
    ("sending", ""),
    ("delivered", ""),
    ("temporary-failure", ""),
    ("delivered", ""),
    ("permanent-failure", ""),
    ("not-sent", "Notify answered 400: Not a UK mobile number"),
]


def _window_texts(provider, today: datetime.date) -> int:
    """This morning's delivery window texts as if Notify had sent them and reported back:
    the texts a run of `delivery_window_texts` would queue, recorded with made-up fates."""
    wording = text_wording_for(provider=provider, purpose=TextPurpose.DELIVERY_WINDOW)
    made, seen = 0, set()
    sent_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time(7, 30)))
    for stop in stops_for_window_texts(provider=provider, date=today):
        phone = mobile_number(stop.client.phone)
        reference = window_text_reference(client_id=stop.client_id, date=today)
        if stop.client_id in seen or not stop.client.consent_contact_by_text or not phone:
            continue
        seen.add(stop.client_id)
        if provider.text_messages.filter(reference=reference).exists():
            continue
        status, error = WINDOW_TEXT_FATES[made % len(WINDOW_TEXT_FATES)]
        body = wording_render(
            wording.body,
            {
                "window_start": f"{stop.window_start:%H:%M}",
                "window_end": f"{stop.window_end:%H:%M}",
                "service_phone": wording.service_phone,
            },
        )
        TextMessage.objects.create(
            provider=provider,
            client=stop.client,
            purpose=TextPurpose.DELIVERY_WINDOW,
            reference=reference,
            body=body,
            phone=phone,
            status=status,
            queued_at=sent_at,
            sent_at=None if status == "not-sent" else sent_at,
            status_at=None if status in ("not-sent", "sending") else sent_at,
            notify_id="" if status == "not-sent" else str(uuid.UUID(int=stop.pk)),
            attempts=1,
            error=error,
        )
        made += 1
    return made


@transaction.atomic
def seed_delivery(
    rng: random.Random,
    org: dict,
    stdout=None,
    *,
    seconds: float = PLAN_SECONDS,
    iterations: int = PLAN_ITERATIONS,
) -> dict:
    """Load the delivery demo; returns how many of each thing were created."""
    provider = org["provider"]
    users = org["users"]
    manager = users["manager"]
    drivers = [users[name] for name in DRIVERS]
    council = drivers[0].partner_organisation  # the council lends the drivers and the vans
    today = timezone.localdate()
    days = [today, today + datetime.timedelta(days=1)]

    vehicles, vehicles_created = _vehicles(provider, council, manager)
    shifts_created = _shifts(provider, drivers, vehicles, manager, days)
    _log(stdout, f"Vehicles: {vehicles_created} added; drivers' shifts: {shifts_created} added")
    clients = delivery_clients(provider)
    details_created = _delivery_details(rng, clients, manager)
    _log(
        stdout,
        f"Home delivery: {len(clients)} clients, {details_created} given delivery details",
    )
    received = _stock(provider, manager, users["prescriber"])
    if received:
        _log(stdout, f"CD register: received {RECEIVED_ML} ml of methadone from {SUPPLIER}")
    returns = _patient_returns(provider, manager, users["prescriber"], clients)
    if returns:
        _log(stdout, f"Patient returns: {returns} entries, kept apart from stock")

    planned = 0
    for date in days:
        if not clients or provider.delivery_stops.filter(date=date).exists():
            continue  # nothing to deliver, or planned already (perhaps re-planned by hand)
        summary = delivery_day_plan(
            actor=manager, date=date, seconds=seconds, iterations=iterations
        )
        planned += 1
        _log(
            stdout,
            f"Delivery plan for {date:%a %d %b}: {summary['rounds']} rounds, "
            f"{summary['stops']} stops, {summary['unassigned']} unassigned",
        )
    texts = _window_texts(provider, today)
    if texts:
        _log(stdout, f"Delivery window texts: {texts} sent this morning, with Notify's statuses")
    return {
        "window_texts": texts,
        "vehicles": vehicles_created,
        "shifts": shifts_created,
        "delivery_details": details_created,
        "register_entries": received,
        "patient_returns": returns,
        "days_planned": planned,
    }


MISSED_DELIVERY_NOTES = "Client came to the door and said they did not want it today"


def seed_missed_delivery_today(provider, stdout=None) -> str:
    """The first round of today handed to its driver and confirmed, and its first parcel
    not delivered (refused at the door): the keyworker's alert opens a client page whose
    summary shows the dose and the missed delivery (issue #11). Once a day: nothing is done
    when a parcel of today has already left the cabinet."""
    from django.core.exceptions import ValidationError

    from beacon.delivery.models import DeliveryRound, DeliveryStop
    from beacon.delivery.services import runsheet

    today = timezone.localdate()
    if provider.delivery_stops.filter(date=today, handed_over_entry__isnull=False).exists():
        return "none (today's parcels are already out)"
    delivery_round = (
        DeliveryRound.objects.filter(provider=provider, date=today, stops__isnull=False)
        .select_related("shift__driver")
        .order_by("shift__start_time", "id")
        .first()
    )
    if delivery_round is None:
        return "none (no round today)"
    manager = delivery_round.planned_by
    driver = delivery_round.shift.driver
    try:
        with transaction.atomic():
            handed = runsheet.round_hand_over(actor=manager, delivery_round=delivery_round)
            if not handed["handed"]:
                return "none (every parcel of the round was held back)"
            runsheet.round_receipt_confirm(
                actor=driver, delivery_round=delivery_round, data={"parcels": handed["handed"]}
            )
            stop = DeliveryStop.objects.get(
                provider=provider, parcel_number=handed["handed"][0], date=today
            )
            runsheet.stop_not_delivered(
                actor=driver,
                stop=stop,
                data={
                    "reason": DeliveryStop.NotDeliveredReason.REFUSED,
                    "notes": MISSED_DELIVERY_NOTES,
                },
            )
    except ValidationError as refused:
        return f"none ({' '.join(refused.messages)})"
    _log(stdout, f"Missed delivery today: parcel {stop.parcel_number} of {stop.client.full_name}")
    return f"parcel {stop.parcel_number}"
