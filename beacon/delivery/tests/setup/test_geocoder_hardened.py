"""The postcode look-up tells the outside world only the postcode, and only a server Beacon
is told to ask: no proxy from the environment, https or this machine only, no private
address unless allowed, a small answer in time; each postcode sent is in the audit log, and
"Find the map position" while look-up is off saves nothing (issue #11, H-136)."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.delivery import geocoder
from beacon.delivery.models import ClientDeliveryDetails

pytestmark = pytest.mark.django_db

TYPED = {
    "address_line_1": "2 Side Road",
    "town": "Leeds",
    "postcode": "ls1 4ap",
    "access_notes": "Ring twice, side door",
    "usually_in_from": "09:00",
    "usually_in_to": "12:00",
}


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def find(web, client, data=None):
    return web.post(
        f"/delivery/clients/{client.client_number}/details/edit/",
        {**(data or TYPED), "find_position": "1"},
    )


def test_the_postcode_sent_is_audited_with_the_server_and_the_client(
    web_as, client_record, fake_postcodes, users
):
    fake_postcodes.knows("LS1 4AP", 53.8, -1.5)
    find(web_as("manager"), client_record)
    entry = AuditEntry.objects.get(action="export", client=client_record)
    assert entry.username == users["manager"].username
    assert "Postcode LS1 4AP sent to the postcode server 127.0.0.1:" in entry.detail
    assert "2 Side Road" not in entry.detail


def test_a_postcode_sent_is_audited_even_when_the_server_fails(
    web_as, client_record, fake_postcodes
):
    fake_postcodes.fail_next.append(500)
    find(web_as("manager"), client_record)
    assert AuditEntry.objects.filter(action="export", client=client_record).count() == 1


def test_a_proxy_in_the_environment_is_not_used(web_as, client_record, fake_postcodes, monkeypatch):
    """A proxy (or netrc) from the server's environment would see every postcode: the
    session trusts nothing of the environment, so the fake is reached directly."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    fake_postcodes.knows("LS1 4AP", 53.796582, -1.545212)
    page = find(web_as("manager"), client_record).content.decode()
    assert "Found for LS1 4AP" in page
    assert len(fake_postcodes.requests) == 1


def test_an_answer_too_large_is_refused_and_nothing_is_saved(web_as, client_record, fake_postcodes):
    fake_postcodes.knows("LS1 4AP", 53.8, -1.5)
    fake_postcodes.padding = geocoder.MAX_ANSWER_BYTES
    page = find(web_as("manager"), client_record).content.decode()
    assert "answer was too large. Nothing was lost" in page
    assert 'value="2 Side Road"' in page
    assert not ClientDeliveryDetails.objects.exists()


@pytest.mark.parametrize(
    "url, refused",
    [
        ("https://postcodes.example.org", ""),
        ("http://127.0.0.1:8001", ""),
        ("http://localhost:8001/", ""),
        ("http://postcodes.example.org", "must start https://"),
        ("ftp://127.0.0.1", "must start https://"),
        ("https://user:secret@postcodes.example.org", "must not hold a password"),
        ("https://10.1.2.3", "private address (10.1.2.3)"),
        ("https://192.168.0.7", "private address"),
        ("https://169.254.169.254", "private address"),
        ("https://[fd00::1]", "private address"),
        ("https://", "has no host"),
    ],
)
def test_only_https_or_this_machine_and_no_private_address(url, refused):
    assert refused in geocoder.geocoder_url_refused(url, allow_private=False)
    assert bool(geocoder.geocoder_url_refused(url, allow_private=False)) == bool(refused)


def test_a_private_address_is_asked_when_the_service_allows_it():
    assert geocoder.geocoder_url_refused("https://10.1.2.3", allow_private=True) == ""


def test_a_refused_server_is_not_asked_and_the_form_says_why(
    web_as, client_record, settings, fake_postcodes
):
    settings.BEACON_GEOCODER_URL = "https://10.1.2.3"
    web = web_as("manager")
    page = web.get(f"/delivery/clients/{client_record.client_number}/details/edit/").text
    assert "Postcode look-up is off: The postcode server is at a private address" in page
    find(web, client_record)
    assert fake_postcodes.requests == []
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("url", ["", "http://postcodes.example.org"])
def test_find_position_while_look_up_is_off_saves_nothing(web_as, client_record, settings, url):
    """A page loaded while look-up was on, its button pressed after it was turned off: the
    form comes back as typed with the reason, and no delivery details are saved."""
    settings.BEACON_GEOCODER_URL = url
    response = find(
        web_as("manager"), client_record, {**TYPED, "latitude": "53.8", "longitude": "-1.5"}
    )
    assert response.status_code == 200
    assert "Postcode look-up is" in response.text
    assert 'value="2 Side Road"' in response.text
    assert not ClientDeliveryDetails.objects.exists()
