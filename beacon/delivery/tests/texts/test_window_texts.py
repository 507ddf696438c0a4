"""Delivery window texts: on the morning of a round, a client who agreed to one (and to
contact by text, with a mobile number) is texted their window once, through GOV.UK Notify
(a local fake of its API); nobody else is texted."""

from io import StringIO

import pytest
from django.core.management import call_command

from beacon.core.models import TextMessage, TextPurpose
from beacon.core.services import text_wording_save
from beacon.core.texts import clinical_words_in
from beacon.delivery.models import ClientDeliveryDetails
from beacon.delivery.tests.factories import round_today


@pytest.fixture
def wording(provider, users):
    return text_wording_save(
        provider=provider,
        purpose=TextPurpose.DELIVERY_WINDOW,
        body="Your delivery is due today between {window_start} and {window_end}. "
        "Reply or call {service_phone} if you will not be in.",
        service_phone="0113 496 0001",
        actor=users["manager"],
    )


@pytest.fixture
def stops(users, provider, team):
    """Today's round of three clients, all with a mobile number: Robin agreed to both texts
    and window texts, Sasha to window texts but not to texts, Tegan to texts only."""
    stops = round_today(users=users, provider=provider, team=team, clients=3)
    for stop, texts, window in zip(stops, (True, False, True), (True, True, False), strict=True):
        stop.client.phone = f"07700 90010{stop.position}"
        stop.client.consent_contact_by_text = texts
        stop.client.save()
        ClientDeliveryDetails.objects.filter(client=stop.client).update(window_text_agreed=window)
    return stops


def run() -> str:
    out = StringIO()
    call_command("delivery_window_texts", stdout=out)
    return out.getvalue()


def test_the_client_who_agreed_is_texted_their_window_and_nobody_else(
    fake_notify, wording, stops, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "1 delivery window texts queued" in out
    assert "not sent to 1: The client has not agreed to be contacted by text." in out
    fake_notify.run_tasks()
    [sent] = fake_notify.texts
    body = sent["personalisation"]["body"]
    assert body == (
        "Your delivery is due today between 09:00 and 12:00. "
        "Reply or call 0113 496 0001 if you will not be in."
    )
    assert sent["phone_number"] == "07700900101"
    assert clinical_words_in(body, provider_name="Test Recovery Service") == []
    text = TextMessage.objects.get()
    assert (text.client, text.purpose) == (stops[0].client, TextPurpose.DELIVERY_WINDOW)
    assert text.status == "created"


def test_running_again_texts_nobody_twice(
    fake_notify, wording, stops, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run()
        again = run()
    assert "0 delivery window texts queued" in again and "1 queued before" in again
    fake_notify.run_tasks()
    assert len(fake_notify.texts) == 1


def test_a_parcel_held_back_or_delivered_gets_no_window_text(
    fake_notify, wording, stops, django_capture_on_commit_callbacks
):
    type(stops[0]).objects.filter(pk=stops[0].pk).update(
        status="held_back", held_back_reason="Prescriber review"
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "0 delivery window texts queued" in out
    assert fake_notify.run_tasks() == [] and not TextMessage.objects.exists()


def test_no_window_texts_without_notify(settings, wording, stops):
    settings.NOTIFY_API_KEY = ""
    out = run()
    assert "not sent to 2: Texts are off: NOTIFY_API_KEY is not set." in out
    assert not TextMessage.objects.exists()


def test_the_agreement_is_asked_and_shown_with_the_delivery_details(web_as, stops):
    client = stops[2].client  # agreed to texts, not yet to window texts
    http = web_as("manager")
    edited = http.post(
        f"/delivery/clients/{client.client_number}/details/edit/",
        {"address_line_1": "3 Example Row", "postcode": "LS1 4AP", "window_text_agreed": "on"},
    )
    assert edited.status_code == 302
    assert ClientDeliveryDetails.objects.get(client=client).window_text_agreed is True
    page = http.get(f"/delivery/clients/{stops[1].client.client_number}/details/")
    assert "Agreed (no consent to contact by text: none is sent)" in page.content.decode()


def test_the_delivery_day_page_says_whether_window_texts_go(web_as, settings, fake_notify):
    http = web_as("manager")
    day = "/delivery/days/2026-06-01/"
    assert "sent each morning to the clients who agreed" in http.get(day).content.decode()
    settings.NOTIFY_TEMPLATE_DELIVERY_WINDOW = ""
    page = http.get(day).content.decode()
    assert "Delivery window texts: not sent. Delivery window texts are off: " in page
    assert "NOTIFY_TEMPLATE_DELIVERY_WINDOW is not set." in page
