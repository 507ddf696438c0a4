"""The service's naloxone supplies list (H-109, H-147): a kit supplied to someone who is not
a client is found again, by the recipient's name, to record what became of it or that it
was recorded in error; its search, filters, paging and CSV; and who may not open it."""

import pytest
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.core.tests.factories import SiteFactory, TeamFactory
from beacon.naloxone.models import KitReport, NaloxoneSupply, Recipient
from beacon.naloxone.tests.factories import ALL_TOPICS, day, opiate_client, receive, supply_to
from beacon.naloxone.tests.test_pages import date_fields

pytestmark = pytest.mark.django_db

LIST = reverse("naloxone:supplies")
CSV = reverse("naloxone:supplies_csv")


def _to_someone(actor, batch, site, *, name: str, recipient=Recipient.FAMILY, on: int = 0):
    return supply_to(actor, None, batch, site, recipient=recipient, recipient_name=name, on=on)


def _report_link(supply) -> str:
    return f'href="{reverse("naloxone:report", args=[supply.pk])}"'


def test_a_kit_supplied_to_a_family_member_is_found_by_name_and_its_use_recorded_from_the_list(
    users, site, batch, web_as
):
    keyworker = web_as("keyworker")
    saved = keyworker.post(
        reverse("naloxone:supply_other"),
        {
            "recipient": "family",
            "recipient_name": "Jo Marlowe (mother of someone using)",
            "stock": batch.balances.get().pk,
            **date_fields("date", day(-1)),
            "trained_by": users["keyworker"].pk,
            "training_topics": ALL_TOPICS,
        },
    )
    supply = NaloxoneSupply.objects.get()
    # Back to where the kit just recorded is shown with what may be recorded of it next.
    assert saved.status_code == 302 and saved.url.startswith(LIST)
    landed = keyworker.get(saved.url).content.decode()
    assert "Naloxone supply recorded." in landed
    assert "Jo Marlowe" in landed and _report_link(supply) in landed
    assert f'href="{reverse("naloxone:reverse", args=[supply.pk])}"' in landed

    _to_someone(users["manager"], batch, site, name="Chris Pemberton", recipient=Recipient.FRIEND)
    nurse = web_as("nurse")  # another member of staff, days later
    found = nurse.get(LIST, {"query": "marlowe"}).content.decode()
    assert "Jo Marlowe" in found and "Chris Pemberton" not in found
    assert _report_link(supply) in found
    reported = nurse.post(
        reverse("naloxone:report", args=[supply.pk]),
        {
            "kind": "used",
            **date_fields("date", day(0)),
            "used_on": "someone_else",
            "outcome": "survived",
            "ambulance_called": "yes",
        },
    )
    assert reported.status_code == 302 and reported.url == LIST
    report = KitReport.objects.get(supply=supply)
    assert (report.kind, report.outcome, report.ambulance_called) == ("used", "survived", True)
    assert report.recorded_by == users["nurse"]
    after = nurse.get(LIST, {"query": "marlowe"}).content.decode()
    assert "Used " in after and "survived" in after and _report_link(supply) not in after


def test_a_supply_to_someone_else_recorded_in_error_is_reversed_from_the_list(
    users, site, batch, web_as
):
    supply = _to_someone(users["keyworker"], batch, site, name="Dee Okafor")
    http = web_as("keyworker")
    reverse_url = reverse("naloxone:reverse", args=[supply.pk])
    assert f'href="{reverse_url}"' in http.get(LIST).content.decode()
    response = http.post(reverse_url, {"reason": "Recorded for the wrong person"})
    assert response.status_code == 302 and response.url == LIST
    shown = http.get(LIST, {"query": "okafor"}).content.decode()
    assert "Recorded in error" in shown and f'href="{reverse_url}"' not in shown
    assert batch.balances.get().balance == 5  # the kit is back in stock


def test_the_list_finds_a_client_by_name_or_number_and_a_kit_by_its_batch(
    users, team, site, batch, opiate, web_as
):
    other = receive(users["manager"], site, batch="NY77", quantity=2).batch
    robin = supply_to(users["keyworker"], opiate, batch, site)
    friend = _to_someone(users["keyworker"], other, site, name="Pat", recipient=Recipient.FRIEND)
    http = web_as("keyworker")
    by_name = http.get(LIST, {"query": "fellwood"}).content.decode()
    assert "FELLWOOD" in by_name and "Pat" not in by_name and _report_link(robin) in by_name
    by_number = http.get(LIST, {"query": opiate.client_number}).content.decode()
    assert _report_link(robin) in by_number and _report_link(friend) not in by_number
    by_batch = http.get(LIST, {"query": "ny77"}).content.decode()
    assert _report_link(friend) in by_batch and _report_link(robin) not in by_batch
    nothing = http.get(LIST, {"query": "nobody-is-called-this"}).content.decode()
    assert "No naloxone supply matches these filters." in nothing


def test_the_list_says_so_when_no_kit_was_ever_supplied(site, web_as):
    page = web_as("manager").get(LIST).content.decode()
    assert "No naloxone kits supplied yet." in page and 'id="supply-count">0 supplies' in page


def test_the_list_filters_by_recipient_kind_site_period_and_who_supplied(
    users, provider, team, site, batch, opiate, web_as
):
    quay = SiteFactory(provider=provider, name="Quay Lane")
    at_quay = receive(users["manager"], quay, batch="QL1", quantity=3).batch
    to_client = supply_to(users["keyworker"], opiate, batch, site, on=-10)
    to_sister = _to_someone(users["nurse"], at_quay, quay, name="Sister of a client", on=-2)
    by_peer = _to_someone(users["manager"], batch, site, name="Met on outreach", on=-1)
    # As the volunteers app's outreach contact records it (its training rule is tested there).
    NaloxoneSupply.objects.filter(pk=by_peer.pk).update(
        supplied_by=users["volunteer"], by_volunteer=True
    )
    http = web_as("manager")

    def shown(**filters) -> set:
        html = http.get(LIST, filters).content.decode()
        return {s for s in (to_client, to_sister, by_peer) if _report_link(s) in html}

    assert shown() == {to_client, to_sister, by_peer}
    assert shown(recipient="client") == {to_client}
    assert shown(recipient="someone_else") == {to_sister, by_peer}
    assert shown(site=quay.pk) == {to_sister}
    assert shown(supplied_by=users["nurse"].pk) == {to_sister}
    assert shown(supplied_by=users["volunteer"].pk) == {by_peer}
    assert shown(by_volunteer_only="on") == {by_peer}
    assert shown(date_from=day(-3).isoformat(), date_to=day(-2).isoformat()) == {to_sister}
    page = http.get(LIST).content.decode()
    assert "(peer volunteer)" in page  # the supplier said to be one, in the row and filter


def test_the_list_pages_keeping_its_filters(users, site, batch, settings, web_as):
    settings.BEACON_PAGE_SIZE = 2
    supplies = [
        _to_someone(users["keyworker"], batch, site, name=f"Carer {n}", on=-n) for n in range(3)
    ]
    http = web_as("keyworker")
    first = http.get(LIST, {"recipient": "someone_else"}).content.decode()
    assert 'id="supply-count">3 supplies' in first
    assert [_report_link(s) in first for s in supplies] == [True, True, False]
    assert "recipient=someone_else&amp;page=2" in first
    second = http.get(LIST, {"recipient": "someone_else", "page": 2}).content.decode()
    assert [_report_link(s) in second for s in supplies] == [False, False, True]


def test_a_keyworker_sees_their_teams_clients_and_kits_linked_to_no_client_only(
    users, make_user, provider, site, batch, opiate, web_as
):
    elsewhere = opiate_client(
        TeamFactory(provider=provider), make_user("keyworker", username="kw-far"), last_name="Far"
    )
    theirs = supply_to(users["manager"], elsewhere, batch, site)
    mine = supply_to(users["keyworker"], opiate, batch, site)
    no_client = _to_someone(users["manager"], batch, site, name="A neighbour")
    page = web_as("keyworker").get(LIST).content.decode()
    assert _report_link(mine) in page and _report_link(no_client) in page
    assert _report_link(theirs) not in page and "FAR" not in page
    csv = web_as("keyworker").get(CSV).content.decode()
    assert opiate.client_number in csv and elsewhere.client_number not in csv
    assert "A neighbour" in csv
    assert _report_link(theirs) in web_as("manager").get(LIST).content.decode()


def test_the_csv_holds_the_filtered_supplies_and_is_audited(users, site, batch, opiate, web_as):
    supply_to(users["keyworker"], opiate, batch, site)
    _to_someone(users["keyworker"], batch, site, name="Jo Marlowe")
    http = web_as("nurse")
    response = http.get(CSV, {"recipient": "someone_else"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="naloxone-supplies.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Date supplied,Given to,Name of the person supplied")
    assert len(lines) == 2 and "Jo Marlowe" in lines[1] and "Family member" in lines[1]
    assert opiate.client_number not in response.content.decode()
    assert AuditEntry.objects.filter(
        user=users["nurse"], detail__startswith="naloxone supplies, CSV of 1"
    ).exists()
    refused = http.get(CSV, {"site": "999999"})
    assert refused["Content-Type"].startswith("text/html")
    assert "nhsuk-error-summary" in refused.content.decode()


def test_the_list_and_its_csv_are_refused_to_roles_that_do_not_supply_for_the_service(
    users, site, batch, web_as
):
    _to_someone(users["keyworker"], batch, site, name="Jo Marlowe")
    for role in ("driver", "volunteer", "commissioner", "pharmacist", "probation_officer"):
        http = web_as(role)
        for url in (LIST, CSV):
            response = http.get(url)
            assert response.status_code == 403, (role, url)
            assert "Jo Marlowe" not in response.content.decode()


def test_staff_reach_the_list_from_the_menu_and_the_naloxone_pages(
    users, site, batch, opiate, web_as
):
    http = web_as("keyworker")
    link = f'href="{LIST}"'
    assert link in http.get(reverse("naloxone:gaps")).content.decode()
    assert (
        link in http.get(reverse("naloxone:client", args=[opiate.client_number])).content.decode()
    )
    menu = 'aria-label="Menu"'
    home = http.get(reverse("core:home"), follow=True).content.decode()  # the caseload
    assert link in home[home.index(menu) :]  # in the header menu
    volunteer = web_as("volunteer").get(reverse("core:home"), follow=True).content.decode()
    assert menu in volunteer and link not in volunteer
