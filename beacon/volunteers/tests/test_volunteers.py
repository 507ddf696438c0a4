"""Volunteer records, training, supervision, hours and representation: kept by staff, the
client link for managers only, the overdue supervision list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.helpers import form_as_sent
from beacon.volunteers import selectors, services
from beacon.volunteers.models import Course, Volunteer
from beacon.volunteers.tests.factories import train, volunteer_for

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def test_a_manager_adds_a_volunteer_through_the_page(web_as, users):
    page = web_as("manager").post(
        "/volunteers/new/",
        {
            "user": users["volunteer"].pk,
            "kind": "peer_in_treatment",
            "started_on": "2026-03-01",
            "status": "active",
            "dbs_level": "enhanced",
            "emergency_contact_name": "Ash Example",
            "emergency_contact_phone": "07700 900456",
        },
    )
    volunteer = Volunteer.objects.get(user=users["volunteer"])
    assert page.status_code == 302 and page.headers["Location"] == f"/volunteers/{volunteer.pk}/"
    assert volunteer.kind == "peer_in_treatment"


def test_a_volunteer_form_with_errors_keeps_what_was_typed(web_as, users):
    page = web_as("manager").post(
        "/volunteers/new/",
        {"user": users["volunteer"].pk, "emergency_contact_name": "Ash Example"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert 'value="Ash Example"' in html
    assert not Volunteer.objects.exists()


def test_only_a_manager_sees_and_sets_the_client_link(web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    volunteer = volunteer_for(users["volunteer"], client=client)
    manager_page = web_as("manager").get(f"/volunteers/{volunteer.pk}/").content.decode()
    keyworker_page = web_as("keyworker").get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert client.client_number in manager_page
    assert client.client_number not in keyworker_page and "Client record" not in keyworker_page
    with pytest.raises(ValidationError):
        services.volunteer_create(
            actor=users["keyworker"],
            data={"user": users["volunteer"], "client": client, "kind": "other"},
        )


def test_a_manager_links_a_client_by_typing_their_number_not_choosing_from_every_client(
    web_as, users, team, other_provider
):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    theirs = ClientFactory(provider=other_provider)
    manager = web_as("manager")
    sent = {
        "user": users["volunteer"].pk,
        "kind": "peer_in_treatment",
        "started_on": "2026-03-01",
        "status": "active",
        "dbs_level": "enhanced",
        "emergency_contact_name": "Ash Example",
        "emergency_contact_phone": "07700 900456",
    }
    form = manager.get("/volunteers/new/").content.decode()
    assert 'name="client"' in form and client.full_name not in form  # no list of clients
    for wrong in ("NO-SUCH-1", theirs.client_number):
        page = manager.post("/volunteers/new/", {**sent, "client": wrong})
        html = page.content.decode()
        assert page.status_code == 200 and "No client with this number in your service" in html
        assert f'value="{wrong}"' in html  # what was typed stays
    assert not Volunteer.objects.exists()
    page = manager.post("/volunteers/new/", {**sent, "client": f" {client.client_number.lower()} "})
    volunteer = Volunteer.objects.get(user=users["volunteer"])
    assert page.status_code == 302 and volunteer.client == client
    edit = manager.get(f"/volunteers/{volunteer.pk}/edit/").content.decode()
    assert f'value="{client.client_number}"' in edit
    sent.pop("user")
    manager.post(f"/volunteers/{volunteer.pk}/edit/", {**sent, "client": ""})
    volunteer.refresh_from_db()
    assert volunteer.client is None


def test_a_volunteer_opens_no_volunteer_record(web_as, volunteer):
    assert web_as("volunteer").get(f"/volunteers/{volunteer.pk}/").status_code == 403
    with pytest.raises(PermissionDenied):
        selectors.volunteer_get(user=volunteer.user, volunteer_id=volunteer.pk)


def test_another_providers_volunteer_is_not_found(web_as, make_user, other_provider):
    make_user("manager", provider=other_provider)
    theirs = volunteer_for(make_user("volunteer", provider=other_provider))
    assert web_as("manager").get(f"/volunteers/{theirs.pk}/").status_code == 404


def test_training_must_be_refreshed_after_it_was_completed(volunteer, users):
    with pytest.raises(ValidationError) as error:
        services.training_record(
            actor=users["manager"],
            volunteer=volunteer,
            data={"course": Course.FIRST_AID, "completed_on": days(-1), "refresh_by": days(-2)},
        )
    assert "refresh_by" in error.value.message_dict


def test_training_in_date_is_completed_and_not_past_its_refresh(users):
    volunteer = volunteer_for(users["volunteer"])
    train(volunteer, Course.NALOXONE_SUPPLY, completed=-400, refresh_in=-1)
    assert not selectors.training_in_date(
        volunteer=volunteer, course=Course.NALOXONE_SUPPLY, on=TODAY
    )
    train(volunteer, Course.NALOXONE_SUPPLY, completed=-1, refresh_in=0)
    assert selectors.training_in_date(volunteer=volunteer, course=Course.NALOXONE_SUPPLY, on=TODAY)


def test_supervision_overdue_lists_the_never_supervised_and_the_late(users, make_user):
    late = volunteer_for(users["volunteer"])
    never = volunteer_for(make_user("volunteer", username="vol-two"))
    fine = volunteer_for(make_user("volunteer", username="vol-three"))
    for v, next_due in ((late, days(-3)), (fine, days(20))):
        services.supervision_record(
            actor=users["nurse"],
            volunteer=v,
            data={"held_on": days(-30), "wellbeing": "well", "next_due_on": next_due},
        )
    overdue = selectors.supervision_overdue(provider=users["manager"].provider, today=TODAY)
    assert overdue == [never, late]


def test_the_overdue_supervision_page_names_them(web_as, volunteer):
    html = web_as("keyworker").get("/volunteers/supervision-overdue/").content.decode()
    assert volunteer.name in html


def test_hours_for_a_month_are_kept_once_and_replaced(volunteer, users):
    for hours in ("6", "8.5"):
        services.hours_record(
            actor=users["manager"],
            volunteer=volunteer,
            data={"month": TODAY, "hours": Decimal(hours)},
        )
    assert [str(h.hours) for h in volunteer.hours.all()] == ["8.5"]


def test_representation_is_recorded_and_shown(volunteer, users, web_as):
    services.representation_record(
        actor=users["manager"],
        volunteer=volunteer,
        data={"on": days(-2), "forum": "Local drugs partnership"},
    )
    assert (
        "Local drugs partnership"
        in web_as("manager").get(f"/volunteers/{volunteer.pk}/").content.decode()
    )


def test_the_volunteer_list_filters_and_downloads(web_as, volunteer):
    manager = web_as("manager")
    assert volunteer.name in manager.get("/volunteers/?status=active").content.decode()
    assert volunteer.name not in manager.get("/volunteers/?status=left").content.decode()
    csv = manager.get("/volunteers/volunteers.csv?status=active").content.decode()
    assert volunteer.name in csv


def test_the_supervision_form_starts_with_no_wellbeing_chosen(web_as, volunteer):
    html = web_as("manager").get(f"/volunteers/{volunteer.pk}/supervision/new/").content.decode()
    assert "wellbeing" not in form_as_sent(html)
