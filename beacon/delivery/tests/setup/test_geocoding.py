"""A delivery address's map position from its postcode, through a postcodes.io-compatible
server (a local fake): shown to confirm, saved only with the details; without a server the
form says so; errors lose nothing (issue #11, H-132)."""

import threading
from decimal import Decimal

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.matrix import EVERYONE
from beacon.delivery.models import ClientDeliveryDetails

pytestmark = pytest.mark.django_db

TYPED = {
    "address_line_1": "2 Side Road",
    "town": "Leeds",
    "postcode": "ls1 4ap",
    "access_notes": "Ring twice, side door",
    "authorised_representatives": "Pat Example",
    "usually_in_from": "09:00",
    "usually_in_to": "12:00",
}


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def edit_path(client) -> str:
    return f"/delivery/clients/{client.client_number}/details/edit/"


def find(web, client, data=None):
    return web.post(edit_path(client), {**(data or TYPED), "find_position": "1"})


def test_the_postcode_finds_a_position_to_confirm_and_nothing_is_saved_yet(
    web_as, client_record, fake_postcodes
):
    fake_postcodes.knows("LS1 4AP", 53.796582, -1.545212)
    response = find(web_as("manager"), client_record)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Found for LS1 4AP: latitude 53.796582, longitude -1.545212" in page
    assert "It is not saved yet" in page
    assert 'value="53.796582"' in page and 'value="-1.545212"' in page
    # Everything typed is still there, and nothing is saved until the coordinator saves.
    assert 'value="2 Side Road"' in page and "Ring twice, side door" in page
    assert "Pat Example" in page and 'value="09:00"' in page
    assert not ClientDeliveryDetails.objects.exists()


def test_saving_the_confirmed_position_stores_it(web_as, client_record, fake_postcodes):
    fake_postcodes.knows("LS1 4AP", 53.796582, -1.545212)
    web = web_as("keyworker")
    find(web, client_record)
    saved = web.post(
        edit_path(client_record), {**TYPED, "latitude": "53.796582", "longitude": "-1.545212"}
    )
    assert saved.status_code == 302
    details = ClientDeliveryDetails.objects.get()
    assert (details.latitude, details.longitude) == (Decimal("53.796582"), Decimal("-1.545212"))
    shown = web.get(f"/delivery/clients/{client_record.client_number}/details/").content.decode()
    assert "53.796582, -1.545212" in shown


def test_only_the_postcode_is_sent(web_as, client_record, fake_postcodes):
    fake_postcodes.knows("LS1 4AP", 53.8, -1.5)
    find(web_as("manager"), client_record)
    (sent,) = fake_postcodes.requests
    assert sent["path"] == "/postcodes/LS1%204AP"
    assert sent["body"] == b""
    everything_sent = sent["path"] + " ".join(f"{k}: {v}" for k, v in sent["headers"].items())
    for private in (
        client_record.client_number,
        client_record.first_name,
        client_record.last_name,
        "Side Road",
        "Ring twice",
        "Pat Example",
        "sessionid",
        "csrftoken",
    ):
        assert private not in everything_sent, private


def test_an_unknown_postcode_says_so_and_keeps_what_was_typed(
    web_as, client_record, fake_postcodes
):
    page = find(web_as("manager"), client_record).content.decode()
    assert "The postcode server does not know LS1 4AP: check it, or type the latitude" in page
    assert "There is a problem" in page
    assert 'value="2 Side Road"' in page and "Ring twice, side door" in page
    assert not ClientDeliveryDetails.objects.exists()


def test_a_postcode_without_a_position_says_so(web_as, client_record, fake_postcodes):
    fake_postcodes.knows("LS1 4AP", None, None)
    page = find(web_as("manager"), client_record).content.decode()
    assert "The postcode server has no map position for LS1 4AP" in page


def test_a_server_error_says_try_again_and_loses_nothing(web_as, client_record, fake_postcodes):
    fake_postcodes.fail_next.append(500)
    page = find(web_as("manager"), client_record).content.decode()
    assert "The postcode server answered 500. Nothing was lost: try again" in page
    assert 'value="2 Side Road"' in page and "Pat Example" in page


def test_a_server_that_cannot_be_reached_says_so(web_as, client_record, settings):
    settings.BEACON_GEOCODER_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    page = find(web_as("manager"), client_record).content.decode()
    assert "The postcode server could not be reached. Nothing was lost" in page
    assert 'value="2 Side Road"' in page


def test_a_slow_server_times_out_with_a_clear_message(
    web_as, client_record, fake_postcodes, settings
):
    settings.BEACON_GEOCODER_TIMEOUT_SECONDS = 0.2
    fake_postcodes.knows("LS1 4AP", 53.8, -1.5)
    fake_postcodes.hold = threading.Event()
    page = find(web_as("manager"), client_record).content.decode()
    fake_postcodes.hold.set()
    assert "The postcode server did not answer in time. Nothing was lost" in page
    assert 'value="2 Side Road"' in page
    assert not ClientDeliveryDetails.objects.exists()


def test_a_bad_postcode_is_not_sent(web_as, client_record, fake_postcodes):
    page = find(web_as("manager"), client_record, {**TYPED, "postcode": "ZZ"}).content.decode()
    assert "Enter a real UK postcode" in page
    assert fake_postcodes.requests == []


def test_finding_shows_only_the_position_errors_not_the_rest_of_the_form(
    web_as, client_record, fake_postcodes
):
    fake_postcodes.knows("LS1 4AP", 53.8, -1.5)
    page = find(web_as("manager"), client_record, {"postcode": "LS1 4AP"}).content.decode()
    assert "Found for LS1 4AP" in page
    assert "There is a problem" not in page


def test_without_a_geocoder_the_form_says_so_and_coordinates_are_typed(
    web_as, client_record, settings
):
    settings.BEACON_GEOCODER_URL = ""
    web = web_as("manager")
    page = web.get(edit_path(client_record)).content.decode()
    assert "Postcode look-up is not set up (BEACON_GEOCODER_URL)" in page
    assert "Find the map position from the postcode" not in page
    saved = web.post(edit_path(client_record), {**TYPED, "latitude": "53.8", "longitude": "-1.55"})
    assert saved.status_code == 302
    assert ClientDeliveryDetails.objects.get().latitude == Decimal("53.8")


def test_with_a_geocoder_the_form_offers_the_look_up(web_as, client_record, fake_postcodes):
    page = web_as("manager").get(edit_path(client_record)).content.decode()
    assert "Find the map position from the postcode" in page
    assert "not set up" not in page


@pytest.mark.parametrize(
    "who", sorted(set(EVERYONE) - {"manager", "keyworker", "admin", "anonymous"})
)
def test_other_roles_cannot_look_a_postcode_up(web_as, client_record, fake_postcodes, who):
    response = find(web_as(who), client_record)
    assert response.status_code == 403
    assert fake_postcodes.requests == []
