"""Home delivery of methadone in the browser, from prescription to a balanced register.

A prescriber writes a methadone prescription with home delivery; the coordinator plans
tomorrow's rounds for three drivers and prints the police notice; the next morning the
coordinator hands the parcels over, a driver on a phone sees only their own stops and
records one delivered and one not in; the keyworker sees the missed-delivery alert; the
undelivered parcel comes back and the day's register balances.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.delivery.models import DeliveryStop, RegisterEntry
from beacon.delivery.services import setup as setup_services
from beacon.delivery.tests.factories import METHADONE, record
from beacon.prescribing.models import Prescription
from beacon.prescribing.tests.factories import prescribe
from beacon.treatment.tests.factories import TreatmentEpisodeFactory
from tests.system.test_client_records import fill_date

T = datetime.time
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


def at(day: datetime.date, time: datetime.time):
    """The clock (of the tests and the live server alike) moved to `time` on `day`."""
    when = datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
    return time_machine.travel(when, tick=True)


@pytest.fixture
def clock():
    """The whole journey starts at 7 in the morning of TODAY, whenever the suite runs."""
    with at(TODAY, T(7)):
        yield


@pytest.fixture
def people(clock, make_user, provider):
    council = PartnerOrganisationFactory(provider=provider, name="Example Borough Council")
    drivers = [
        make_user(
            Role.DRIVER,
            username=username,
            first_name=first,
            last_name="Driver",
            partner_organisation=council,
        )
        for username, first in (("dev", "Dev"), ("ali", "Ali"), ("bo", "Bo"))
    ]
    return {
        "prescriber": make_user(Role.PRESCRIBER, first_name="Priya", last_name="Scriber"),
        "keyworker": make_user(Role.KEYWORKER, first_name="Kai", last_name="Worker"),
        "manager": make_user(Role.MANAGER, first_name="Morgan", last_name="Lead"),
        "drivers": drivers,
        "council": council,
    }


def _details(manager, client, *, window, lat, lon):
    setup_services.delivery_details_save(
        actor=manager,
        client=client,
        data={
            "address_line_1": f"{client.pk} Example Row",
            "postcode": "LS1 4AP",
            "access_notes": "Ring twice, side door",
            "usually_in_from": window[0],
            "usually_in_to": window[1],
            "latitude": Decimal(lat),
            "longitude": Decimal(lon),
        },
    )


@pytest.fixture
def setting(provider, team, people):
    """Three vans and shifts tomorrow, one a morning, a midday and an evening run; Robin (no
    prescription yet) and Sam (already on home delivery) are in from 9 to 11, when only Dev
    drives; Tegan at midday (Ali), Umar in the evening (Bo)."""
    manager = people["manager"]
    shifts = [(T(8, 30), T(11, 30)), (T(12), T(15)), (T(15, 30), T(18, 30))]
    for n, (driver, (start, end)) in enumerate(zip(people["drivers"], shifts, strict=True)):
        vehicle = setup_services.vehicle_create(
            actor=manager,
            provider=provider,
            data={
                "partner_organisation": people["council"],
                "registration": f"BD2{n} DM{'OPQ'[n]}",
                "make": "Example Van",
                "colour": ("White", "Blue", "Silver")[n],
            },
        )
        setup_services.shift_create(
            actor=manager,
            provider=provider,
            data={
                "driver": driver,
                "vehicle": vehicle,
                "date": TOMORROW,
                "start_time": start,
                "end_time": end,
            },
        )
    clients = {}
    for name, window, lat, lon in (
        ("Robin", (T(9), T(11)), "53.801", "-1.550"),
        ("Sam", (T(9), T(11)), "53.806", "-1.540"),
        ("Tegan", (T(12, 30), T(14, 30)), "53.790", "-1.560"),
        ("Umar", (T(16), T(18)), "53.795", "-1.530"),
    ):
        client = ClientFactory(
            provider=provider,
            team=team,
            keyworker=people["keyworker"],
            first_name=name,
            last_name="Example",
            preferred_name="",
        )
        _details(manager, client, window=window, lat=lat, lon=lon)
        clients[name] = client
    TreatmentEpisodeFactory(client=clients["Robin"], start_date=TODAY)
    for name in ("Sam", "Tegan", "Umar"):
        prescribe(
            client=clients[name],
            prescriber=people["prescriber"],
            pharmacy=None,
            home_delivery=True,
            supervised_days="",
            start_date=TODAY - datetime.timedelta(days=3),
        )
    record(manager, "received", 500, supplier="Example Wholesale")
    return clients


def test_methadone_home_delivery_from_prescription_to_balanced_register(
    page: Page, phone_page: Page, sign_in, sign_out, people, setting
):
    robin, sam = setting["Robin"], setting["Sam"]
    dev = people["drivers"][0]

    # Given a prescriber on Robin's record
    sign_in(page, people["prescriber"])
    page.goto(f"/clients/{robin.client_number}/")
    page.get_by_role("link", name="OST prescriptions").click()
    page.get_by_role("button", name="Write a prescription").click()
    # When they write methadone 30 mg daily from tomorrow, delivered home
    page.get_by_label("Medicine").select_option(label="Methadone 1mg/ml oral solution sugar free")
    page.get_by_label("Dose", exact=True).fill("30")
    fill_date(page, "Start date", TOMORROW)
    fill_date(page, "End date", TOMORROW + datetime.timedelta(days=13))
    page.get_by_role("radio", name="Daily").check()
    page.get_by_label("Pharmacy", exact=True).select_option(label="None (home delivery)")
    page.get_by_role("checkbox", name="Home delivery instead of a pharmacy").check()
    page.get_by_role("button", name="Save prescription").click()
    # Then it is written, to be delivered home
    expect(page.get_by_role("heading", level=1)).to_contain_text("Methadone")
    expect(page.locator("main")).to_contain_text("Home delivery")
    prescription = Prescription.objects.get(client=robin)
    assert prescription.home_delivery and prescription.dose == 30
    sign_out(page)

    # Given the delivery coordinator
    sign_in(page, people["manager"])
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Delivery days").click()
    fill_date(page, "Day", TOMORROW)
    page.get_by_role("button", name="Show day").click()
    # When they plan tomorrow for the three drivers on shift
    page.get_by_role("button", name="Plan this day").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Planned")
    devs_round = page.get_by_role("heading", name=f"{dev.display_name}, BD20 DMO")
    expect(devs_round).to_be_visible()
    # Then Robin and Sam (in from 9 to 11) are on Dev's round, the only morning shift
    round_table = page.get_by_role("region", name=f"{dev.display_name}, BD20 DMO")
    expect(round_table).to_contain_text(robin.full_name)
    expect(round_table).to_contain_text(sam.full_name)
    expect(page.locator("#round-map .leaflet-marker-icon").first).to_be_visible()
    # And the police notice names all three vehicles, ready to print
    page.get_by_role("link", name="Police notice").click()
    notice = page.locator(".beacon-police-notice")
    for registration in ("BD20 DMO", "BD21 DMP", "BD22 DMQ"):
        expect(notice).to_contain_text(registration)
    expect(notice).not_to_contain_text(robin.full_name)
    page.emulate_media(media="print")
    expect(page.locator(".beacon-no-print").first).to_be_hidden()
    expect(notice).to_be_visible()
    page.emulate_media(media="screen")
    sign_out(page)

    # The next morning
    with at(TOMORROW, T(8)):
        # The coordinator hands Dev's parcels over
        sign_in(page, people["manager"])
        page.goto(f"/delivery/days/{TOMORROW.isoformat()}/")
        page.get_by_role("button", name=f"Record 2 parcels handed to {dev.display_name}").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
            "2 parcels recorded as handed to the driver"
        )
        sign_out(page)

    # Dev, on a phone, sees only their own stops, from 9:30 when the clients are in
    with at(TOMORROW, T(9, 30)):
        sign_in(phone_page, dev)
        expect(phone_page.get_by_role("heading", name="Your round today")).to_be_visible()
        stops = phone_page.locator("#stops > li")
        expect(stops).to_have_count(2)
        expect(phone_page.locator("main")).not_to_contain_text(setting["Tegan"].full_name)
        expect(phone_page.locator("main")).not_to_contain_text("mg")
        # They check the two parcels they were handed and confirm them
        phone_page.get_by_role("button", name="I have these 2 parcels").click()
        expect(phone_page.locator(".nhsuk-notification-banner")).to_contain_text(
            "You confirmed you have 2 parcels"
        )
        # Robin is in: delivered to the client, identity shown
        phone_page.get_by_role("link", name=robin.full_name).click()
        expect(phone_page.locator("main")).to_contain_text("Ring twice, side door")
        phone_page.get_by_role("radio", name="The client").check()
        phone_page.get_by_role("radio", name="Asked for, and shown").check()
        phone_page.get_by_role("button", name="Record delivered").click()
        expect(phone_page.locator(".nhsuk-notification-banner")).to_contain_text("delivered")
        # Sam is not in
        phone_page.get_by_role("link", name=sam.full_name).click()
        phone_page.get_by_role("radio", name="Not in").check()
        phone_page.get_by_role("button", name="Record not delivered").click()
        expect(phone_page.locator("#round-progress")).to_have_text("2 of 2 stops recorded")
        expect(phone_page.locator("#stops")).to_contain_text("Not delivered: not in")

    # The keyworker sees the missed-delivery alert the same day
    with at(TOMORROW, T(11)):
        sign_in(page, people["keyworker"])
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Alerts (1 new)"
        ).click()
        expect(page.locator("#alerts")).to_contain_text(f"Missed delivery: {sam.full_name}")
        expect(page.locator("#alerts")).to_contain_text("not in")
        sign_out(page)

    # At the end of the day the coordinator takes Sam's parcel back; the register balances
    with at(TOMORROW, T(17)):
        sign_in(page, people["manager"])
        page.goto(f"/delivery/days/{TOMORROW.isoformat()}/")
        sams_parcel = DeliveryStop.objects.get(client=sam).parcel_number
        progress = page.locator(f'[data-parcel-progress="{sams_parcel}"]')
        progress.get_by_role("button", name="Returned to cabinet").click()
        expect(progress).to_contain_text("Back in the cabinet")
        page.get_by_role("link", name="End-of-day reconciliation").click()
        expect(page.locator("#reconciled")).to_have_text(
            "Every parcel handed out is accounted for."
        )
        expect(page.locator("#reconciliation")).to_contain_text("Balanced")

    movements = sorted(
        RegisterEntry.objects.filter(medicine=METHADONE).values_list("kind", "quantity")
    )
    assert movements == [
        ("delivered", 30),
        ("handed_to_driver", 30),
        ("handed_to_driver", 30),
        ("received", 500),
        ("returned_undelivered", 30),
    ]
