"""Texts to clients by GOV.UK Notify, against a local fake of its API: what is sent, to whom,
never without consent, with no clinical word, and what Notify reports back."""

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry, TextMessage, TextPurpose
from beacon.core.selectors import text_by_reference, text_refusal
from beacon.core.services import text_queue, text_wording_save
from beacon.core.tests.fake_notify import APPOINTMENT_TEMPLATE
from beacon.core.texts import clinical_words_in

REMINDER = TextPurpose.APPOINTMENT_REMINDER
DETAILS = {"staff_first_name": "Kai", "day": "tomorrow", "time": "10:30", "place": "Harbour Street"}


@pytest.fixture
def wording(provider, users):
    return text_wording_save(
        provider=provider,
        purpose=REMINDER,
        body="Reminder: appointment with {staff_first_name} {day} at {time}, {place}. "
        "Reply or call {service_phone} to change.",
        service_phone="0113 496 0000",
        actor=users["manager"],
    )


@pytest.fixture
def texter(provider, team):
    return ClientFactory(
        provider=provider, team=team, phone="07700 900123", consent_contact_by_text=True
    )


def queue(client, reference="appointment-reminder-1", **details):
    return text_queue(
        client=client,
        purpose=REMINDER,
        personalisation={**DETAILS, **details},
        reference=reference,
    )


def test_reminder_is_sent_to_notify_with_the_wording_and_no_clinical_word(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    assert text.status == TextMessage.Status.QUEUED
    assert fake_notify.run_tasks()[0] == "created"

    [sent] = fake_notify.texts
    body = (
        "Reminder: appointment with Kai tomorrow at 10:30, Harbour Street. "
        "Reply or call 0113 496 0000 to change."
    )
    assert sent["personalisation"] == {"body": body}
    assert sent["phone_number"] == "07700900123"
    assert sent["template_id"] == APPOINTMENT_TEMPLATE
    assert sent["reference"] == f"beacon-{text.pk}"  # nothing about the client leaves in it
    assert clinical_words_in(body, provider_name="Test Recovery Service") == []
    text.refresh_from_db()
    assert (text.body, text.phone, text.status) == (body, "07700900123", "created")
    assert text.notify_id and text.sent_at is not None and text.attempts == 1
    assert fake_notify.unauthorised == 0


def test_nothing_is_sent_without_consent_to_texts(fake_notify, wording, provider, team):
    client = ClientFactory(provider=provider, team=team, phone="07700900123")
    assert queue(client) is None
    assert text_refusal(client=client, purpose=REMINDER) == (
        "The client has not agreed to be contacted by text."
    )
    assert not TextMessage.objects.exists()
    assert fake_notify.run_tasks() == [] and fake_notify.texts == []


def test_nothing_is_sent_to_a_landline_or_no_number(fake_notify, wording, provider, team):
    for phone in ("0113 496 0000", ""):
        client = ClientFactory(
            provider=provider, team=team, phone=phone, consent_contact_by_text=True
        )
        assert queue(client, reference=f"r-{phone}") is None
        assert "no mobile number" in text_refusal(client=client, purpose=REMINDER)
    assert not TextMessage.objects.exists()


def test_consent_withdrawn_before_the_send_stops_it(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    texter.consent_contact_by_text = False
    texter.save()
    assert fake_notify.run_tasks() == ["not-sent"]
    assert fake_notify.texts == []
    text.refresh_from_db()
    assert "no longer agrees" in text.error


def test_texts_are_off_without_an_api_key(settings, wording, texter):
    settings.NOTIFY_API_KEY = ""
    assert queue(texter) is None
    assert text_refusal(client=texter, purpose=REMINDER) == (
        "Texts are off: NOTIFY_API_KEY is not set."
    )
    assert not TextMessage.objects.exists()


def test_a_place_with_a_clinical_word_is_refused_and_nothing_queued(fake_notify, wording, texter):
    with pytest.raises(ValidationError, match="Clinic"):
        queue(texter, place="Harbour Street Clinic")
    assert not TextMessage.objects.exists()


def test_the_same_reference_queues_one_text(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(texter)
        again = queue(texter)
    assert again.pk == first.pk
    fake_notify.run_tasks()
    assert len(fake_notify.texts) == 1
    assert TextMessage.objects.count() == 1


def test_a_task_run_twice_sends_once(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    from beacon.core.services import text_send_attempt

    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    fake_notify.run_tasks()
    text_send_attempt(text_id=text.pk)
    assert len(fake_notify.texts) == 1


def test_queueing_is_audited_without_the_wording(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    entry = AuditEntry.objects.get(object_type="core.TextMessage", object_id=str(text.pk))
    assert entry.client == texter
    assert "Harbour" not in entry.detail


def test_status_is_recorded_from_notify(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_notify.run_tasks() == ["created"]  # the send; it schedules a check
    text.refresh_from_db()
    fake_notify.status_of(text.notify_id, "delivered")
    assert fake_notify.run_tasks() == ["delivered"]
    text.refresh_from_db()
    assert text.status == TextMessage.Status.DELIVERED
    assert text.status_at is not None
    assert text_by_reference(provider=texter.provider, reference=text.reference) == text


def test_a_text_still_on_its_way_is_checked_again_later(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    with django_capture_on_commit_callbacks(execute=True):
        fake_notify.run_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_notify.run_tasks() == ["sending"]  # Notify: still sending
    text.refresh_from_db()
    fake_notify.status_of(text.notify_id, "temporary-failure")
    assert fake_notify.run_tasks() == ["temporary-failure"]  # the next check
    text.refresh_from_db()
    assert text.status == "temporary-failure" and text.failed


def test_a_failure_notify_reports_is_recorded_and_final(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    from beacon.core.services import text_status_record

    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    fake_notify.run_tasks()
    text.refresh_from_db()
    assert text_status_record(text=text, status="permanent-failure") is True
    assert text_status_record(text=text, status="delivered") is False  # a late report
    text.refresh_from_db()
    assert text.status == "permanent-failure" and text.failed


def test_notify_unreachable_is_retried_then_sent(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    fake_notify.fail_next = [(500, {"errors": [{"error": "Exception", "message": "down"}]})]
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_notify.run_tasks() == ["queued"]  # failed; a retry is scheduled
    text.refresh_from_db()
    assert text.attempts == 1 and "500" in text.error
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_notify.run_tasks()[0] == "created"
    text.refresh_from_db()
    assert text.attempts == 2 and text.error == "" and len(fake_notify.texts) == 1


def test_notify_unreachable_every_time_ends_not_sent(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    fake_notify.fail_next = [(503, {"errors": [{"message": "busy"}]})] * 10
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            fake_notify.run_tasks()
    text.refresh_from_db()
    assert text.status == TextMessage.Status.NOT_SENT
    assert text.attempts == 5 and "503" in text.error


def test_a_text_notify_refuses_is_not_sent_and_says_why(
    fake_notify, wording, texter, django_capture_on_commit_callbacks
):
    fake_notify.fail_next = [
        (400, {"errors": [{"error": "BadRequestError", "message": "Not a UK mobile number"}]})
    ]
    with django_capture_on_commit_callbacks(execute=True):
        text = queue(texter)
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_notify.run_tasks() == ["not-sent"]
    text.refresh_from_db()
    assert text.error == "Notify answered 400: Not a UK mobile number"
    assert fake_notify.run_tasks() == []  # no retry of a refusal


def test_a_text_is_never_sent_to_a_number_the_client_replaced(
    fake_notify, django_capture_on_commit_callbacks, provider, users
):
    from beacon.clients.tests.factories import ClientFactory
    from beacon.core.services import text_queue, text_wording_save

    text_wording_save(
        provider=provider,
        purpose=TextPurpose.APPOINTMENT_REMINDER,
        body="Reminder: appointment with {staff_first_name} {day} at {time}, {place}. "
        "Reply or call {service_phone} to change.",
        service_phone="0113 496 0004",
        actor=users["manager"],
    )
    client = ClientFactory(provider=provider, phone="07700 900555", consent_contact_by_text=True)
    text = text_queue(
        client=client,
        purpose=TextPurpose.APPOINTMENT_REMINDER,
        personalisation={
            "staff_first_name": "Kai",
            "day": "tomorrow",
            "time": "10:30",
            "place": "Harbour Street",
        },
        reference="changed-number",
    )
    client.phone = "07700 900556"
    client.save()
    fake_notify.run_tasks()
    from beacon.core.tasks import text_send

    text_send.call(text.pk)
    text.refresh_from_db()
    assert text.status == TextMessage.Status.NOT_SENT
    assert "number changed" in text.error
    assert fake_notify.texts == []
