"""The naloxone pages: the client's record and supply form, the gaps list with its filter
and CSV, stock receipts with their messages, coverage for managers and commissioners with
nothing identifiable, and what naloxone adds to the client page and the caseload."""

import re

import pytest
from django.urls import reverse

from beacon.naloxone.models import NaloxoneSupply, StockEntry
from beacon.naloxone.tests.factories import ALL_TOPICS, day, opiate_client, supply_to

pytestmark = pytest.mark.django_db


def date_fields(name: str, value) -> dict:
    return {f"{name}[day]": value.day, f"{name}[month]": value.month, f"{name}[year]": value.year}


def test_a_keyworker_supplies_a_kit_to_the_clients_sister_with_training(
    users, site, batch, opiate, web_as
):
    http = web_as("keyworker")
    stock = batch.balances.get()
    response = http.post(
        reverse("naloxone:supply", args=[opiate.client_number]),
        {
            "recipient": "family",
            "recipient_name": "Sam Fellwood (sister)",
            "stock": stock.pk,
            **date_fields("date", day(0)),
            "trained_by": users["keyworker"].pk,
            "training_topics": ALL_TOPICS,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Naloxone supply recorded." in page
    assert "Family member: Sam Fellwood (sister)" in page
    assert NaloxoneSupply.objects.get().recipient == "family"


def test_the_supply_form_shows_a_missing_topic_and_saves_nothing(users, batch, opiate, web_as):
    form = web_as("keyworker").get(reverse("naloxone:supply", args=[opiate.client_number]))
    boxes = re.findall(r"<input[^>]*name=\"training_topics\"[^>]*>", form.content.decode())
    assert len(boxes) == 5 and not any("checked" in box for box in boxes)
    # Nobody has said who the kit is for yet: a kit counted as the client's own would count
    # them as covered (H-94).
    given_to = re.findall(r"<input[^>]*name=\"recipient\"[^>]*>", form.content.decode())
    assert len(given_to) >= 2 and not any("checked" in radio for radio in given_to)
    response = web_as("keyworker").post(
        reverse("naloxone:supply", args=[opiate.client_number]),
        {
            "recipient": "client",
            "stock": batch.balances.get().pk,
            **date_fields("date", day(0)),
            "trained_by": users["keyworker"].pk,
            "training_topics": ["recognising"],
        },
    )
    assert "Train before supplying" in response.content.decode()
    assert not NaloxoneSupply.objects.exists()


def test_a_receipt_with_an_expiry_in_the_past_shows_the_message(users, site, web_as):
    response = web_as("manager").post(
        reverse("naloxone:receive"),
        {
            "site": site.pk,
            "kit_type": "nyxoid",
            "batch": "NY1",
            **date_fields("expiry", day(-3)),
            "quantity": "10",
            **date_fields("date", day(0)),
        },
    )
    assert "This batch has expired" in response.content.decode()
    assert not StockEntry.objects.exists()


def test_the_gaps_list_filters_by_reason_and_downloads(users, site, batch, opiate, web_as, team):
    from beacon.naloxone.tests.factories import opiate_client

    covered = opiate_client(team, users["keyworker"], last_name="Covered")
    supply_to(users["keyworker"], covered, batch, site)
    http = web_as("keyworker")
    page = http.get(reverse("naloxone:gaps")).content.decode()
    assert "FELLWOOD" in page and "COVERED" not in page and "Never supplied" in page
    declined = http.get(reverse("naloxone:gaps"), {"reason": "declined"}).content.decode()
    assert "FELLWOOD" not in declined
    csv = http.get(reverse("naloxone:gaps_csv")).content.decode()
    assert csv.splitlines()[1].startswith(f"{opiate.client_number},Fellwood,Robin")


def test_coverage_for_a_commissioner_names_nobody(users, site, batch, opiate, web_as):
    supply_to(users["keyworker"], opiate, batch, site)
    keyworker = users["keyworker"].last_name
    page = web_as("commissioner").get(reverse("naloxone:coverage")).content.decode()
    assert "Fellwood" not in page and opiate.client_number not in page
    assert keyworker not in page and "By keyworker" not in page
    csv = web_as("commissioner").get(reverse("naloxone:coverage_csv")).content.decode()
    assert "Fellwood" not in csv
    assert keyworker not in csv and "Keyworker," not in csv


def test_a_commissioner_sees_small_coverage_numbers_suppressed(users, site, batch, opiate, web_as):
    # "1 of 1, 100%" at a site points to a person (H-146): the commissioner sees neither.
    supply_to(users["keyworker"], opiate, batch, site)
    page = web_as("commissioner").get(reverse("naloxone:coverage")).content.decode()
    assert 'id="coverage-overall">not shown' in page and "100%" not in page
    assert "fewer than 5 of fewer than 5 current opiate clients" in page
    csv = web_as("commissioner").get(reverse("naloxone:coverage_csv")).content.decode()
    assert "Overall,All current opiate clients,fewer than 5,fewer than 5,not shown" in csv
    assert ",1,1,100" not in csv
    manager = web_as("manager").get(reverse("naloxone:coverage")).content.decode()
    assert 'id="coverage-overall">100%' in manager and "1 of 1 current opiate clients" in manager


def test_coverage_hides_those_without_a_kit_and_a_lone_small_site_for_a_commissioner(
    users, provider, team, site, batch, opiate, web_as
):
    from beacon.core.tests.factories import SiteFactory, TeamFactory

    for n in range(5):
        covered = opiate_client(team, users["keyworker"], last_name=f"Covered{n}")
        if n < 4:
            supply_to(users["keyworker"], covered, batch, site)
    supply_to(users["keyworker"], opiate, batch, site)
    # Harbour Street: 6 clients, 5 holding (the 1 without a kit would be given away); Quay
    # Lane: 5 clients, none holding; Mill Road: 1 client, not holding.
    for name, clients in (("Quay Lane", 5), ("Mill Road", 1)):
        other = TeamFactory(
            provider=provider, name=f"{name} team", site=SiteFactory(provider=provider, name=name)
        )
        for n in range(clients):
            opiate_client(other, users["keyworker"], last_name=f"{name.split()[0]}{n}")
    csv = web_as("commissioner").get(reverse("naloxone:coverage_csv")).content.decode()
    assert "Overall,All current opiate clients,5,12,42" in csv
    assert "Site,Harbour Street,not shown,6,not shown" in csv
    assert "Site,Mill Road,not shown,fewer than 5,not shown" in csv  # 0 of 1: 1 without
    # Mill Road's 1 would be 12 - 6 - 5: the next smallest site is hidden too.
    assert "Site,Quay Lane,0,not shown,not shown" in csv
    manager_csv = web_as("manager").get(reverse("naloxone:coverage_csv")).content.decode()
    assert "Site,Harbour Street,5,6,83" in manager_csv and "Site,Mill Road,0,1,0" in manager_csv


def test_coverage_for_a_manager_is_broken_down_by_keyworker(users, site, batch, opiate, web_as):
    supply_to(users["keyworker"], opiate, batch, site)
    keyworker = users["keyworker"].last_name
    page = web_as("manager").get(reverse("naloxone:coverage")).content.decode()
    assert "By keyworker" in page and keyworker in page
    csv = web_as("manager").get(reverse("naloxone:coverage_csv")).content.decode()
    assert f"Keyworker,Test {keyworker},1,1,100" in csv


def test_the_client_page_and_caseload_flag_an_opiate_client_without_a_kit(
    users, site, batch, opiate, web_as
):
    http = web_as("keyworker")
    client_page = http.get(reverse("clients:detail", args=[opiate.client_number]))
    assert "No in-date naloxone kit: offer one" in client_page.content.decode()
    caseload = http.get(reverse("treatment:caseload")).content.decode()
    assert "No in-date naloxone kit: offer one" in caseload
    supply_to(users["keyworker"], opiate, batch, site)
    assert "No in-date naloxone kit" not in http.get(reverse("treatment:caseload")).content.decode()


def test_a_volunteer_or_driver_is_refused_the_client_naloxone_page(opiate, web_as):
    for role in ("volunteer", "driver", "commissioner"):
        response = web_as(role).get(reverse("naloxone:client", args=[opiate.client_number]))
        assert response.status_code == 403


def test_the_stock_page_shows_balances_and_the_ledger(users, site, batch, web_as):
    page = web_as("nurse").get(reverse("naloxone:stock")).content.decode()
    assert "PX1" in page and "Received" in page
    assert "Receive kits" not in page  # only managers change stock


def test_the_caseload_shows_an_offer_due_at_a_moment_of_risk(users, site, batch, opiate, web_as):
    from beacon.treatment import hooks as treatment_hooks

    supply_to(users["keyworker"], opiate, batch, site)
    treatment_hooks.overdose_risk_told(client=opiate, moment="exit_plan", on=day(0))
    caseload = web_as("keyworker").get(reverse("treatment:caseload")).content.decode()
    assert "Naloxone offer due: Exit plan (loss of tolerance)" in caseload


def test_the_client_summary_says_whether_the_offer_is_needed_and_links_the_supply(
    users, site, batch, opiate, web_as
):
    from beacon.clients.tests.test_client_summary import summary_of

    url = reverse("clients:detail", args=[opiate.client_number])
    page = web_as("keyworker").get(url)
    assert summary_of(page)["Naloxone"].startswith("No in-date naloxone kit: offer one")
    assert f'href="{reverse("naloxone:supply", args=[opiate.client_number])}"' in (
        page.content.decode()
    )
    supply_to(users["keyworker"], opiate, batch, site)
    assert summary_of(web_as("keyworker").get(url))["Naloxone"].startswith("Holds an in-date kit")


def figures_table(response, table_id: str) -> dict[str, str]:
    """A two-column figures table as read: label → number (or "fewer than 5")."""
    found = re.search(rf'id="{table_id}".*?</table>', response.content.decode(), re.S)
    assert found, f"no table {table_id}"
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    return rows


def test_the_kit_figures_count_kits_by_peer_volunteers_as_supplied_by_them(
    users, site, batch, opiate, web_as
):
    from beacon.volunteers.tests.factories import contact, shift_for, volunteer_for

    volunteer = volunteer_for(users["volunteer"], trained=True)
    shift = shift_for(volunteer, site=site, duty_manager=users["manager"])
    contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    supply_to(users["keyworker"], opiate, batch, site)
    # The supplier's role later changing does not move the kit out of the line.
    users["volunteer"].role = "keyworker"
    users["volunteer"].save()
    rows = figures_table(web_as("manager").get(reverse("naloxone:coverage")), "kit-figures")
    assert rows["Kits supplied"] == "2"
    assert rows["by peer volunteers (on outreach)"] == "1"
    assert rows["to friends, family and others"] == "1"


def test_a_commissioner_sees_small_kit_figures_suppressed(users, site, batch, opiate, web_as):
    supply_to(users["keyworker"], opiate, batch, site)
    page = web_as("commissioner").get(reverse("naloxone:coverage"))
    rows = figures_table(page, "kit-figures")
    assert rows["Kits supplied"] == "fewer than 5"
    # 1 to clients, 0 to others: each part would give the other away.
    assert rows["to clients"] == "fewer than 5"
    assert rows["to friends, family and others"] == "not shown"
    assert rows["Kits reported used"] == "0"
    offers = figures_table(page, "offer-outcomes")
    assert offers["Offered"] == "fewer than 5" and offers["Declined"] == "not shown"
    manager = web_as("manager").get(reverse("naloxone:coverage"))
    rows = figures_table(manager, "kit-figures")
    assert rows["Kits supplied"] == "1" and rows["to clients"] == "1"
