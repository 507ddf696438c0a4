"""Who came to a group, on the page: a user who may record for a few clients ticks them; a
prescriber, nurse or manager (the whole provider, up to 100,000 clients) types their client
numbers, so the page never lists every client. A number that is not a client the user may
record for is named next to the field, what was typed is kept, and nothing is saved."""

import re

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts import forms
from beacon.contacts.models import Appointment, GroupSession
from beacon.contacts.tests.factories import at
from beacon.contacts.tests.test_pages import when_fields
from beacon.core.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
NEW_GROUP = reverse("contacts:group_new")


def group_post(users, role: str, attendees) -> dict:
    return {
        "name": "SMART Recovery",
        "facilitator": users[role].pk,
        **when_fields(at(-1, 14)),
        "attendees": attendees,
    }


@pytest.fixture
def many_clients(monkeypatch):
    """More clients than a page lists to tick: the limit made 2 here, so three clients
    (of any team) are too many for a manager's page."""
    monkeypatch.setattr(forms, "ATTENDEE_CHECKBOXES_UP_TO", 2)


def test_a_managers_page_lists_no_clients_when_they_may_record_for_many(users, team, web_as):
    clients = ClientFactory.create_batch(
        forms.ATTENDEE_CHECKBOXES_UP_TO + 1, provider=team.provider, team=team
    )
    page = web_as("manager").get(NEW_GROUP).content.decode()
    assert 'type="checkbox"' not in page
    assert '<textarea class="nhsuk-textarea' in page and 'name="attendees"' in page
    assert not any(client.client_number in page for client in clients)


def test_a_keyworker_with_a_few_clients_ticks_who_came(users, client_record, web_as):
    http = web_as("keyworker")
    page = http.get(NEW_GROUP).content.decode()
    boxes = re.findall(r'<input[^>]*name="attendees"[^>]*type="checkbox"[^>]*>', page)
    assert [box for box in boxes if f'value="{client_record.pk}"' in box]
    response = http.post(NEW_GROUP, group_post(users, "keyworker", [client_record.pk]))
    assert response.status_code == 302
    assert Appointment.objects.filter(client=client_record, group_session__isnull=False).exists()


def test_a_manager_records_who_came_by_client_number(users, team, many_clients, web_as):
    first, second, _third = ClientFactory.create_batch(3, provider=team.provider, team=team)
    response = web_as("manager").post(
        NEW_GROUP,
        group_post(users, "manager", f"{first.client_number.lower()},\n {second.client_number}"),
        follow=True,
    )
    assert "Group recorded: 2 came." in response.content.decode()
    group = GroupSession.objects.get()
    assert set(group.attendances.values_list("client", flat=True)) == {first.pk, second.pk}


def test_an_unknown_number_is_named_by_the_field_and_what_was_typed_is_kept(
    users, team, many_clients, web_as
):
    clients = ClientFactory.create_batch(3, provider=team.provider, team=team)
    typed = f"{clients[0].client_number}\nTST999999\n{clients[1].client_number}"
    response = web_as("manager").post(NEW_GROUP, group_post(users, "manager", typed))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    message = "No client you may record for has the number TST999999: check it"
    assert page.count(message) == 2  # in the summary and next to the field
    assert 'id="attendees-error"' in page or "nhsuk-error-message" in page
    assert f"{clients[0].client_number}\nTST999999\n{clients[1].client_number}" in page
    assert not GroupSession.objects.exists()


def test_a_client_of_another_provider_is_refused(users, team, other_provider, many_clients, web_as):
    ours = ClientFactory.create_batch(3, provider=team.provider, team=team)
    theirs = ClientFactory(provider=other_provider)
    response = web_as("manager").post(
        NEW_GROUP,
        group_post(users, "manager", f"{ours[0].client_number}, {theirs.client_number}"),
    )
    assert (
        f"No client you may record for has the number {theirs.client_number}"
        in response.content.decode()
    )
    assert not GroupSession.objects.exists()


def test_a_keyworker_cannot_record_a_client_of_another_team_by_number(
    users, team, client_record, monkeypatch, web_as
):
    monkeypatch.setattr(forms, "ATTENDEE_CHECKBOXES_UP_TO", 0)
    elsewhere = ClientFactory(
        provider=team.provider, team=TeamFactory(provider=team.provider, name="Northside")
    )
    typed = f"{client_record.client_number} {elsewhere.client_number}"
    page = web_as("keyworker").post(NEW_GROUP, group_post(users, "keyworker", typed)).content
    assert f"has the number {elsewhere.client_number}: check it" in page.decode()
    assert not Appointment.objects.filter(group_session__isnull=False).exists()


def test_several_unknown_numbers_are_each_named(users, team, many_clients, web_as):
    ClientFactory.create_batch(3, provider=team.provider, team=team)
    page = (
        web_as("manager")
        .post(NEW_GROUP, group_post(users, "manager", "TST999998, TST999999"))
        .content.decode()
    )
    assert "No client you may record for has these numbers: TST999998, TST999999" in page


def test_who_came_must_be_given(users, team, many_clients, web_as):
    ClientFactory.create_batch(3, provider=team.provider, team=team)
    response = web_as("manager").post(NEW_GROUP, group_post(users, "manager", " , \n"))
    assert response.status_code == 200
    assert not GroupSession.objects.exists()
    assert "There is a problem" in response.content.decode()
