"""Each role starts on its day's work: the keyworker on the caseload, the driver on today's
round, a volunteer on their own day, the prescriber, nurse and manager on a worklist built
from the sections apps register; a commissioner is told plainly what their home page will show."""

import re

import pytest

from beacon.core.models import Alert
from beacon.core.registry import worklist_sections
from beacon.core.roles import Role

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.mark.parametrize(
    ("role", "where"),
    [
        ("keyworker", "/treatment/caseload/"),
        ("driver", "/delivery/my-round/"),
        ("volunteer", "/volunteers/my-day/"),
    ],
)
def test_keyworker_and_driver_start_on_their_own_page(web_as, role, where):
    response = web_as(role).get(HOME)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(where)


@pytest.mark.parametrize("role", ["commissioner"])
def test_commissioner_is_told_plainly_what_they_will_see(web_as, role):
    html = web_as(role).get(HOME).content.decode()
    assert "There is nothing for your role here yet" not in html
    statement = html.split('id="role-statement"')[1].split("</p>")[0]
    assert "KPIs" in statement and "never" in statement
    assert "once the reporting part" not in statement  # it has landed: the card is there
    assert 'href="/reporting/' in html
    main = html.split('id="maincontent"')[1]
    # No stray bullet: the only list items are the cards of the pages the role may open.
    outside_cards = main.split('<ul class="nhsuk-grid-row nhsuk-card-group">')[0]
    assert "<li" not in outside_cards
    cards = main.count('class="nhsuk-grid-column-one-third nhsuk-card-group__item"')
    assert cards == main.count("<li")


def test_manager_starts_on_new_alerts_and_their_pages(web_as, users, provider):
    Alert.objects.create(
        provider=provider,
        recipient=users["manager"],
        kind=Alert.Kind.MISSED_DELIVERY,
        title="Missed delivery on the north round",
        message="One parcel came back.",
    )
    html = web_as("manager").get(HOME).content.decode()
    assert "Missed delivery on the north round" in html.split('id="alerts-worklist"')[1]
    assert "Your pages" in html and "Audit log" in html


def test_sections_are_registered_by_the_apps_that_own_them():
    owners = {section.build.__module__.split(".")[1] for section in worklist_sections}
    assert {"core", "prescribing", "treatment"} <= owners
    roles = set().union(*(section.roles for section in worklist_sections))
    assert {Role.PRESCRIBER, Role.NURSE} <= roles
    assert not roles & {Role.DRIVER, Role.VOLUNTEER, Role.COMMISSIONER}


def test_each_client_named_by_a_new_alert_on_the_home_page_is_audited(web_as, users, provider):
    from beacon.clients.tests.factories import ClientFactory
    from beacon.core.models import AuditEntry

    client = ClientFactory(provider=provider, first_name="Robin", last_name="Fellwood")
    Alert.objects.create(
        provider=provider,
        recipient=users["manager"],
        kind=Alert.Kind.MISSED_DELIVERY,
        client=client,
        title="Missed delivery for Robin",
        message="One parcel came back.",
    )
    web_as("manager").get(HOME)
    entry = AuditEntry.objects.get(user=users["manager"], client=client)
    assert entry.detail == "alerts-worklist row"


def test_the_alerts_section_counts_every_new_alert_and_fetches_only_the_rows_it_shows(
    web_as, users, provider
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from beacon.core.presenters import WORKLIST_ROWS

    Alert.objects.bulk_create(
        Alert(
            provider=provider,
            recipient=users["manager"],
            kind=Alert.Kind.MISSED_DELIVERY,
            title=f"Missed delivery {n}",
            message="One parcel came back.",
        )
        for n in range(WORKLIST_ROWS + 5)
    )
    with CaptureQueriesContext(connection) as queries:
        html = web_as("manager").get(HOME).content.decode()
    section = html.split('id="alerts-worklist"')[1].split("</section>")[0]
    assert len(set(re.findall(r"Missed delivery (\d+)", section))) == WORKLIST_ROWS
    assert f"See all {WORKLIST_ROWS + 5} new alerts" in section
    alert_reads = [q["sql"] for q in queries if 'FROM "core_alert"' in q["sql"]]
    assert any("COUNT(" in sql for sql in alert_reads)
    listed = [sql for sql in alert_reads if "COUNT(" not in sql]
    assert listed and all(f"LIMIT {WORKLIST_ROWS}" in sql for sql in listed)
