"""A nurse starts on the TOPs due and records one from there: what a nurse may do is the
rules' (treatment.record_top, treatment.view_tops_due), not which links happen to show."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.codes import TopStage
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.tests.api_calls import top_form_post
from beacon.treatment.tests.factories import TreatmentEpisodeFactory, date_input, days
from beacon.treatment.tests.tops.test_recording import answers

pytestmark = pytest.mark.django_db

HOME = "/"


def tops_section(html: str) -> str:
    return html.split('id="worklist-tops-due"')[1].split("</section>")[0]


@pytest.fixture
def episode(robin):
    """Robin started treatment ten days ago and has no start TOP yet: one is due."""
    return TreatmentEpisodeFactory(client=robin, start_date=days(-10))


def start_top_post() -> dict:
    values = {name: value for name, value in answers().items() if name != "completed_on"}
    return {**top_form_post(values), **date_input("completed_on", days(0))}


def test_nurse_records_the_top_due_on_her_home_page_and_it_leaves_the_list(web_as, robin, episode):
    http = web_as("nurse")
    section = tops_section(http.get(HOME).content.decode())
    form = reverse("treatment:top_create", args=[robin.client_number])
    assert "Start TOP" in section and f'href="{form}"' in section
    assert http.get(form).status_code == 200
    response = http.post(form, start_top_post())
    assert response.status_code == 302
    top = TreatmentOutcomesProfile.objects.get()
    assert (top.episode, top.stage, top.recorded_by.role) == (episode, TopStage.START, "nurse")
    assert robin.client_number not in tops_section(http.get(HOME).content.decode())


def test_nurse_home_says_what_is_still_to_come(web_as):
    html = web_as("nurse").get(HOME).content.decode()
    assert "Blood-borne virus tests" in html and "naloxone" in html
    assert "No Treatment Outcomes Profile is due" in tops_section(html)


def test_nurse_opens_the_list_of_tops_due(web_as, robin, episode):
    page = web_as("nurse").get(reverse("treatment:tops_due"))
    assert page.status_code == 200
    assert robin.client_number in page.content.decode()


def test_nurse_may_not_record_a_top_for_another_providers_client(web_as, other_provider):
    elsewhere = ClientFactory(provider=other_provider, team=TeamFactory(provider=other_provider))
    TreatmentEpisodeFactory(client=elsewhere, start_date=days(-10))
    http = web_as("nurse")
    form = reverse("treatment:top_create", args=[elsewhere.client_number])
    assert http.get(form).status_code == 404
    assert http.post(form, start_top_post()).status_code == 404
    assert not TreatmentOutcomesProfile.objects.exists()
    assert elsewhere.client_number not in http.get(HOME).content.decode()


def test_nurse_records_tops_but_not_the_journey_or_the_plan(web_as, robin, episode):
    http = web_as("nurse")
    refused = [
        reverse("treatment:referral_create", args=[robin.client_number]),
        reverse("treatment:plan_create", args=[robin.client_number]),
        reverse("treatment:discharge", args=[episode.pk]),
    ]
    assert [http.get(url).status_code for url in refused] == [403, 403, 403]
    assert http.get(reverse("treatment:tops", args=[robin.client_number])).status_code == 200


def test_a_driver_sees_no_tops_due(web_as, robin, episode):
    assert web_as("driver").get(reverse("treatment:tops_due")).status_code == 403
