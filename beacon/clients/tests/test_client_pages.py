"""Creating and changing client records through the pages: validation, duplicates, consents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client, Contact
from beacon.clients.tests.factories import ClientFactory, ContactFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.helpers import form_as_sent

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Robin",
    "last_name": "Fellwood",
    "date_of_birth[day]": "14",
    "date_of_birth[month]": "3",
    "date_of_birth[year]": "1988",
    "sex": "F",
    "gender_identity": "W",
    "ethnicity": "WB",
    "nhs_number": "999 000 0018",
    "address_line_1": "4 Kiln Road",
    "town": "Demo City",
    "postcode": "ls1 4ap",
    "phone": "07700 900123",
    "gp_practice_code": "z99001",
}


@pytest.fixture
def form_data(team) -> dict:
    return {**VALID, "team": team.pk}


def test_keyworker_creates_a_client_with_a_generated_number(form_data, web_as, users, provider):
    response = web_as("keyworker").post(reverse("clients:create"), form_data)
    client = Client.objects.get()
    assert response.headers["Location"] == reverse("clients:detail", args=[client.client_number])
    assert client.client_number == "TRS000001"
    assert (client.nhs_number, client.postcode, client.gp_practice_code) == (
        "9990000018",
        "LS1 4AP",
        "Z99001",
    )
    assert client.keyworker == users["keyworker"] and client.team == users["keyworker"].team
    assert AuditEntry.objects.filter(
        action="create", client=client, username="keyworker-trs"
    ).exists()


def test_client_numbers_follow_on_within_a_provider(form_data, web_as):
    http = web_as("keyworker")
    http.post(reverse("clients:create"), form_data)
    http.post(
        reverse("clients:create"),
        {**form_data, "first_name": "Sky", "last_name": "Tarnby", "nhs_number": "9990000026"},
    )
    assert sorted(Client.objects.values_list("client_number", flat=True)) == [
        "TRS000001",
        "TRS000002",
    ]


TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def birth_date(day, month, year) -> dict:
    return {"date_of_birth[day]": day, "date_of_birth[month]": month, "date_of_birth[year]": year}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "This is not a valid NHS number"),
        ({"nhs_number": "12345"}, "NHS number must be 10 digits"),
        ({"postcode": "NOTAPOSTCODE"}, "Enter a real UK postcode"),
        (birth_date(TOMORROW.day, TOMORROW.month, TOMORROW.year), "must be in the past"),
        (birth_date("31", "2", "1990"), "Date of birth must be a real date"),
        (birth_date("14", "", "1990"), "Date of birth must include a month"),
        (birth_date("14", "3", "88"), "Enter the year as 4 digits"),
        (birth_date("1", "1", "1889"), "Date of birth must be after 1900"),
        (birth_date("", "", ""), "Enter the client&#39;s date of birth"),
        ({"ethnicity": "XX"}, "Select one of the choices for ethnicity"),
        ({"sex": "Q"}, "Select one of the choices for sex"),
        ({"first_name": "A" * 101}, "First name must be 100 characters or fewer"),
        ({"gp_practice_code": "GP1"}, "GP practice code must be a letter and 5 digits"),
        ({"phone": "12345"}, "Enter a UK phone number"),
        ({"last_name": ""}, "Enter last name"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(form_data, web_as, changes, message):
    response = web_as("keyworker").post(reverse("clients:create"), {**form_data, **changes})
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert Client.objects.count() == 0


def test_every_problem_on_the_form_is_listed_at_once(form_data, web_as):
    changes = {
        **birth_date(TOMORROW.day, TOMORROW.month, TOMORROW.year),
        "postcode": "",
        "phone": "1",
    }
    response = web_as("keyworker").post(reverse("clients:create"), {**form_data, **changes})
    for message in ("must be in the past", "Enter a postcode, or tick", "Enter a UK phone number"):
        assert message in response.text
    assert 'href="#id_date_of_birth-day"' in response.text


def test_typed_date_parts_are_kept_after_an_error(form_data, web_as):
    response = web_as("keyworker").post(
        reverse("clients:create"), {**form_data, **birth_date("31", "2", "1990")}
    )
    assert 'name="date_of_birth[day]"' in response.text and 'value="31"' in response.text


def test_postcode_is_required_unless_no_fixed_abode(form_data, web_as):
    http = web_as("keyworker")
    response = http.post(reverse("clients:create"), {**form_data, "postcode": ""})
    assert "Enter a postcode, or tick no fixed abode" in response.text
    http.post(reverse("clients:create"), {**form_data, "postcode": "", "no_fixed_abode": "on"})
    assert Client.objects.get().no_fixed_abode


def test_lookalike_client_warns_before_saving(form_data, web_as, team):
    existing = ClientFactory(
        provider=team.provider,
        team=team,
        first_name="Robyn",
        last_name="Fellwood",
        date_of_birth=datetime.date(1988, 3, 14),
    )
    http = web_as("keyworker")
    response = http.post(reverse("clients:create"), form_data)
    assert "This person may already have a record" in response.text
    assert existing.client_number in response.text
    assert Client.objects.count() == 1
    http.post(reverse("clients:create"), {**form_data, "confirm_not_duplicate": "on"})
    assert Client.objects.count() == 2


def test_same_birthday_but_different_name_is_not_a_duplicate(form_data, web_as, team):
    ClientFactory(
        provider=team.provider,
        team=team,
        first_name="Ash",
        last_name="Marram",
        date_of_birth=datetime.date(1988, 3, 14),
    )
    web_as("keyworker").post(reverse("clients:create"), form_data)
    assert Client.objects.count() == 2


def test_same_nhs_number_twice_is_refused(form_data, web_as, team):
    ClientFactory(
        provider=team.provider,
        team=team,
        nhs_number="9990000018",
        first_name="Zed",
        last_name="Other",
    )
    response = web_as("keyworker").post(reverse("clients:create"), form_data)
    assert "A client with this NHS number already exists" in response.text
    assert Client.objects.count() == 1


def test_keyworker_edits_details_of_a_client_on_their_caseload(form_data, web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    data = {**form_data, "postcode": "LS6 2AB"}
    response = web_as("keyworker").post(reverse("clients:edit", args=[client.client_number]), data)
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.postcode == "LS6 2AB"
    entry = AuditEntry.objects.get(action="update", client=client)
    assert "postcode" in entry.detail


def test_invalid_edit_keeps_the_saved_record(form_data, web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    response = web_as("keyworker").post(
        reverse("clients:edit", args=[client.client_number]), {**form_data, "postcode": "BAD"}
    )
    assert "Enter a real UK postcode" in response.text
    client.refresh_from_db()
    assert client.postcode == "LS1 4AP"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_keyworker_reads_but_cannot_change_a_team_client_on_anothers_caseload(
    web_as, team, make_user
):
    colleague = make_user("keyworker", username="colleague")
    client = ClientFactory(provider=team.provider, team=team, keyworker=colleague)
    http = web_as("keyworker")
    assert http.get(reverse("clients:detail", args=[client.client_number])).status_code == 200
    assert http.get(reverse("clients:edit", args=[client.client_number])).status_code == 403
    assert (
        http.post(reverse("clients:consents", args=[client.client_number]), {}).status_code == 403
    )


def test_keyworker_cannot_open_a_client_of_another_team(web_as, provider):
    from beacon.core.tests.factories import TeamFactory

    client = ClientFactory(provider=provider, team=TeamFactory(provider=provider, name="South"))
    assert (
        web_as("keyworker").get(reverse("clients:detail", args=[client.client_number])).status_code
        == 403
    )


def test_consents_are_changed_and_shown(web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    http = web_as("keyworker")
    http.post(
        reverse("clients:consents", args=[client.client_number]), {"consent_contact_by_text": "on"}
    )
    client.refresh_from_db()
    assert client.consent_contact_by_text and not client.consent_share_with_gp
    assert client.consents_updated_at is not None
    assert "contact_by_text=yes" in AuditEntry.objects.get(action="update", client=client).detail
    page = http.get(reverse("clients:detail", args=[client.client_number]))
    assert "Contact by text message" in page.text


def test_contacts_are_added_and_changed(web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    http = web_as("keyworker")
    http.post(
        reverse("clients:contact_create", args=[client.client_number]),
        {"name": "Jo Fellwood", "relationship": "sibling", "phone": "07700 900456"},
    )
    contact = Contact.objects.get()
    assert (contact.client, contact.provider, contact.phone) == (
        client,
        client.provider,
        "07700900456",
    )
    http.post(
        reverse("clients:contact_edit", args=[client.client_number, contact.pk]),
        {"name": "Jo Fellwood", "relationship": "sibling", "phone": "bad"},
    )
    contact.refresh_from_db()
    assert contact.phone == "07700900456"
    http.post(
        reverse("clients:contact_edit", args=[client.client_number, contact.pk]),
        {"name": "Jo Fellwood", "relationship": "friend", "phone": ""},
    )
    contact.refresh_from_db()
    assert contact.relationship == "friend"


def test_contact_of_another_client_cannot_be_opened_through_this_one(web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    other_contact = ContactFactory(client=ClientFactory(provider=team.provider, team=team))
    response = web_as("keyworker").get(
        reverse("clients:contact_edit", args=[client.client_number, other_contact.pk])
    )
    assert response.status_code == 404


def test_client_page_shows_nhs_number_in_three_three_four_and_the_attributor(web_as, team):
    client = ClientFactory(
        provider=team.provider,
        team=team,
        nhs_number="9990000018",
        first_name="Robin",
        last_name="Fellwood",
        sex="F",
        date_of_birth=datetime.date(1984, 6, 15),
    )
    response = web_as("manager").get(reverse("clients:detail", args=[client.client_number]))
    assert "999 000 0018" in response.text
    assert "RF 15/06/1984 F LS1" in response.text


def test_manager_without_a_team_registers_a_client_in_the_team_they_choose(web_as, form_data, team):
    response = web_as("manager").post(reverse("clients:create"), form_data)
    assert response.status_code == 302
    client = Client.objects.get()
    assert client.team == team and client.keyworker is None


def test_team_of_another_provider_cannot_be_chosen(web_as, form_data, other_provider):
    from beacon.core.tests.factories import TeamFactory

    elsewhere = TeamFactory(provider=other_provider)
    response = web_as("manager").post(
        reverse("clients:create"), {**form_data, "team": elsewhere.pk}
    )
    assert "Select one of the choices for team" in response.text
    assert Client.objects.count() == 0


@pytest.mark.parametrize("page", ["clients:edit", "clients:consents"])
def test_opening_an_edit_form_is_recorded_as_a_view(web_as, users, team, page):
    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    web_as("keyworker").get(reverse(page, args=[client.client_number]))
    assert AuditEntry.objects.filter(action="view", client=client, detail__contains="form").exists()


def test_lookalike_in_another_team_is_named_only_by_its_team(web_as, form_data, provider):
    from beacon.core.tests.factories import TeamFactory

    south = TeamFactory(provider=provider, name="South team")
    hidden = ClientFactory(
        provider=provider,
        team=south,
        first_name="Robyn",
        last_name="Fellwood",
        date_of_birth=datetime.date(1988, 3, 14),
    )
    response = web_as("keyworker").post(reverse("clients:create"), form_data)
    assert "A record in South team, which you cannot open" in response.text
    assert hidden.client_number not in response.text and "Robyn" not in response.text
    assert AuditEntry.objects.filter(action="search", detail__startswith="duplicate check").exists()


def test_keyworker_registers_clients_into_their_own_team_only(web_as, form_data, provider):
    from beacon.core.tests.factories import TeamFactory

    south = TeamFactory(provider=provider, name="South team")
    response = web_as("keyworker").post(reverse("clients:create"), {**form_data, "team": south.pk})
    assert "Select one of the choices for team" in response.text
    assert Client.objects.count() == 0


def test_opening_the_client_list_is_audited(web_as):
    web_as("nurse").get(reverse("clients:search"))
    assert AuditEntry.objects.filter(action="search", detail__startswith="client list").exists()


def test_the_client_page_shows_what_higher_apps_register_and_names_none_of_them(
    web_as, users, team, monkeypatch
):
    from beacon.clients import hooks

    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    seen = []

    def shown(client, user, *, origin=None, today=None):
        seen.append(user)
        return {
            "id": "a-section",
            "title": "A section",
            "rows": [{"key": {"text": "Key"}, "value": {"text": "Value"}}],
            "links": [{"text": "More", "href": "/more/"}],
        }

    def hidden(client, user, *, origin=None, today=None):
        return None

    monkeypatch.setattr(hooks.client_page_sections, "_entries", [shown, hidden])
    page = web_as("keyworker").get(reverse("clients:detail", args=[client.client_number])).text
    assert '<section id="a-section">' in page and "A section" in page
    assert "Value" in page and 'href="/more/"' in page
    # The summary of today, then the one section shown.
    assert page.count("<section id=") == 2 and '<section id="client-today"' in page
    assert seen == [users["keyworker"]]


def test_a_client_registered_untouched_has_no_gender_identity_chosen_for_them(form_data, web_as):
    # H-94: "Prefers not to say" is the client's answer, not the form's.
    http = web_as("keyworker")
    untouched = form_as_sent(http.get(reverse("clients:create")).text)
    form_data.pop("gender_identity")

    response = http.post(reverse("clients:create"), {**untouched, **form_data})

    assert untouched["gender_identity"] == [""]
    assert "Select gender identity" in response.text
    assert not Client.objects.exists()


def test_a_saved_clients_gender_identity_shows_as_saved(web_as, users, team):
    robin = ClientFactory(
        provider=team.provider, team=team, keyworker=users["keyworker"], gender_identity="NB"
    )
    page = web_as("keyworker").get(reverse("clients:edit", args=[robin.client_number]))

    assert form_as_sent(page.text)["gender_identity"] == ["NB"]
