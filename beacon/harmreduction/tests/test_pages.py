"""The harm reduction pages: recording an NSP transaction (and bad input kept with its
message, nothing saved), the list and its filter, what a volunteer sees, the figures and
their CSV for commissioners, and blood-borne viruses on the client page."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import TeamFactory
from beacon.harmreduction.models import BloodBorneVirusTest, HepatitisBDose, NspTransaction
from beacon.harmreduction.tests.factories import (
    days_ago,
    hepatitis_b_course,
    hepatitis_c_awaiting,
    nsp_visit,
    site_of,
)

pytestmark = pytest.mark.django_db
NEW = "/harm-reduction/nsp/new/"


def date_parts(name: str, day: datetime.date) -> dict:
    return {f"{name}[day]": day.day, f"{name}[month]": day.month, f"{name}[year]": day.year}


def visit_form(site, **extra) -> dict:
    return {
        "site": site.pk,
        **date_parts("date", days_ago(0)),
        "initials": "ab",
        **date_parts("date_of_birth", datetime.date(1990, 1, 1)),
        "sex": "F",
        "item_needle_blue_23g_25mm": "10",
        "item_water": "10",
        "bins_out": "1",
        **extra,
    }


def test_a_keyworker_records_a_visit_by_attributor(web_as, site):
    response = web_as("keyworker").post(NEW, visit_form(site), follow=True)
    transaction = NspTransaction.objects.get()
    assert transaction.attributor == "AB 01/01/1990 F"
    assert sorted((i.item, i.quantity) for i in transaction.items.all()) == [
        ("needle_blue_23g_25mm", 10),
        ("water", 10),
    ]
    assert "NSP transaction recorded: AB 01/01/1990 F" in response.content.decode()


def test_a_keyworker_records_a_visit_for_a_client_by_number(web_as, site, client_record):
    form = visit_form(site, client_number=client_record.client_number, initials="", sex="")
    del form["date_of_birth[day]"], form["date_of_birth[month]"], form["date_of_birth[year]"]
    response = web_as("keyworker").post(NEW, form, follow=True)
    transaction = NspTransaction.objects.get()
    assert (transaction.client, transaction.initials) == (client_record, "JS")
    assert client_record.client_number in response.content.decode()


@pytest.mark.parametrize(
    "change, message",
    [
        (date_parts("date", days_ago(-2)), "The date cannot be in the future"),
        ({"item_water": "-3"}, "Water for injections: Enter 0 or more, not -3"),
        ({"item_water": "lots"}, "Enter a whole number, like 10"),
        ({"date_of_birth[month]": "13"}, "Date of birth must be a real date"),
        (date_parts("date_of_birth", datetime.date(1880, 1, 1)), "Enter a real date of birth"),
        (
            {"item_needle_blue_23g_25mm": "", "item_water": "0", "bins_out": ""},
            "Nothing was given out or returned",
        ),
    ],
)
def test_bad_input_is_shown_with_its_message_and_nothing_saved(web_as, site, change, message):
    response = web_as("nurse").post(NEW, visit_form(site, **change))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert 'value="ab"' in page  # what was typed is kept
    assert NspTransaction.objects.count() == 0


def test_a_client_of_another_team_cannot_be_chosen(web_as, site, provider):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    response = web_as("keyworker").post(
        NEW, visit_form(site, client_number=elsewhere.client_number)
    )
    assert "No client with this number that you may open" in response.content.decode()
    assert NspTransaction.objects.count() == 0


def test_a_volunteer_records_by_attributor_and_sees_only_their_own_without_clients(
    web_as, users, site, client_record
):
    volunteer = web_as("volunteer")
    form_page = volunteer.get(NEW).content.decode()
    assert "Client number" not in form_page
    # A client number sent anyway is not a field of their form: nothing is linked.
    volunteer.post(NEW, visit_form(site, client_number=client_record.client_number))
    theirs = NspTransaction.objects.get()
    assert theirs.client is None
    staffs = nsp_visit(users["keyworker"], site, client=client_record)
    listing = volunteer.get("/harm-reduction/nsp/").content.decode()
    assert "AB 01/01/1990 F" in listing
    assert "JS 14/02/1985 M" not in listing
    assert client_record.client_number not in listing and "Client</th>" not in listing
    assert volunteer.get(f"/harm-reduction/nsp/{staffs.pk}/").status_code == 403


def test_staff_see_the_client_only_when_they_may_open_the_record(web_as, users, site, provider):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    transaction = nsp_visit(users["nurse"], site, client=elsewhere)
    keyworker_page = web_as("keyworker").get(f"/harm-reduction/nsp/{transaction.pk}/")
    shown = keyworker_page.content.decode()
    assert elsewhere.client_number not in shown
    assert transaction.attributor not in shown and "Not shown" in shown
    assert "Linked" not in shown
    nurse_page = web_as("nurse").get(f"/harm-reduction/nsp/{transaction.pk}/").content.decode()
    assert elsewhere.client_number in nurse_page and transaction.attributor in nurse_page


def test_the_list_hides_the_attributor_of_a_client_the_viewer_may_not_open(
    web_as, users, site, provider
):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    transaction = nsp_visit(users["nurse"], site, client=elsewhere)
    listed = web_as("keyworker").get("/harm-reduction/nsp/").content.decode()
    assert f"/harm-reduction/nsp/{transaction.pk}/" in listed
    assert transaction.attributor not in listed and "Linked" not in listed
    assert "Not shown" in listed
    assert transaction.attributor in web_as("nurse").get("/harm-reduction/nsp/").content.decode()


def test_the_attributor_search_does_not_find_a_client_the_viewer_may_not_open(
    web_as, users, site, provider
):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    transaction = nsp_visit(users["nurse"], site, client=elsewhere)
    born = elsewhere.date_of_birth
    search = {"initials": transaction.initials, **date_parts("date_of_birth", born)}
    keyworker = web_as("keyworker").get("/harm-reduction/nsp/", search).content.decode()
    assert f"/harm-reduction/nsp/{transaction.pk}/" not in keyworker
    nurse = web_as("nurse").get("/harm-reduction/nsp/", search).content.decode()
    assert f"/harm-reduction/nsp/{transaction.pk}/" in nurse


def test_the_list_filters_by_site_and_attributor(web_as, users, provider, site):
    south = site_of(provider, "Southbank clinic")
    nsp_visit(users["nurse"], site, attributor=("AB", datetime.date(1990, 1, 1), "F"))
    nsp_visit(users["nurse"], south, attributor=("CD", datetime.date(1991, 2, 2), "M"))
    http = web_as("manager")
    by_site = http.get("/harm-reduction/nsp/", {"site": south.pk}).content.decode()
    assert "CD 02/02/1991 M" in by_site and "AB 01/01/1990 F" not in by_site
    by_initials = http.get("/harm-reduction/nsp/", {"initials": "ab"}).content.decode()
    assert "AB 01/01/1990 F" in by_initials and "CD 02/02/1991 M" not in by_initials


def test_a_commissioner_reads_the_figures_and_their_csv_but_no_transaction(web_as, users, site):
    transaction = nsp_visit(users["nurse"], site, bins_out=4, bins_returned=3)
    http = web_as("commissioner")
    page = http.get("/harm-reduction/nsp/figures/").content.decode()
    assert "75.0%" in page and "Transactions" in page
    assert "JS 14/02/1985" not in page
    csv = http.get("/harm-reduction/nsp/figures.csv").content.decode()
    assert "Transactions,fewer than 5,fewer than 5" in csv
    assert "Return rate (bins returned / bins out),0.7500," in csv
    assert http.get(f"/harm-reduction/nsp/{transaction.pk}/").status_code == 403
    assert http.get("/harm-reduction/nsp/").status_code == 403
    assert web_as("keyworker").get("/harm-reduction/nsp/figures/").status_code == 403


def test_a_commissioner_sees_fewer_than_5_for_small_counts_and_a_manager_the_count(
    web_as, users, site, provider
):
    for number in range(6):
        nsp_visit(users["nurse"], site, attributor=("AB", datetime.date(1980, 1, 1 + number), "F"))
    south = site_of(provider, "Southbank clinic")
    nsp_visit(users["nurse"], south)
    day = {**date_parts("first", days_ago(0)), **date_parts("last", days_ago(0))}
    http = web_as("commissioner")
    all_sites = http.get("/harm-reduction/nsp/figures/", day).content.decode()
    all_sites_row = all_sites.split("Transactions", 1)[1].split("</tr>", 1)[0]
    assert all_sites_row.count("fewer than 5") == 1  # 7 this period; none a year earlier
    one_site = http.get("/harm-reduction/nsp/figures/", {**day, "site": south.pk})
    transactions_row = one_site.content.decode().split("Transactions", 1)[1].split("</tr>")[0]
    assert "fewer than 5" in transactions_row and ">1<" not in transactions_row
    csv = http.get("/harm-reduction/nsp/figures.csv", {**day, "site": south.pk}).content.decode()
    assert "Transactions,fewer than 5,fewer than 5" in csv
    assert "People (distinct attributors),fewer than 5,fewer than 5" in csv
    assert (
        "Transactions,7,fewer than 5"
        in http.get("/harm-reduction/nsp/figures.csv", day).content.decode()
    )
    manager = web_as("manager").get("/harm-reduction/nsp/figures.csv", {**day, "site": south.pk})
    assert "Transactions,1,0" in manager.content.decode()


def test_the_figures_refuse_a_period_ending_before_it_starts(web_as):
    response = web_as("manager").get(
        "/harm-reduction/nsp/figures/",
        {**date_parts("first", days_ago(1)), **date_parts("last", days_ago(5))},
    )
    assert "The end of the period must be on or after its start" in response.content.decode()


# Blood-borne viruses -----------------------------------------------------------------


def test_the_client_page_shows_blood_borne_viruses_to_who_may_open_it(web_as, users, client_record):
    hepatitis_c_awaiting(users["nurse"], client_record)
    hepatitis_b_course(users["nurse"], client_record)
    page = web_as("prescriber").get(f"/clients/{client_record.client_number}/").content.decode()
    assert 'id="blood-borne-viruses"' in page
    assert "Hepatitis C antibody" in page and "result awaited" in page
    assert "dose 1 due now" in page
    assert "Record a hepatitis C or HIV test" not in page  # prescribers read, do not record
    nurse = web_as("nurse").get(f"/clients/{client_record.client_number}/").content.decode()
    assert "Record a hepatitis C or HIV test" in nurse


def test_a_nurse_records_a_test_and_a_result_before_its_sample_is_shown(web_as, client_record):
    url = f"/harm-reduction/clients/{client_record.client_number}/bbv/tests/new/"
    form = {
        "virus": "hepatitis_c",
        **date_parts("offered_on", days_ago(10)),
        "offer": "accepted",
        "kind": "hcv_rna",
        **date_parts("tested_on", days_ago(5)),
        "result": "positive",
        **date_parts("result_on", days_ago(7)),
    }
    http = web_as("nurse")
    response = http.post(url, form)
    assert "The result cannot come back before the sample was taken" in response.content.decode()
    assert BloodBorneVirusTest.objects.count() == 0
    form.update(date_parts("result_on", days_ago(2)))
    page = http.post(url, form, follow=True).content.decode()
    assert "Test recorded." in page and "Positive" in page


def test_a_dose_too_soon_is_shown_and_not_saved(web_as, users, client_record):
    course = hepatitis_b_course(users["nurse"], client_record, offered_on=days_ago(30))
    url = f"/harm-reduction/bbv/hepatitis-b/{course.pk}/doses/new/"
    http = web_as("keyworker")
    http.post(url, date_parts("given_on", days_ago(30)))
    response = http.post(url, date_parts("given_on", days_ago(27)))
    assert "Dose 2 is due no sooner than 7 days after dose 1" in response.content.decode()
    assert HepatitisBDose.objects.count() == 1


def test_the_transactions_list_downloads_as_csv_with_its_filters_and_hiding(
    web_as, users, provider, site
):
    south = site_of(provider, "Southbank clinic")
    nsp_visit(users["nurse"], site, attributor=("AB", datetime.date(1990, 1, 1), "F"))
    nsp_visit(users["nurse"], south, attributor=("CD", datetime.date(1991, 2, 2), "M"))
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    linked = nsp_visit(users["nurse"], south, client=elsewhere, bins_returned=2)
    http = web_as("keyworker")
    assert (
        'href="/harm-reduction/nsp.csv?site='
        in http.get("/harm-reduction/nsp/", {"site": south.pk}).content.decode()
    )
    response = http.get("/harm-reduction/nsp.csv", {"site": south.pk})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Date,Site,Attributor,Client number,Given out,Bins returned"
    assert len(lines) == 3 and not any("AB 01/01/1990" in line for line in lines)
    assert any(line.startswith(f"{linked.date.isoformat()},Southbank clinic,CD") for line in lines)
    # The keyworker may not open the linked client: neither its number nor attributor.
    hidden = [line for line in lines if "Not shown,Not shown" in line]
    assert len(hidden) == 1 and hidden[0].endswith(",2")
    assert elsewhere.client_number not in response.content.decode()
    assert linked.attributor not in response.content.decode()
    nurse = web_as("nurse").get("/harm-reduction/nsp.csv").content.decode()
    assert elsewhere.client_number in nurse and "AB 01/01/1990 F" in nurse


def test_the_transactions_csv_with_a_bad_filter_shows_the_list_with_its_error(web_as):
    response = web_as("manager").get("/harm-reduction/nsp.csv", {"site": "999999"})
    assert response["Content-Type"].startswith("text/html")
    assert "nhsuk-error-summary" in response.content.decode()
