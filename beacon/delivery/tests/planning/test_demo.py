"""Demo home delivery: every driver on a round today, clients with details, stock; once."""

import datetime
import random

import pytest
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.demo import seed_organisations
from beacon.core.models import AuditEntry, PartnerOrganisation
from beacon.core.roles import Role
from beacon.delivery.demo import delivery_clients, seed_delivery
from beacon.delivery.models import (
    ClientDeliveryDetails,
    DeliveryRound,
    DeliveryStop,
    DriverShift,
    PatientReturn,
    RegisterBalance,
    RegisterEntry,
    Vehicle,
)
from beacon.delivery.services import planning
from beacon.prescribing.demo import METHADONE, seed_prescriptions
from beacon.prescribing.models import Instalment
from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db

CLIENTS = 7
WITH_CHILDREN = 2
QUICK = {"seconds": 1, "iterations": 300}


def seed(org) -> dict:
    return seed_delivery(random.Random(3), org, **QUICK)


@pytest.fixture
def org():
    """The demo organisations and a few clients on methadone, two with children at home."""
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for index in range(CLIENTS):
        episode = TreatmentEpisodeFactory(
            client__provider=org["provider"],
            client__team=keyworker.team,
            client__children_in_household=index < WITH_CHILDREN,
            keyworker=keyworker,
        )
        ModalityFactory(episode=episode, ost=True)
    seed_prescriptions(random.Random(2), org)
    return org


@pytest.fixture
def seeded(org):
    return seed(org)


def test_three_council_drivers_each_have_a_shift_today_and_tomorrow(org, seeded):
    today = timezone.localdate()
    for date in (today, today + datetime.timedelta(days=1)):
        shifts = DriverShift.objects.filter(date=date).select_related("driver", "vehicle")
        assert sorted(s.driver.username for s in shifts) == ["driver", "driver2", "driver3"]
        assert len({s.vehicle_id for s in shifts}) == 3
        for shift in shifts:
            assert shift.driver.role == Role.DRIVER
            assert shift.driver.partner_organisation.kind == PartnerOrganisation.Kind.COUNCIL
            assert shift.vehicle.partner_organisation == shift.driver.partner_organisation
            assert shift.driver.totpdevice_set.exists()


def test_every_home_delivery_client_has_details_and_a_daily_unsupervised_prescription(org, seeded):
    clients = delivery_clients(org["provider"])
    assert len(clients) == CLIENTS - WITH_CHILDREN
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for client in clients:
        details = ClientDeliveryDetails.objects.get(client=client)
        assert details.postcode.startswith("LS") and details.address_line_1
        assert datetime.time(9) <= details.usually_in_from < details.usually_in_to
        assert details.usually_in_to <= datetime.time(15)
        prescription = client.ost_prescriptions.get()
        assert prescription.home_delivery and prescription.pharmacy is None
        assert prescription.pattern == "daily" and prescription.supervised_days == ""
        assert prescription.end_date >= tomorrow
    # No take-home dose goes to a home with children before a lockable box is seen (H-44):
    # the demo's clients with children collect supervised doses from the pharmacy.
    assert not ClientDeliveryDetails.objects.filter(client__children_in_household=True)
    for client in Client.objects.filter(children_in_household=True):
        assert all(
            i.supervised for p in client.ost_prescriptions.all() for i in p.instalments.all()
        )
    assert ClientDeliveryDetails.objects.filter(latitude__isnull=True).count() == 1


def test_todays_plan_has_a_round_for_each_driver_and_says_why_stops_are_left_out(org, seeded):
    today = timezone.localdate()
    rounds = DeliveryRound.objects.filter(date=today).select_related("shift__driver")
    assert sorted(r.shift.driver.username for r in rounds) == ["driver", "driver2", "driver3"]
    assert all(r.stops.exists() for r in rounds)
    left_out = DeliveryStop.objects.filter(date=today, round__isnull=True)
    assert sorted(left_out.values_list("unassigned_reason", flat=True)) == sorted(
        [planning.NO_COORDINATES]
    )
    # Shown as the service's failures, not the clients' misses (hazard log H-53).
    assert all(stop.instalment.not_delivered_by_service for stop in left_out)
    tomorrow = today + datetime.timedelta(days=1)
    assert DeliveryStop.objects.filter(date=tomorrow).count() == CLIENTS - WITH_CHILDREN
    assert seeded["days_planned"] == 2


def test_the_register_holds_enough_methadone_for_the_days_parcels(org, seeded):
    hub = org["provider"].delivery_setup.stock_site
    balance = RegisterBalance.objects.get(site=hub, medicine=METHADONE).balance
    parcels = Instalment.objects.filter(
        date=timezone.localdate(), prescription__home_delivery=True
    ).values_list("quantity", flat=True)
    assert parcels and balance >= sum(parcels)
    received = RegisterEntry.objects.get(kind=RegisterEntry.Kind.RECEIVED, site=hub)
    assert received.supplier == "Demo Wholesale Pharmacy" and received.entered_by.role == "manager"
    assert received.supplier_address.endswith("LS10 1ZZ") and hub.name == "Harbour Street hub"


def test_the_demo_shows_two_sites_a_witnessed_destruction_and_patient_returns(org, seeded):
    sites = set(RegisterEntry.objects.values_list("site__name", flat=True))
    assert sites == {"Harbour Street hub", "Southbank clinic"}
    destroyed = RegisterEntry.objects.get(kind=RegisterEntry.Kind.DESTROYED)
    assert destroyed.witnessed_by.role == "prescriber" and destroyed.witness
    kinds = sorted(PatientReturn.objects.values_list("kind", flat=True))
    assert kinds == ["destroyed", "returned", "returned"]


def test_running_it_again_creates_nothing(org, seeded):
    models = [
        Vehicle,
        DriverShift,
        ClientDeliveryDetails,
        RegisterEntry,
        PatientReturn,
        DeliveryRound,
        DeliveryStop,
        AuditEntry,
    ]
    counts = [model.objects.count() for model in models]
    again = seed(org)
    assert set(again.values()) == {0}
    assert [model.objects.count() for model in models] == counts


def test_the_demo_shows_this_mornings_window_texts_with_notify_statuses(org):
    from beacon.core.demo import seed_text_wordings
    from beacon.core.models import TextMessage
    from beacon.core.texts import clinical_words_in

    clients = Client.objects.filter(provider=org["provider"]).order_by("pk")
    for index, client in enumerate(clients):
        client.phone, client.consent_contact_by_text = f"07700 900{index:03d}", index != 0
        client.save()
    seed_text_wordings(random.Random(4), org, clients=0, stdout=None)
    made = seed(org)["window_texts"]
    texts = list(TextMessage.objects.select_related("client__delivery_details"))
    assert made == len(texts) > 0
    assert "delivered" in {text.status for text in texts}
    for text in texts:
        assert text.client.consent_contact_by_text
        assert text.client.delivery_details.window_text_agreed
        assert clinical_words_in(text.body, provider_name=org["provider"].name) == []
        assert text.body.startswith("Your delivery is due today between ")
    assert seed(org)["window_texts"] == 0  # once
