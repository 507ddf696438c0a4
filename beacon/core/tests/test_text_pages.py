"""The Texts page: a manager words each kind of text (never with a clinical word), sees
whether texts are on and what became of each; Notify's receipts update a text's status."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import TextMessage, TextPurpose, TextWording
from beacon.core.services import text_queue, text_wording_save
from beacon.core.tests.fake_notify import CALLBACK_TOKEN
from beacon.core.texts import CLINICAL_WORDS, clinical_words_in, wording_render

REMINDER = TextPurpose.APPOINTMENT_REMINDER
WORDING_URL = "/texts/appointment_reminder/wording/"


def post_wording(http, body, phone="0113 496 0000"):
    return http.post(WORDING_URL, {"body": body, "service_phone": phone})


@pytest.mark.parametrize(
    "word", ["drug", "Alcohol", "METHADONE", "buprenorphine", "OST", "treatment", "clinics"]
)
def test_a_wording_with_a_clinical_word_is_refused_and_not_saved(web_as, word):
    response = post_wording(web_as("manager"), f"See you {{day}} at the {word} team, {{time}}.")
    assert response.status_code == 200
    assert "A text must not say what the service is" in response.content.decode()
    assert not TextWording.objects.exists()


def test_every_listed_word_is_caught_whole_but_not_inside_other_words():
    for word in CLINICAL_WORDS:
        assert clinical_words_in(f"Your {word} is at 10:00") == [word], word
    assert clinical_words_in("Post it at the costume shop, Ostler Street") == []


def test_the_provider_name_is_refused_in_a_wording(provider, users):
    with pytest.raises(ValidationError, match="Test Recovery Service"):
        text_wording_save(
            provider=provider,
            purpose=REMINDER,
            body="Test Recovery Service: see you {day} at {time}.",
            service_phone="",
            actor=users["manager"],
        )


def test_an_unknown_placeholder_is_refused(web_as):
    response = post_wording(web_as("manager"), "See you {day} at {time}, {room}.")
    assert "Not: {room}" in response.content.decode()
    assert not TextWording.objects.exists()


def test_a_wording_with_service_phone_needs_the_number(web_as):
    response = post_wording(web_as("manager"), "Call {service_phone} to change.", phone="")
    assert "Enter the phone number" in response.content.decode()
    assert not TextWording.objects.exists()


def test_manager_saves_a_wording_and_the_next_text_uses_it(
    web_as, provider, team, fake_notify, django_capture_on_commit_callbacks
):
    response = post_wording(
        web_as("manager"), "Hi, see {staff_first_name} {day} at {time}, {place}. {service_phone}"
    )
    assert response.status_code == 302
    client = ClientFactory(
        provider=provider, team=team, phone="07700900456", consent_contact_by_text=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        text_queue(
            client=client,
            purpose=REMINDER,
            personalisation={
                "staff_first_name": "Kai",
                "day": "tomorrow",
                "time": "09:00",
                "place": "Harbour Street",
            },
            reference="appointment-7",
        )
    fake_notify.run_tasks()
    assert fake_notify.texts[0]["personalisation"]["body"] == (
        "Hi, see Kai tomorrow at 09:00, Harbour Street. 0113 496 0000"
    )


def test_a_placeholder_cannot_reach_beyond_its_value(provider, users):
    # str.format would print the value's class here; the wording is refused instead.
    with pytest.raises(ValidationError, match="needs a value"):
        wording_render("At {time.__class__}", {"time": "10:30"})
    with pytest.raises(ValidationError, match=re.escape("Not: {time.__class__}")):
        text_wording_save(
            provider=provider,
            purpose=REMINDER,
            body="At {time.__class__}",
            service_phone="",
            actor=users["manager"],
        )


def test_the_texts_page_says_texts_are_off_without_a_key(web_as, settings):
    settings.NOTIFY_API_KEY = ""
    page = web_as("manager").get("/texts/").content.decode()
    # Once for each kind of text: reminders, delivery windows, survey links.
    assert page.count("Texts are off: NOTIFY_API_KEY is not set.") == len(TextPurpose) == 3
    assert "Reminder: appointment with {staff_first_name}" in page


@pytest.fixture
def send_reminder(provider, team, users, fake_notify, django_capture_on_commit_callbacks):
    """send_reminder(): a reminder worded "See you {day} at {time}, {place}." queued to a
    new client who agreed to texts and handed to the fake Notify; the text, reloaded."""
    text_wording_save(
        provider=provider,
        purpose=REMINDER,
        body="See you {day} at {time}, {place}.",
        service_phone="",
        actor=users["manager"],
    )

    def send():
        client = ClientFactory(
            provider=provider, team=team, phone="07700900789", consent_contact_by_text=True
        )
        with django_capture_on_commit_callbacks(execute=True):
            text = text_queue(
                client=client,
                purpose=REMINDER,
                personalisation={"day": "tomorrow", "time": "11:00", "place": "Quay Road"},
                reference=f"appointment-of-{client.pk}",
            )
        fake_notify.run_tasks()
        text.refresh_from_db()
        return text

    return send


def test_the_texts_page_shows_each_text_and_its_failure(web_as, fake_notify, send_reminder):
    fake_notify.fail_next = [(400, {"errors": [{"message": "Not a UK mobile number"}]})]
    text = send_reminder()
    page = web_as("manager").get("/texts/").content.decode()
    assert "Texts are off" not in page
    assert "See you tomorrow at 11:00, Quay Road." in page
    assert "Not sent" in page and "Notify answered 400: Not a UK mobile number" in page
    assert text.client.client_number in page


@pytest.fixture
def sent_text(send_reminder):
    return send_reminder()


def receipt(http, text, status, token=CALLBACK_TOKEN):
    body = {"id": text.notify_id, "reference": f"beacon-{text.pk}", "status": status}
    return http.post(
        "/notify/callback/",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_notify_receipt_records_the_status(client, sent_text):
    assert receipt(client, sent_text, "delivered").status_code == 204
    sent_text.refresh_from_db()
    assert sent_text.status == TextMessage.Status.DELIVERED


def test_notify_receipt_with_a_wrong_token_changes_nothing(client, sent_text):
    assert receipt(client, sent_text, "delivered", token="guessed").status_code == 401
    sent_text.refresh_from_db()
    assert sent_text.status == TextMessage.Status.CREATED


def test_notify_receipts_are_refused_when_no_token_is_set(client, sent_text, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert receipt(client, sent_text, "delivered", token="").status_code == 401
    sent_text.refresh_from_db()
    assert sent_text.status == TextMessage.Status.CREATED
