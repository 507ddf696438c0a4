"""Home delivery of methadone in the browser, from prescription to a balanced register.

A prescriber writes a methadone prescription with home delivery; the coordinator plans
tomorrow's rounds for three drivers and prints the police notice; the next morning the
coordinator hands the parcels over, a driver on a phone sees only their own stops and
records one delivered and one not in; the keyworker sees the missed-delivery alert; the
undelivered parcel comes back and the day's register balances.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.delivery.models import DeliveryStop, RegisterEntry
from beacon.delivery.services import setup as setup_services
from beacon.delivery.tests.factories import METHADONE, record
from beacon.prescribing.models import Prescription
from beacon.prescribing.tests.factories import TAKE_HOME_REASON, prescribe
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

from ..steps import (
    Clock,
    and_i_sign_out,
    and_the_page_passes_axe,
    at,
    fill_date,
    given_i_am_signed_in_as,
    when_i_open_from_the_menu,
)

T = datetime.time
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def clock():
    """The whole journey starts at 7 in the morning of TODAY, whenever the suite runs."""
    clock = Clock()
    with at(TODAY, T(7)):
        yield clock
        clock.stop()


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
            # From today: days before with no outcome would count as missed (H-50).
            start_date=TODAY,
            reason=TAKE_HOME_REASON,
        )
    record(manager, "received", 500, supplier="Example Wholesale")
    return clients


def test_methadone_home_delivery_from_prescription_to_balanced_register(
    page: Page, phone_page: Page, clock: Clock, people, setting
):
    robin, sam, tegan = setting["Robin"], setting["Sam"], setting["Tegan"]
    dev = people["drivers"][0]

    # The prescriber, on Robin's record
    given_i_am_signed_in_as(page, people["prescriber"])
    and_the_prescriber_is_on_robins_ost_prescriptions(page, robin)
    when_the_prescriber_writes_methadone_30_mg_daily_from_tomorrow_delivered_home(page)
    then_it_is_written_to_be_delivered_home(page, robin)
    and_i_sign_out(page)

    # The delivery coordinator
    given_i_am_signed_in_as(page, people["manager"])
    and_the_coordinator_opens_tomorrow_in_delivery_days(page)
    when_the_coordinator_plans_tomorrow_for_the_three_drivers_on_shift(page)
    then_robin_and_sam_are_on_devs_round_the_only_morning_shift(page, dev, robin, sam)
    and_the_police_notice_names_all_three_vehicles_ready_to_print(page, robin)
    and_i_sign_out(page)

    given_it_is(clock, TOMORROW, T(8))
    and_i_am_signed_in_as_the_coordinator_on_tomorrows_page(page, people["manager"])
    when_the_coordinator_hands_devs_parcels_over(page, dev)
    then_two_parcels_are_recorded_as_handed_to_the_driver(page)
    and_i_sign_out(page)

    # Dev, on a phone, from 9:30 when the clients are in
    given_it_is(clock, TOMORROW, T(9, 30))
    given_i_am_signed_in_as(phone_page, dev)
    then_the_driver_sees_only_their_own_stops(phone_page, tegan)

    when_the_driver_confirms_the_two_parcels_they_were_handed(phone_page)
    then_the_driver_is_told_they_have_them(phone_page)

    when_the_driver_records_robin_delivered_to_the_client_identity_shown(phone_page, robin)
    then_the_stop_is_recorded_as_delivered(phone_page)

    when_the_driver_records_sam_not_in(phone_page, sam)
    then_both_stops_are_recorded_sams_not_delivered(phone_page)

    # The keyworker, the same day
    given_it_is(clock, TOMORROW, T(11))
    given_i_am_signed_in_as(page, people["keyworker"])
    when_i_open_from_the_menu(page, "Alerts (1 new)")
    then_the_keyworker_sees_the_missed_delivery_alert(page, sam)
    and_i_sign_out(page)

    # The coordinator, at the end of the day
    given_it_is(clock, TOMORROW, T(17))
    and_i_am_signed_in_as_the_coordinator_on_tomorrows_page(page, people["manager"])
    when_the_coordinator_takes_sams_parcel_back_to_the_cabinet(page, sam)
    then_sams_parcel_is_back_in_the_cabinet(page, sam)
    and_the_days_reconciliation_balances(page)
    and_the_register_holds_each_movement_of_methadone()


def given_it_is(clock: Clock, day: datetime.date, time: datetime.time) -> None:
    clock.move_to(day, time)


def and_the_prescriber_is_on_robins_ost_prescriptions(page: Page, robin) -> None:
    page.goto(f"/clients/{robin.client_number}/")
    page.get_by_role("link", name="OST prescriptions").click()


def when_the_prescriber_writes_methadone_30_mg_daily_from_tomorrow_delivered_home(
    page: Page,
) -> None:
    """For two weeks, with no pharmacy."""
    page.get_by_role("button", name="Write a prescription").click()
    page.get_by_label("Medicine").select_option(label="Methadone 1mg/ml oral solution sugar free")
    page.get_by_label("Dose", exact=True).fill("30")
    fill_date(page, "Start date", TOMORROW)
    fill_date(page, "End date", TOMORROW + datetime.timedelta(days=13))
    page.get_by_role("radio", name="Daily").check()
    # A methadone start asks about alcohol and sedatives; the Buvidal parts are hidden.
    expect(page.get_by_text("Time of the test dose")).to_be_hidden()
    page.get_by_role("group", name="Does the client also use alcohol or sedatives").get_by_role(
        "radio", name="No"
    ).check()
    page.get_by_role("checkbox", name="Home delivery instead of a pharmacy").check()
    # Take-home doses in the first 90 days need a reason (H-41).
    page.get_by_label("Reason for the dose").fill(TAKE_HOME_REASON)
    page.get_by_role("button", name="Save prescription").click()


def then_it_is_written_to_be_delivered_home(page: Page, robin) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Methadone")
    expect(page.locator("main")).to_contain_text("Home delivery")
    prescription = Prescription.objects.get(client=robin)
    assert prescription.home_delivery and prescription.dose == 30


def and_the_coordinator_opens_tomorrow_in_delivery_days(page: Page) -> None:
    when_i_open_from_the_menu(page, "Delivery days")
    fill_date(page, "Day", TOMORROW)
    page.get_by_role("button", name="Show day").click()


def when_the_coordinator_plans_tomorrow_for_the_three_drivers_on_shift(page: Page) -> None:
    page.get_by_role("button", name="Plan this day").click()


def then_robin_and_sam_are_on_devs_round_the_only_morning_shift(
    page: Page, dev, robin, sam
) -> None:
    """They are in from 9 to 11."""
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Planned")
    devs_round = page.get_by_role("heading", name=f"{dev.display_name}, BD20 DMO")
    expect(devs_round).to_be_visible()
    round_table = page.get_by_role("region", name=re.compile(f"^{dev.display_name}, BD20 DMO"))
    expect(round_table).to_contain_text(robin.full_name)
    expect(round_table).to_contain_text(sam.full_name)
    expect(page.locator("#round-map .leaflet-marker-icon").first).to_be_visible()


def and_the_police_notice_names_all_three_vehicles_ready_to_print(page: Page, robin) -> None:
    page.get_by_role("link", name="Police notice").click()
    notice = page.locator(".beacon-police-notice")
    for registration in ("BD20 DMO", "BD21 DMP", "BD22 DMQ"):
        expect(notice).to_contain_text(registration)
    expect(notice).not_to_contain_text(robin.full_name)
    page.emulate_media(media="print")
    expect(page.locator(".beacon-no-print").first).to_be_hidden()
    expect(notice).to_be_visible()
    page.emulate_media(media="screen")


def and_i_am_signed_in_as_the_coordinator_on_tomorrows_page(page: Page, manager) -> None:
    given_i_am_signed_in_as(page, manager)
    page.goto(f"/delivery/days/{TOMORROW.isoformat()}/")


def when_the_coordinator_hands_devs_parcels_over(page: Page, dev) -> None:
    """Each parcel waiting for Dev has a box, unticked: the coordinator ticks each as they
    hand it over, then records them."""
    hand_over = page.locator("form.beacon-hand-over").filter(
        has=page.get_by_role("button", name=f"handed to {dev.display_name}")
    )
    boxes = hand_over.get_by_role("checkbox")
    expect(boxes).to_have_count(2)
    for index in range(2):
        expect(boxes.nth(index)).not_to_be_checked()
        boxes.nth(index).check()
    hand_over.get_by_role(
        "button", name=f"Record the ticked parcels as handed to {dev.display_name}"
    ).click()


def then_two_parcels_are_recorded_as_handed_to_the_driver(page: Page) -> None:
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "2 parcels recorded as handed to the driver"
    )


def then_the_driver_sees_only_their_own_stops(phone_page: Page, tegan) -> None:
    """Signed in, the driver starts on today's round: two stops, neither of them Tegan's (on
    Ali's round), and no doses."""
    expect(phone_page).to_have_url(re.compile(r"/delivery/my-round/$"))
    expect(phone_page.get_by_role("heading", name="Your round today")).to_be_visible()
    stops = phone_page.locator("#stops > li")
    expect(stops).to_have_count(2)
    expect(phone_page.locator("main")).not_to_contain_text(tegan.full_name)
    expect(phone_page.locator("main")).not_to_contain_text("mg")
    and_the_page_passes_axe(phone_page)


def when_the_driver_confirms_the_two_parcels_they_were_handed(phone_page: Page) -> None:
    phone_page.get_by_role("button", name="I have these 2 parcels").click()


def then_the_driver_is_told_they_have_them(phone_page: Page) -> None:
    expect(phone_page.locator(".nhsuk-notification-banner")).to_contain_text(
        "You confirmed you have 2 parcels"
    )
    and_the_page_passes_axe(phone_page)


def when_the_driver_records_robin_delivered_to_the_client_identity_shown(
    phone_page: Page, robin
) -> None:
    """Robin is in; the stop shows the access notes."""
    phone_page.get_by_role("link", name=robin.full_name).click()
    expect(phone_page.locator("main")).to_contain_text("Ring twice, side door")
    and_the_page_passes_axe(phone_page)
    phone_page.get_by_role("radio", name="The client").check()
    phone_page.get_by_role("radio", name="Asked for, and shown").check()
    phone_page.get_by_role("button", name="Record delivered").click()


def then_the_stop_is_recorded_as_delivered(phone_page: Page) -> None:
    expect(phone_page.locator(".nhsuk-notification-banner")).to_contain_text("delivered")


def when_the_driver_records_sam_not_in(phone_page: Page, sam) -> None:
    phone_page.get_by_role("link", name=sam.full_name).click()
    phone_page.get_by_role("radio", name="Not in").check()
    phone_page.get_by_role("button", name="Record not delivered").click()


def then_both_stops_are_recorded_sams_not_delivered(phone_page: Page) -> None:
    expect(phone_page.locator("#round-progress")).to_have_text("2 of 2 stops recorded")
    expect(phone_page.locator("#stops")).to_contain_text("Not delivered: not in")
    and_the_page_passes_axe(phone_page)


def then_the_keyworker_sees_the_missed_delivery_alert(page: Page, sam) -> None:
    expect(page.locator("#alerts")).to_contain_text(f"Missed delivery: {sam.full_name}")
    expect(page.locator("#alerts")).to_contain_text("not in")


def when_the_coordinator_takes_sams_parcel_back_to_the_cabinet(page: Page, sam) -> None:
    parcel_progress(page, sam).get_by_role("button", name="Returned to cabinet").click()


def then_sams_parcel_is_back_in_the_cabinet(page: Page, sam) -> None:
    expect(parcel_progress(page, sam)).to_contain_text("Back in the cabinet")


def and_the_days_reconciliation_balances(page: Page) -> None:
    page.get_by_role("link", name="End-of-day reconciliation").click()
    expect(page.locator("#reconciled")).to_have_text("Every parcel handed out is accounted for.")
    expect(page.locator("#reconciliation")).to_contain_text("Balanced")


def and_the_register_holds_each_movement_of_methadone() -> None:
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


def parcel_progress(page: Page, client) -> Locator:
    """The day page's line for the parcel of `client`."""
    parcel = DeliveryStop.objects.get(client=client).parcel_number
    return page.locator(f'[data-parcel-progress="{parcel}"]')
