"""The nurse starts on blood-borne virus work: clients in treatment due a hepatitis C or HIV
test (never offered, or offered more than a year ago, and not known positive), each linked
to the form to record the offer; only clients the nurse may open (issue #11, H-138)."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.harmreduction import services
from beacon.harmreduction.selectors import BBV_TEST_DUE_AFTER_DAYS, clients_due_bbv_test
from beacon.harmreduction.tests.factories import days_ago
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db
HOME = "/"


def in_treatment(provider, team, users, last_name):
    client = ClientFactory(
        provider=provider, team=team, keyworker=users["keyworker"], last_name=last_name
    )
    TreatmentEpisodeFactory(client=client)
    return client


def offered(nurse, client, virus, days, **result):
    return services.bbv_test_record(
        actor=nurse,
        client=client,
        virus=virus,
        offered_on=days_ago(days),
        offer="declined" if not result else "accepted",
        **result,
    )


def section(html: str) -> str:
    return html.split('id="worklist-bbv-tests-due"')[1].split("</section>")[0]


def test_a_client_never_offered_a_test_is_on_the_nurses_home_with_the_form(
    provider, team, users, web_as
):
    client = in_treatment(provider, team, users, "Nevertested")
    html = section(web_as("nurse").get(HOME).content.decode())
    assert "Nevertested" in html
    assert "Hepatitis C: never offered; HIV: never offered" in html
    assert reverse("harmreduction:bbv_test", args=[client.client_number]) in html


def test_an_offer_within_a_year_is_not_due_and_one_older_is(provider, team, users):
    nurse = users["nurse"]
    recent = in_treatment(provider, team, users, "Recent")
    old = in_treatment(provider, team, users, "Old")
    for virus in ("hepatitis_c", "hiv"):
        offered(nurse, recent, virus, BBV_TEST_DUE_AFTER_DAYS - 1)
        offered(nurse, old, virus, BBV_TEST_DUE_AFTER_DAYS + 1)
    due = {
        item.client.last_name: item.due
        for item in clients_due_bbv_test(user=nurse, today=days_ago(0))
    }
    assert "Recent" not in due
    assert [virus for virus, _ in due["Old"]] == ["hepatitis_c", "hiv"]


def test_a_client_known_positive_is_not_due_that_test(provider, team, users):
    nurse = users["nurse"]
    client = in_treatment(provider, team, users, "Positive")
    day = days_ago(400)
    offered(
        nurse,
        client,
        "hepatitis_c",
        400,
        kind="hcv_antibody",
        tested_on=day,
        result="positive",
        result_on=day,
    )
    (item,) = clients_due_bbv_test(user=nurse, today=days_ago(0))
    assert [virus for virus, _ in item.due] == ["hiv"]


def test_a_client_not_in_treatment_or_of_another_provider_is_not_listed(
    provider, team, users, other_provider
):
    ClientFactory(provider=provider, team=team, last_name="Noepisode")
    elsewhere = ClientFactory(provider=other_provider, last_name="Elsewhere")
    TreatmentEpisodeFactory(client=elsewhere)
    assert clients_due_bbv_test(user=users["nurse"], today=days_ago(0)) == []


def test_offers_recorded_today_take_the_client_off_the_nurses_home(provider, team, users, web_as):
    client = in_treatment(provider, team, users, "Fromhome")
    http = web_as("nurse")
    for virus in ("hepatitis_c", "hiv"):
        offered(users["nurse"], client, virus, 0)
    assert "Fromhome" not in section(http.get(HOME).content.decode())
