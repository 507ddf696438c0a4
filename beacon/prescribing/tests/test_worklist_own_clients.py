"""The prescriber's worklist starts on their own clients (the prescriptions they wrote),
then the rest of the service, so a colleague's client is never out of sight; every section
links to its full list, which filters, pages and downloads as CSV, and refuses a CSV of
filters that are not valid (H-134, H-135)."""

import csv
import io

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.prescribing.models import Prescription
from beacon.prescribing.tests.factories import WEEKLY_BUVIDAL, days_from_today, prescribe
from beacon.treatment.tests.factories import ExitPlanFactory, ModalityFactory

pytestmark = pytest.mark.django_db
HOME = "/"


@pytest.fixture
def colleague(make_user):
    return make_user("prescriber", username="prescriber-two", first_name="Ada", last_name="Quill")


def client_named(provider, team, users, last_name):
    return ClientFactory(
        provider=provider, team=team, keyworker=users["keyworker"], last_name=last_name
    )


def suspended(prescription: Prescription) -> Prescription:
    prescription.status = Prescription.Status.SUSPENDED
    prescription.save(update_fields=["status"])
    return prescription


def section_of(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


def order_in(text: str, names: list[str]) -> list[str]:
    return sorted((name for name in names if name in text), key=text.index)


@pytest.fixture
def two_prescribers_work(provider, team, users, colleague):
    """For each section one client of the colleague's (Aardvark, first by name and date) and
    one of the prescriber's own (Zeller)."""
    made = {}
    for last_name, prescriber in [("Aardvark", colleague), ("Zeller", users["prescriber"])]:
        ending = prescribe(
            client=client_named(provider, team, users, last_name + "end"),
            prescriber=prescriber,
            start_date=days_from_today(2 - 13),
        )
        suspended(
            prescribe(
                client=client_named(provider, team, users, last_name + "rev"), prescriber=prescriber
            )
        )
        prescribe(
            client=client_named(provider, team, users, last_name + "inj"),
            prescriber=prescriber,
            start_date=days_from_today(-3),
            **WEEKLY_BUVIDAL,
        )
        ModalityFactory(episode=ending.episode, ost=True)
        ExitPlanFactory(episode=ending.episode, next_review_date=days_from_today(-1))
        made[last_name] = ending
    return made


@pytest.mark.parametrize(
    "section_id, suffix",
    [
        ("worklist-ending-soon", "end"),
        ("worklist-missed-dose-reviews", "rev"),
        ("worklist-late-injections", "inj"),
        ("worklist-exit-plan-reviews", "end"),
    ],
)
def test_the_prescribers_own_clients_come_first_and_a_colleagues_still_show(
    two_prescribers_work, web_as, section_id, suffix
):
    html = web_as("prescriber").get(HOME).content.decode()
    section = section_of(html, section_id)
    assert order_in(section, ["Zeller" + suffix, "Aardvark" + suffix]) == [
        "Zeller" + suffix,
        "Aardvark" + suffix,
    ]


def test_the_colleague_sees_their_own_clients_first(
    two_prescribers_work, make_user, colleague, web_as
):
    html = web_as(colleague).get(HOME).content.decode()
    section = section_of(html, "worklist-missed-dose-reviews")
    assert order_in(section, ["Zellerrev", "Aardvarkrev"]) == ["Aardvarkrev", "Zellerrev"]


def test_a_row_says_whose_prescription_it_is(two_prescribers_work, web_as):
    section = section_of(web_as("prescriber").get(HOME).content.decode(), "worklist-ending-soon")
    mine, theirs = section.split("Aardvarkend", 1)
    assert "You" in mine and "Ada Quill" in theirs


@pytest.mark.parametrize(
    "section_id, url_name",
    [
        ("worklist-ending-soon", "prescribing:ending_soon"),
        ("worklist-missed-dose-reviews", "prescribing:reviews_due"),
        ("worklist-late-injections", "prescribing:late_injections"),
        ("worklist-exit-plan-reviews", "treatment:exit_plan_reviews"),
    ],
)
def test_every_section_links_to_its_full_list(two_prescribers_work, web_as, section_id, url_name):
    http = web_as("prescriber")
    section = section_of(http.get(HOME).content.decode(), section_id)
    assert f'href="{reverse(url_name)}"' in section
    full = http.get(reverse(url_name))
    assert full.status_code == 200
    assert "Zeller" in full.text and "Aardvark" in full.text


LISTS = [
    ("prescribing:reviews_due", "rev"),
    ("prescribing:late_injections", "inj"),
    ("treatment:exit_plan_reviews", "end"),
]


@pytest.mark.parametrize("url_name, suffix", LISTS)
def test_a_full_list_filters_by_client(two_prescribers_work, web_as, url_name, suffix):
    page = web_as("prescriber").get(reverse(url_name), {"q": "Aardvark" + suffix}).text
    assert "Aardvark" + suffix in page and "Zeller" + suffix not in page


@pytest.mark.parametrize("url_name, suffix", LISTS)
def test_a_full_lists_csv_keeps_the_filter_and_is_audited(
    two_prescribers_work, web_as, users, url_name, suffix
):
    response = web_as("prescriber").get(reverse(url_name + "_csv"), {"q": "Zeller" + suffix})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 and any("Zeller" + suffix in cell for cell in rows[1])
    entry = AuditEntry.objects.filter(action="export", username=users["prescriber"].username)
    assert entry.count() == 1 and "Zeller" in entry.get().detail


@pytest.mark.parametrize(
    "url_name",
    [
        "prescribing:ending_soon_csv",
        "prescribing:reviews_due_csv",
        "prescribing:late_injections_csv",
        "treatment:exit_plan_reviews_csv",
    ],
)
def test_a_csv_of_filters_that_are_not_valid_gives_no_file(
    two_prescribers_work, web_as, users, url_name
):
    """H-135: a filter not valid (a client search of 101 characters) must not download every
    row as if nothing were chosen; the page shows the error and nothing is exported."""
    response = web_as("manager").get(reverse(url_name), {"q": "x" * 101})
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/csv")
    assert "There is a problem" in response.text
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_manager_reads_the_reviews_list_without_a_review_link(two_prescribers_work, web_as):
    """The review after missed doses is a prescriber's decision (rules.REVIEW): a manager
    sees who waits, and no link to a form that would refuse them."""
    page = web_as("manager").get(reverse("prescribing:reviews_due")).text
    assert "Zellerrev" in page and "Aardvarkrev" in page
    assert "A prescriber reviews" in page
    assert "/review/" not in page.split('id="missed-dose-reviews"')[1]
