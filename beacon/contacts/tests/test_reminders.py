"""Appointment reminders: the day before, a client who agreed to texts (with a mobile
number) is texted through GOV.UK Notify (a local fake of its API) the staff member's first
name, the time and the place, and nothing that says what the service is; once."""

from io import StringIO

import pytest
from django.core.management import call_command

from beacon.contacts.tests.factories import at, book
from beacon.core.models import Site, TextMessage, TextPurpose
from beacon.core.services import text_wording_save
from beacon.core.texts import clinical_words_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def wording(provider, users):
    return text_wording_save(
        provider=provider,
        purpose=TextPurpose.APPOINTMENT_REMINDER,
        body="Reminder: appointment with {staff_first_name} {day} at {time}, {place}. "
        "Reply or call {service_phone} to change.",
        service_phone="0113 496 0002",
        actor=users["manager"],
    )


@pytest.fixture
def clinic(provider):
    return Site.objects.create(
        provider=provider, name="Southbank clinic", address="22 Southbank Road, Leeds"
    )


def agreeing(client, phone="07700 900123"):
    client.phone = phone
    client.consent_contact_by_text = True
    client.save()
    return client


def run() -> str:
    out = StringIO()
    call_command("appointment_reminders", stdout=out)
    return out.getvalue()


def test_tomorrows_appointment_is_reminded_without_a_clinical_word(
    fake_notify, wording, clinic, client_record, users, django_capture_on_commit_callbacks
):
    keyworker = users["keyworker"]
    book(agreeing(client_record), keyworker, starts_at=at(1, 10, 30), site=clinic)
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "1 appointment reminders queued" in out
    fake_notify.run_tasks()
    [sent] = fake_notify.texts
    body = sent["personalisation"]["body"]
    assert body == (
        f"Reminder: appointment with {keyworker.first_name} tomorrow at 10:30, "
        "22 Southbank Road. Reply or call 0113 496 0002 to change."
    )
    assert sent["phone_number"].replace(" ", "") == "07700900123"
    assert clinical_words_in(body, provider_name=client_record.provider.name) == []
    text = TextMessage.objects.get()
    assert text.reference.startswith("appointment-reminder-")


def test_nobody_is_reminded_twice_nor_without_consent_nor_of_other_days(
    fake_notify, wording, client_record, users, django_capture_on_commit_callbacks
):
    from beacon.clients.tests.factories import ClientFactory

    keyworker = users["keyworker"]
    book(agreeing(client_record), keyworker, starts_at=at(1, 9), place="Harbour Street")
    book(agreeing(client_record), keyworker, starts_at=at(2, 9), place="Harbour Street")
    silent = ClientFactory(provider=client_record.provider, team=client_record.team)
    silent.phone = "07700 900124"
    silent.save()
    book(silent, keyworker, starts_at=at(1, 11), place="Harbour Street")
    with django_capture_on_commit_callbacks(execute=True):
        first = run()
    again = run()
    assert "1 appointment reminders queued" in first
    assert "not sent to 1: The client has not agreed to be contacted by text." in first
    assert "0 appointment reminders queued" in again and "1 queued before" in again
    fake_notify.run_tasks()
    assert len(fake_notify.texts) == 1


def test_a_place_that_names_the_service_is_not_sent(
    fake_notify, wording, client_record, users, django_capture_on_commit_callbacks
):
    book(agreeing(client_record), users["keyworker"], starts_at=at(1), place="Recovery hub")
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "0 appointment reminders queued" in out and "nothing was sent" in out
    fake_notify.run_tasks()
    assert fake_notify.texts == [] and not TextMessage.objects.exists()


def test_the_appointment_page_shows_the_reminder_status(
    fake_notify, wording, client_record, users, web_as, django_capture_on_commit_callbacks
):
    appointment = book(
        agreeing(client_record), users["keyworker"], starts_at=at(1), place="Harbour Street"
    )
    page = web_as("keyworker").get(f"/contacts/appointments/{appointment.pk}/")
    assert "Sent the day before, if the client agreed to texts" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        run()
    fake_notify.run_tasks()
    page = web_as("keyworker").get(f"/contacts/appointments/{appointment.pk}/")
    text = TextMessage.objects.get()
    assert text.get_status_display() in page.content.decode()
    assert text.status != TextMessage.Status.QUEUED
