"""A journey form sent without touching its questions records no answer nobody gave (H-94)."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.helpers import form_as_sent
from beacon.treatment.models import Modality, Triage
from beacon.treatment.tests.factories import (
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    date_input,
    days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def test_triage_sent_untouched_records_no_outcome(web_as, client_record):
    referral = ReferralFactory(client=client_record, referral_date=days_ago(20))
    url = reverse("treatment:triage", args=[referral.pk])
    http = web_as("keyworker")
    untouched = form_as_sent(http.get(url).text)

    response = http.post(url, {**untouched, **date_input("triage_date", days_ago(18))})

    assert "outcome" not in untouched
    assert response.status_code == 200 and "Select outcome of triage" in response.text
    assert not Triage.objects.exists()


def test_modality_sent_untouched_records_no_setting(web_as, client_record):
    episode = TreatmentEpisodeFactory(client=client_record, start_date=days_ago(90))
    url = reverse("treatment:modality_add", args=[episode.pk])
    http = web_as("keyworker")
    untouched = form_as_sent(http.get(url).text)

    response = http.post(
        url,
        {**untouched, "modality_type": "psychosocial", **date_input("referred_date", days_ago(80))},
    )

    assert "setting" not in untouched
    assert "Select where it is delivered" in response.text
    assert not Modality.objects.exists()


def test_a_saved_triage_shows_the_outcome_it_was_given(web_as, client_record):
    triage = TriageFactory(
        referral=ReferralFactory(
            client=client_record, referral_date=days_ago(20), status="triaged"
        ),
        triage_date=days_ago(18),
        outcome=Triage.Outcome.SIGNPOSTED,
    )
    page = web_as("keyworker").get(reverse("treatment:triage_edit", args=[triage.referral_id]))

    assert form_as_sent(page.text)["outcome"] == [triage.outcome]
