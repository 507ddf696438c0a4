"""H-200: a volunteer cannot record a naloxone supply unless their naloxone supply training
is in date, whichever way they try: the outreach contact form, or naloxone's own supply
service (the check is registered with it). Nothing is saved and no stock moves."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.naloxone import services as naloxone
from beacon.naloxone.models import NaloxoneSupply, Recipient, StockBalance
from beacon.volunteers.models import Course, OutreachContact
from beacon.volunteers.tests.factories import contact, shift_for, train, volunteer_for


@pytest.fixture
def lapsed(users):
    volunteer = volunteer_for(users["volunteer"])
    train(volunteer, Course.NALOXONE_SUPPLY, completed=-400, refresh_in=-1)
    return volunteer


def _balance(batch):
    return StockBalance.objects.get(batch=batch).balance


def test_a_volunteer_with_expired_naloxone_training_is_stopped_with_a_clear_message(
    lapsed, base, stocked, users, web_as
):
    shift = shift_for(lapsed, site=base, duty_manager=users["manager"])
    page = web_as("volunteer").post(
        f"/volunteers/shifts/{shift.pk}/contacts/new/",
        {"concern": "none", "naloxone": "on", "naloxone_trained": "on", "water": "on"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "You cannot record a naloxone supply: your naloxone supply training expired" in html
    assert "Ask your supervisor" in html
    assert not OutreachContact.objects.exists()
    assert not NaloxoneSupply.objects.exists() and _balance(stocked) == 5


def test_naloxones_own_supply_service_refuses_a_volunteer_out_of_date(lapsed, base, stocked, users):
    with pytest.raises(ValidationError) as error:
        naloxone.supply_record(
            actor=users["volunteer"],
            batch=stocked,
            site=base,
            recipient=Recipient.PEER,
            on=timezone.localdate(),
            trained_by=users["volunteer"],
            training_topics=list(naloxone.REQUIRED_TOPICS),
        )
    assert "naloxone supply training expired" in str(error.value)
    assert _balance(stocked) == 5


def test_a_volunteer_never_trained_is_refused_too(users, base, stocked):
    volunteer = volunteer_for(users["volunteer"])
    shift = shift_for(volunteer, site=base, duty_manager=users["manager"])
    with pytest.raises(ValidationError) as error:
        contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    assert "is not recorded" in str(error.value)


def test_a_volunteer_in_date_supplies_a_pack_and_the_stock_moves(volunteer, shift, stocked, users):
    made = contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    supply = made.naloxone_supply
    assert supply is not None and supply.supplied_by == users["volunteer"]
    assert supply.client is None and supply.site == shift.site
    assert _balance(stocked) == 4


def test_a_pack_is_handed_over_only_after_showing_how_to_use_it(volunteer, shift, stocked, users):
    with pytest.raises(ValidationError) as error:
        contact(users["volunteer"], shift, naloxone=True)
    assert "naloxone_trained" in error.value.message_dict
    assert _balance(stocked) == 5


def test_staff_supplies_are_not_asked_about_volunteer_training(users, base, stocked, team):
    from beacon.naloxone.tests.factories import opiate_client, supply_to

    client = opiate_client(team, users["keyworker"])
    assert supply_to(users["keyworker"], client, stocked, base).pk
