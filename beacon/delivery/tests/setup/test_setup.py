"""Delivery set-up: vehicles, drivers' shifts, a client's delivery details.

Registration format, shift rules, the lockable-box selector, who may open each page and
endpoint, other providers' records, audit of every write and view, and that bad input
saves nothing.
"""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import PartnerOrganisationFactory, TeamFactory, UserFactory
from beacon.core.tests.matrix import EVERYONE
from beacon.delivery.models import (
    ClientDeliveryDetails,
    DriverShift,
    Vehicle,
    normalise_registration,
    validate_registration,
)
from beacon.delivery.selectors import setup as setup_selectors
from beacon.delivery.services import setup
from beacon.delivery.tests.factories import shift_body

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 16)
T = datetime.time
NOT_MANAGERS = [
    "keyworker",
    "prescriber",
    "nurse",
    "driver",
    "volunteer",
    "commissioner",
    "pharmacist",
    "probation_officer",
]
NOT_DETAILS = [
    "prescriber",
    "nurse",
    "driver",
    "volunteer",
    "commissioner",
    "pharmacist",
    "probation_officer",
]


@pytest.fixture
def partner(provider):
    return PartnerOrganisationFactory(provider=provider, name="Demo City Council")


@pytest.fixture
def vehicle(users, partner):
    return setup.vehicle_create(
        actor=users["manager"],
        provider=users["manager"].provider,
        data={"partner_organisation": partner, "registration": "ab12cde"},
    )


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def send(api, method, path, body):
    return api.generic(method, path, json.dumps(body), content_type="application/json")


def shift(users, vehicle, **fields):
    data = {
        "driver": users["driver"],
        "vehicle": vehicle,
        "date": DAY,
        "start_time": T(9),
        "end_time": T(13),
        **fields,
    }
    manager = users["manager"]
    return setup.shift_create(actor=manager, provider=manager.provider, data=data)


# --- registration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("ab12cde", "AB12 CDE"),
        (" AB12 CDE ", "AB12 CDE"),
        ("a123bcd", "A123 BCD"),
        ("abc123d", "ABC 123D"),
        ("1234ab", "1234 AB"),
    ],
)
def test_registration_is_normalised(raw, normalised):
    validate_registration(raw)
    assert normalise_registration(raw) == normalised


@pytest.mark.parametrize("raw", ["", "HELLO", "AB12CD", "AB12CDEF", "12AB34", "AB1!CDE"])
def test_registration_refuses_what_is_not_a_uk_mark(raw):
    with pytest.raises(ValidationError):
        validate_registration(raw)


def test_vehicle_registration_is_stored_normalised_and_unique_per_provider(
    users, vehicle, partner, other_provider
):
    assert vehicle.registration == "AB12 CDE"
    with pytest.raises(ValidationError) as caught:
        setup.vehicle_create(
            actor=users["manager"],
            provider=users["manager"].provider,
            data={"partner_organisation": partner, "registration": "AB 12 CDE"},
        )
    assert "registration" in caught.value.message_dict
    other_manager = UserFactory(provider=other_provider, role="manager", username="m-ors")
    other = setup.vehicle_create(
        actor=other_manager,
        provider=other_provider,
        data={
            "partner_organisation": PartnerOrganisationFactory(provider=other_provider),
            "registration": "AB12CDE",
        },
    )
    assert other.registration == "AB12 CDE"
    assert Vehicle.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="delivery.Vehicle", action="create").count() == 2


def test_vehicle_refuses_another_providers_partner(users, other_provider):
    with pytest.raises(ValidationError) as caught:
        setup.vehicle_create(
            actor=users["manager"],
            provider=users["manager"].provider,
            data={
                "partner_organisation": PartnerOrganisationFactory(provider=other_provider),
                "registration": "AB12CDE",
            },
        )
    assert "partner_organisation" in caught.value.message_dict
    assert not Vehicle.objects.exists()


# --- shifts ---------------------------------------------------------------------------------


def test_a_shift_is_recorded_and_audited(users, vehicle):
    recorded = shift(users, vehicle)
    assert recorded.provider == users["manager"].provider
    assert AuditEntry.objects.filter(object_type="delivery.DriverShift", action="create").exists()


def test_a_shift_must_end_after_it_starts(users, vehicle):
    for end in (T(9), T(8)):
        with pytest.raises(ValidationError) as caught:
            shift(users, vehicle, end_time=end)
        assert "end_time" in caught.value.message_dict
    assert not DriverShift.objects.exists()


def test_a_driver_has_at_most_one_shift_a_day(users, vehicle, partner):
    shift(users, vehicle)
    second = setup.vehicle_create(
        actor=users["manager"],
        provider=users["manager"].provider,
        data={"partner_organisation": partner, "registration": "XY65 ZZZ"},
    )
    with pytest.raises(ValidationError) as caught:
        shift(users, second, start_time=T(14), end_time=T(17))
    assert "driver" in caught.value.message_dict
    shift(users, second, date=DAY + datetime.timedelta(days=1))
    assert DriverShift.objects.count() == 2


def test_a_vehicle_is_not_on_two_overlapping_shifts(users, vehicle, make_user):
    shift(users, vehicle)
    other_driver = make_user("driver", username="driver-two")
    with pytest.raises(ValidationError) as caught:
        shift(users, vehicle, driver=other_driver, start_time=T(12), end_time=T(15))
    assert "vehicle" in caught.value.message_dict
    # Back to back is fine.
    shift(users, vehicle, driver=other_driver, start_time=T(13), end_time=T(17))
    assert DriverShift.objects.count() == 2


@pytest.mark.parametrize("who", ["keyworker", "manager", "volunteer"])
def test_only_a_driver_may_be_on_a_shift(users, vehicle, who):
    with pytest.raises(ValidationError) as caught:
        shift(users, vehicle, driver=users[who])
    assert "driver" in caught.value.message_dict
    assert not DriverShift.objects.exists()


def test_an_inactive_driver_is_refused(users, vehicle):
    users["driver"].is_active = False
    users["driver"].save()
    with pytest.raises(ValidationError):
        shift(users, vehicle)


def test_another_providers_driver_or_vehicle_is_refused(users, vehicle, other_provider, make_user):
    other_driver = make_user("driver", provider=other_provider, username="driver-ors")
    with pytest.raises(ValidationError) as caught:
        shift(users, vehicle, driver=other_driver)
    assert "driver" in caught.value.message_dict
    other_vehicle = Vehicle.objects.create(
        provider=other_provider,
        partner_organisation=PartnerOrganisationFactory(provider=other_provider),
        registration="OT12 HER",
    )
    with pytest.raises(ValidationError) as caught:
        shift(users, other_vehicle)
    assert "vehicle" in caught.value.message_dict
    assert not DriverShift.objects.exists()


# --- delivery details and the lockable box --------------------------------------------------

DETAILS = {"address_line_1": "1 Test Street", "postcode": "ls14ap", "access_notes": "Side door"}


def test_needs_lockable_box(users, client_record):
    assert setup_selectors.needs_lockable_box(client_record) is False
    client_record.children_in_household = True
    client_record.save()
    assert setup_selectors.needs_lockable_box(client_record) is True
    details = setup.delivery_details_save(
        actor=users["keyworker"], client=client_record, data=DETAILS
    )
    assert details.postcode == "LS1 4AP"
    assert setup_selectors.needs_lockable_box(client_record) is True
    setup.delivery_details_save(
        actor=users["keyworker"],
        client=client_record,
        data={**DETAILS, "lockable_box_recorded_on": DAY},
    )
    assert setup_selectors.needs_lockable_box(client_record) is False
    writes = AuditEntry.objects.filter(
        object_type="delivery.ClientDeliveryDetails", client=client_record
    )
    assert list(writes.values_list("action", flat=True).order_by("id")) == ["create", "update"]


@pytest.mark.parametrize(
    "bad",
    [
        {"postcode": "NOTAPOSTCODE"},
        {"address_line_1": ""},
        {"usually_in_from": T(14), "usually_in_to": T(9)},
        {"lockable_box_recorded_on": datetime.date(2999, 1, 1)},
        {"access_notes": "x" * 501},
    ],
)
def test_bad_delivery_details_save_nothing(users, client_record, bad):
    with pytest.raises(ValidationError):
        setup.delivery_details_save(
            actor=users["manager"], client=client_record, data={**DETAILS, **bad}
        )
    assert not ClientDeliveryDetails.objects.exists()
    assert not AuditEntry.objects.filter(object_type="delivery.ClientDeliveryDetails").exists()


# --- pages ----------------------------------------------------------------------------------


def test_every_role_is_covered():
    assert set(NOT_MANAGERS) | {"manager", "admin"} == set(EVERYONE)


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_other_roles_are_refused_vehicle_and_shift_pages(web_as, users, vehicle, partner, who):
    http = web_as(who)
    for path in [
        "/delivery/vehicles/",
        "/delivery/vehicles/new/",
        f"/delivery/vehicles/{vehicle.pk}/edit/",
        "/delivery/shifts/",
        "/delivery/shifts/new/",
    ]:
        assert http.get(path).status_code == 403, path
    body = {"partner_organisation": partner.pk, "registration": "XY65ZZZ"}
    assert http.post("/delivery/vehicles/new/", body).status_code == 403
    assert http.post(f"/delivery/vehicles/{vehicle.pk}/edit/", body).status_code == 403
    body = {"driver": users["driver"].pk, "vehicle": vehicle.pk, "start_time": "09:00"}
    assert http.post("/delivery/shifts/new/", body).status_code == 403
    assert Vehicle.objects.count() == 1
    assert not DriverShift.objects.exists()


@pytest.mark.parametrize("who", NOT_DETAILS)
def test_other_roles_are_refused_delivery_details_pages(web_as, client_record, who):
    http = web_as(who)
    base = f"/delivery/clients/{client_record.client_number}/details/"
    assert http.get(base).status_code == 403
    assert http.get(f"{base}edit/").status_code == 403
    assert (
        http.post(f"{base}edit/", {"address_line_1": "x", "postcode": "LS1 4AP"}).status_code == 403
    )
    assert not ClientDeliveryDetails.objects.exists()


def test_keyworker_outside_team_and_caseload_is_refused(web_as, make_user, client_record):
    outsider = make_user(
        "keyworker", username="kw-outside", team=TeamFactory(provider=client_record.provider)
    )
    http = web_as(outsider)
    assert http.get(f"/delivery/clients/{client_record.client_number}/details/").status_code == 403


def test_another_providers_client_is_not_found(web_as, other_provider):
    stranger = ClientFactory(provider=other_provider)
    http = web_as("manager")
    assert http.get(f"/delivery/clients/{stranger.client_number}/details/").status_code == 404


def test_manager_adds_a_vehicle_and_a_shift_through_the_pages(web_as, users, partner):
    http = web_as("manager")
    response = http.post(
        "/delivery/vehicles/new/",
        {"partner_organisation": partner.pk, "registration": "xy65zzz", "make": "Ford"},
    )
    assert response.status_code == 302
    vehicle = Vehicle.objects.get()
    assert vehicle.registration == "XY65 ZZZ"
    response = http.post(
        f"/delivery/vehicles/{vehicle.pk}/edit/",
        {
            "partner_organisation": partner.pk,
            "registration": "XY65ZZZ",
            "colour": "Blue",
            "active": "on",
        },
    )
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.colour == "Blue"
    form = {
        "driver": users["driver"].pk,
        "vehicle": vehicle.pk,
        "date[day]": DAY.day,
        "date[month]": DAY.month,
        "date[year]": DAY.year,
        "start_time": "09:00",
        "end_time": "13:00",
    }
    assert http.post("/delivery/shifts/new/", form).status_code == 302
    page = http.get("/delivery/shifts/", {"date[day]": 16, "date[month]": 3, "date[year]": 2026})
    assert page.status_code == 200
    assert "XY65 ZZZ" in page.content.decode()
    # End before start: shown on the form, nothing saved.
    bad = {**form, "start_time": "15:00", "end_time": "14:00"}
    response = http.post("/delivery/shifts/new/", bad)
    assert response.status_code == 200
    assert DriverShift.objects.count() == 1


def test_bad_vehicle_form_saves_nothing(web_as, partner):
    response = web_as("manager").post(
        "/delivery/vehicles/new/", {"partner_organisation": partner.pk, "registration": "NOPE"}
    )
    assert response.status_code == 200
    assert not Vehicle.objects.exists()


@pytest.mark.parametrize("who", ["keyworker", "manager"])
def test_delivery_details_edited_and_viewed_with_audit(web_as, users, client_record, who):
    http = web_as(who)
    base = f"/delivery/clients/{client_record.client_number}/details/"
    response = http.post(
        f"{base}edit/",
        {"address_line_1": "2 Side Road", "postcode": "ls1 4ap", "access_notes": "Ring twice"},
    )
    assert response.status_code == 302
    page = http.get(base)
    assert page.status_code == 200
    assert "Ring twice" in page.content.decode()
    audited = AuditEntry.objects.filter(client=client_record, user=users[who])
    assert audited.filter(action="update").exists() or audited.filter(action="create").exists()
    assert audited.filter(action="view", detail="delivery details").exists()


def test_bad_delivery_details_form_saves_nothing(web_as, client_record):
    base = f"/delivery/clients/{client_record.client_number}/details/"
    response = web_as("manager").post(f"{base}edit/", {"address_line_1": "x", "postcode": "ZZ"})
    assert response.status_code == 200
    assert not ClientDeliveryDetails.objects.exists()


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_other_roles_are_refused_vehicle_and_shift_endpoints(api_as, users, vehicle, partner, who):
    api = api_as(who)
    for path in ["/api/v1/delivery/vehicles", "/api/v1/delivery/shifts?date=2026-03-16"]:
        assert api.get(path).status_code == 403, path
    body = {"partner_organisation_id": partner.pk, "registration": "XY65ZZZ"}
    assert send(api, "POST", "/api/v1/delivery/vehicles", body).status_code == 403
    body = shift_body(driver=users["driver"], vehicle_id=vehicle.pk)
    assert send(api, "POST", "/api/v1/delivery/shifts", body).status_code == 403
    assert Vehicle.objects.count() == 1
    assert not DriverShift.objects.exists()


@pytest.mark.parametrize("who", NOT_DETAILS)
def test_other_roles_are_refused_delivery_details_endpoints(api_as, users, client_record, who):
    api = api_as(who)
    path = f"/api/v1/delivery/clients/{client_record.client_number}/delivery-details"
    assert api.get(path).status_code == 403
    body = {"address_line_1": "1 Test Street", "postcode": "LS1 4AP"}
    assert send(api, "PUT", path, body).status_code == 403
    assert not ClientDeliveryDetails.objects.exists()


def test_api_vehicle_shift_and_details(api_as, users, partner, client_record, other_provider):
    api = api_as("manager")
    body = {"partner_organisation_id": partner.pk, "registration": "xy65 zzz", "make": "Ford"}
    response = send(api, "POST", "/api/v1/delivery/vehicles", body)
    assert response.status_code == 201, response.content
    vehicle_id = response.json()["id"]
    assert response.json()["registration"] == "XY65 ZZZ"
    assert send(api, "POST", "/api/v1/delivery/vehicles", body).status_code == 422
    other_partner = PartnerOrganisationFactory(provider=other_provider)
    bad = {**body, "registration": "AB12CDE", "partner_organisation_id": other_partner.pk}
    assert send(api, "POST", "/api/v1/delivery/vehicles", bad).status_code == 422
    assert Vehicle.objects.count() == 1

    new_shift = shift_body(driver=users["driver"], vehicle_id=vehicle_id)
    assert send(api, "POST", "/api/v1/delivery/shifts", new_shift).status_code == 201
    listed = api.get("/api/v1/delivery/shifts?date=2026-03-16")
    assert [s["vehicle_id"] for s in listed.json()] == [vehicle_id]
    again = send(api, "POST", "/api/v1/delivery/shifts", new_shift)
    assert again.status_code == 422
    wrong = shift_body(driver=users["keyworker"], vehicle_id=vehicle_id, date="2026-03-17")
    assert send(api, "POST", "/api/v1/delivery/shifts", wrong).status_code == 422
    assert DriverShift.objects.count() == 1

    path = f"/api/v1/delivery/clients/{client_record.client_number}/delivery-details"
    assert api.get(path).status_code == 404
    details = {"address_line_1": "1 Test Street", "postcode": "ls14ap", "access_notes": "Side door"}
    response = send(api, "PUT", path, {**details, "postcode": "nope"})
    assert response.status_code == 422
    assert not ClientDeliveryDetails.objects.exists()
    response = send(api, "PUT", path, details)
    assert response.status_code == 200, response.content
    assert response.json()["postcode"] == "LS1 4AP"
    got = api.get(path)
    assert got.status_code == 200
    assert got.json()["access_notes"] == "Side door"
    assert AuditEntry.objects.filter(client=client_record, action="view").exists()
