"""Reg 19 on the register: a supply names the person supplied and their address, the
prescriber and their address, and who collected (client, named representative, or a
healthcare professional with name and address), copied as they were on the day; a receipt
names the supplier and their address; a destruction names a witness who is a user allowed
to witness. Backed by the database's CheckConstraints."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.permissions import user_can
from beacon.core.tests.factories import UserFactory
from beacon.core.tests.helpers import ROLES
from beacon.delivery.models import RegisterEntry
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import METHADONE, deliver, main_site, record, round_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(users, provider, team, site):
    """Stock on the page, 60 ml with the driver, and a client to supply."""
    record(users["manager"], "received", "200")
    record(users["manager"], "handed_to_driver", "60", driver=users["driver"])
    return ClientFactory(provider=provider, team=team)


def test_a_supply_copies_who_was_supplied_and_the_prescriber_as_they_were_that_day(
    users, stocked, site, team
):
    prescriber = users["prescriber"]
    team.site = site
    team.save()
    prescriber.team = team
    prescriber.save()
    entry = deliver(users["manager"], "30", driver=users["driver"], client=stocked)
    assert entry.supplied_name == stocked.full_name
    assert entry.supplied_address.startswith("1 Test Street")
    assert entry.prescriber == prescriber
    assert entry.prescriber_name == prescriber.display_name
    assert (
        entry.prescriber_address
        == "Test Recovery Service, Main site, 1 Cabinet Yard, Leeds, LS1 1AA"
    )
    # The client moves and the prescriber changes name: the entry keeps that day's details.
    stocked.address_line_1 = "99 New Road"
    stocked.last_name = "Renamed"
    stocked.save()
    prescriber.last_name = "Married"
    prescriber.save()
    entry.refresh_from_db()
    assert entry.supplied_address.startswith("1 Test Street")
    assert "Renamed" not in entry.supplied_name
    assert "Married" not in entry.prescriber_name


def test_a_supply_needs_a_prescriber_of_the_service(users, stocked, other_provider):
    stranger = UserFactory(role="prescriber", provider=other_provider, username="rx-ors")
    for wrong in (None, users["keyworker"], stranger):
        with pytest.raises(ValidationError) as exc:
            deliver(
                users["manager"], "30", driver=users["driver"], client=stocked, prescriber=wrong
            )
        assert "prescriber" in exc.value.message_dict
    assert not RegisterEntry.objects.filter(kind="delivered").exists()


def test_a_supply_needs_the_address_of_the_person_supplied(users, stocked):
    stocked.address_line_1 = stocked.address_line_2 = stocked.town = stocked.postcode = ""
    stocked.save()
    with pytest.raises(ValidationError) as exc:
        deliver(users["manager"], "30", driver=users["driver"], client=stocked)
    assert "address" in exc.value.message_dict["client"][0]


def test_a_healthcare_professional_who_collects_is_named_with_their_address(users, stocked):
    professional = {"recipient": "healthcare_professional"}
    for fields, field in [
        ({}, "professional_name"),
        ({"professional_name": "Dr Ada Nurse"}, "professional_address"),
    ]:
        with pytest.raises(ValidationError) as exc:
            deliver(
                users["manager"],
                "30",
                driver=users["driver"],
                client=stocked,
                **professional,
                **fields,
            )
        assert field in exc.value.message_dict
    entry = deliver(
        users["manager"],
        "30",
        driver=users["driver"],
        client=stocked,
        **professional,
        professional_name="Dr Ada Nurse",
        professional_address="Example Surgery, 2 Clinic Lane, Leeds LS2 9ZZ",
    )
    assert (entry.recipient, entry.professional_name) == ("healthcare_professional", "Dr Ada Nurse")
    assert entry.professional_address.endswith("LS2 9ZZ")


def test_a_receipt_names_the_supplier_and_their_address(users, site):
    with pytest.raises(ValidationError) as exc:
        record(users["manager"], "received", "100", supplier_address=" ")
    assert "supplier_address" in exc.value.message_dict
    entry = record(users["manager"], "received", "100")
    assert entry.supplier_address == "Unit 4, Example Park, Leeds LS9 0AA"


def _raw(**fields) -> None:
    """Insert a row past the services, as a bug or a script might: the database decides."""
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.bulk_create([RegisterEntry(**fields)])


def test_the_database_refuses_reg_19_entries_without_their_details(users, stocked, site):
    common = {
        "provider": site.provider,
        "site": site,
        "medicine": METHADONE,
        "quantity": 10,
        "balance_after": 10,
        "unit": "ml",
        "occurred_at": timezone.now(),
        "entered_by": users["manager"],
    }
    supply = {
        **common,
        "kind": "delivered",
        "driver": users["driver"],
        "client": stocked,
        "identity_requested": True,
        "identity_provided": True,
        "supplied_name": "Robin Test",
        "supplied_address": "1 Test Street",
        "prescriber_name": "Priya Scriber",
        "prescriber_address": "Test Recovery Service, Main site",
        "recipient": "client",
    }
    for missing in ("supplied_name", "supplied_address", "prescriber_name", "prescriber_address"):
        _raw(**{**supply, missing: ""})
    _raw(**{**supply, "recipient": ""})
    _raw(**{**supply, "recipient": "representative", "representative_name": ""})
    _raw(
        **{
            **supply,
            "recipient": "healthcare_professional",
            "professional_name": "Dr Ada Nurse",
            "professional_address": "",
        }
    )
    _raw(**common, kind="received", supplier="Demo Wholesale Pharma", supplier_address="")
    _raw(**common, kind="destroyed", witness="")
    assert RegisterEntry.objects.count() == 2  # the fixture's receipt and hand-over only


def test_the_door_supply_copies_the_prescriptions_prescriber_and_the_clients_address(
    users, provider, team, mid_morning
):
    [stop] = round_today(users=users, provider=provider, team=team, handed_over=True)
    stop = runsheet.stop_delivered(
        actor=users["driver"], stop=stop, data={"recipient": "client", "identity": "shown"}
    )
    entry = stop.delivered_entry
    assert entry.prescriber == stop.instalment.prescription.prescriber
    assert entry.prescriber_name == users["prescriber"].display_name
    assert entry.supplied_name == stop.client.full_name
    assert entry.supplied_address.startswith("1 Test Street")
    assert entry.site == main_site(provider)


def test_a_healthcare_professional_cannot_be_chosen_at_the_door(users, provider, team, mid_morning):
    [stop] = round_today(users=users, provider=provider, team=team, handed_over=True)
    with pytest.raises(ValidationError) as exc:
        runsheet.stop_delivered(
            actor=users["driver"],
            stop=stop,
            data={"recipient": "healthcare_professional", "identity": "shown"},
        )
    assert "recipient" in exc.value.message_dict


# The witness of a destruction (reg 27): a user allowed to witness, chosen, not typed.


def test_only_managers_and_prescribers_may_witness(users):
    allowed = {role for role in ROLES if user_can(users[role], "delivery.witness_destruction")}
    assert allowed == {"manager", "prescriber"}


def test_a_destruction_is_witnessed_by_another_user_allowed_to_witness(users, site, other_provider):
    manager = users["manager"]
    record(manager, "received", "100")
    stranger = UserFactory(role="manager", provider=other_provider, username="m-ors")
    for wrong in (None, "Ada Witness", users["nurse"], users["keyworker"], stranger, manager):
        with pytest.raises(ValidationError) as exc:
            record(manager, "destroyed", "10", witness=wrong)
        assert "witness" in exc.value.message_dict, wrong
    prescriber = users["prescriber"]
    entry = record(manager, "destroyed", "10", witness=prescriber)
    assert (entry.witnessed_by, entry.witness) == (prescriber, prescriber.display_name)


def test_the_destruction_form_offers_only_people_allowed_to_witness(web_as, users, site):
    users["prescriber"].first_name, users["nurse"].first_name = "Priya", "Nia"
    users["prescriber"].save()
    users["nurse"].save()
    form = web_as("manager").get(f"/delivery/register/{site.pk}/{METHADONE}/record/destroyed/")
    text = form.content.decode()
    # The witness list's options only (a number field may hold the same value).
    witness_list = re.search(r'<select[^>]*name="witness".*?</select>', text, re.S).group()
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', witness_list)}
    assert users["prescriber"].pk in offered
    assert users["nurse"].pk not in offered
    assert users["manager"].pk not in offered  # never yourself


def test_the_page_api_and_csv_show_the_reg_19_details(web_as, api_as, users, stocked, site):
    deliver(
        users["manager"],
        "30",
        driver=users["driver"],
        client=stocked,
        recipient="healthcare_professional",
        professional_name="Dr Ada Nurse",
        professional_address="Example Surgery, Leeds LS2 9ZZ",
    )
    page = web_as("manager").get(f"/delivery/register/{site.pk}/{METHADONE}/").content.decode()
    assert "Prescriber: " + users["prescriber"].display_name in page
    assert "Dr Ada Nurse (healthcare professional), Example Surgery, Leeds LS2 9ZZ" in page
    assert "Unit 4, Example Park, Leeds LS9 0AA" in page
    [supply] = [
        e
        for e in api_as("manager")
        .get(f"/api/v1/delivery/register/{site.pk}/{METHADONE}/entries")
        .json()
        if e["kind"] == "delivered"
    ]
    assert supply["supplied_address"].startswith("1 Test Street")
    assert supply["prescriber_name"] == users["prescriber"].display_name
    assert supply["professional_address"] == "Example Surgery, Leeds LS2 9ZZ"
    csv = web_as("manager").get(f"/delivery/register/{site.pk}/{METHADONE}/entries.csv")
    text = csv.content.decode()
    assert "person supplied,address of the person supplied,prescriber" in text.splitlines()[0]
    assert "Dr Ada Nurse" in text and "Unit 4, Example Park" in text
