"""Delivery feedback: a week after a client's first home delivery, the morning's run texts
them an anonymous one-time link to the delivery feedback survey, through GOV.UK Notify (a
local fake of its API), once; nobody who did not agree to texts is texted."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone

from beacon.core.models import AuditEntry, TextMessage, TextPurpose
from beacon.core.services import text_wording_save
from beacon.core.texts import DEFAULT_WORDING, clinical_words_in
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import round_today
from beacon.voice.models import Response, SurveyLink
from beacon.voice.shipped import DELIVERY_FEEDBACK

DEMO_SITE = "https://beacon.example.org"


@pytest.fixture
def wording(provider, users):
    """The service's phone number in the default wording (a manager's, on the Texts page)."""
    return text_wording_save(
        provider=provider,
        purpose=TextPurpose.SURVEY_LINK,
        body=DEFAULT_WORDING[TextPurpose.SURVEY_LINK],
        service_phone="0113 496 0001",
        actor=users["manager"],
    )


@pytest.fixture
def delivered(users, provider, team, settings, wording):
    """Robin (texts agreed, a mobile) and Sasha (no texts) each had a first delivery on a
    morning eight days before the run; Tegan's parcel was not delivered."""
    settings.BEACON_SITE_URL = DEMO_SITE
    first_day = timezone.localdate() - datetime.timedelta(days=8)
    morning = datetime.datetime.combine(
        first_day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(morning, tick=True):
        stops = round_today(users=users, provider=provider, team=team, clients=3, handed_over=True)
        for stop in stops[:2]:
            runsheet.stop_delivered(
                actor=users["driver"], stop=stop, data={"recipient": "client", "identity": "shown"}
            )
        runsheet.stop_not_delivered(actor=users["driver"], stop=stops[2], data={"reason": "not_in"})
    for stop, texts in zip(stops, (True, False, True), strict=True):
        stop.client.phone = f"07700 90020{stop.position}"
        stop.client.consent_contact_by_text = texts
        stop.client.save()
    return stops


def run() -> str:
    out = StringIO()
    call_command("delivery_feedback_texts", stdout=out)
    return out.getvalue()


def test_a_week_after_the_first_delivery_the_client_is_texted_an_anonymous_link(
    fake_notify, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "1 delivery feedback texts queued" in out
    assert "not sent to 1: The client has not agreed to be contacted by text." in out
    fake_notify.run_tasks()
    [sent] = fake_notify.texts
    assert sent["phone_number"] == "07700900201"
    body = sent["personalisation"]["body"]
    assert body.startswith("How did your deliveries go? Tell us in two minutes")
    assert clinical_words_in(body, provider_name="Test Recovery Service") == []
    text = TextMessage.objects.get()
    assert (text.client, text.purpose) == (delivered[0].client, TextPurpose.SURVEY_LINK)
    # The link is anonymous: it keeps no client, and nobody made it but Beacon.
    link = SurveyLink.objects.get()
    assert (link.client, link.identified, link.created_by) == (None, False, None)
    assert link.survey.key == DELIVERY_FEEDBACK
    assert link.expires_on == timezone.localdate() + datetime.timedelta(days=14)
    assert AuditEntry.objects.filter(
        client=delivered[0].client, detail__contains="anonymous link"
    ).exists()


def test_the_texted_link_opens_the_delivery_survey_and_its_answer_keeps_no_client(
    fake_notify, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    fake_notify.run_tasks()
    body = fake_notify.texts[0]["personalisation"]["body"]
    [address] = [word for word in body.split() if word.startswith("https://")]
    assert address.startswith(f"{DEMO_SITE}/voice/answer/")
    path = address.removeprefix(DEMO_SITE)
    page = HttpClient().get(path)
    assert page.status_code == 200
    assert "Did your deliveries arrive when you were told they would?" in page.content.decode()
    [response] = _answer(path)
    assert response.client is None and response.survey.key == DELIVERY_FEEDBACK


def _answer(path: str) -> list[Response]:
    survey = SurveyLink.objects.get().survey
    first, second, _third = survey.questions.order_by("order")
    HttpClient().post(path, {f"q{first.pk}": "Yes", f"q{second.pk}": "Convenient"})
    return list(Response.objects.all())


def test_running_again_texts_nobody_twice_and_makes_no_second_link(
    fake_notify, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run()
        again = run()
    assert "0 delivery feedback texts queued" in again and "1 queued before" in again
    fake_notify.run_tasks()
    assert len(fake_notify.texts) == 1
    assert SurveyLink.objects.count() == 1


@pytest.mark.parametrize("days_after", [6, 15])
def test_only_a_week_or_two_after_the_first_delivery(
    fake_notify, delivered, days_after, django_capture_on_commit_callbacks
):
    later = timezone.now() + datetime.timedelta(days=days_after - 8)
    with time_machine.travel(later, tick=True), django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "0 delivery feedback texts queued" in out
    assert SurveyLink.objects.count() == 0


def test_no_link_is_made_when_the_text_cannot_go(
    fake_notify, delivered, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_TEMPLATE_SURVEY_LINK = ""
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "Survey link texts are off: NOTIFY_TEMPLATE_SURVEY_LINK is not set." in out
    assert SurveyLink.objects.count() == 0 and TextMessage.objects.count() == 0


def test_an_address_that_names_the_service_sends_nothing_and_keeps_no_link(
    fake_notify, delivered, settings, django_capture_on_commit_callbacks
):
    settings.BEACON_SITE_URL = "https://recovery.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "would say what the service is" in out
    assert SurveyLink.objects.count() == 0 and TextMessage.objects.count() == 0
