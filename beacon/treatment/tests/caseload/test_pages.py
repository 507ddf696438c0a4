"""The keyworker's caseload: counts, and what is overdue, due today and due this week."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.treatment.codes import TOP_REVIEW_INTERVAL_DAYS
from beacon.treatment.selectors.caseload import DueKind, caseload_clients, caseload_due
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    ModalityFactory,
    PlanActionFactory,
    RecoveryPlanFactory,
    TopFactory,
    TreatmentEpisodeFactory,
    days,
)

pytestmark = pytest.mark.django_db
URL = reverse("treatment:caseload")


@pytest.fixture
def in_treatment(users, team):
    """in_treatment(last_name, keyworker=the keyworker): a client in an open episode whose
    start TOP is done and whose next TOP is months away."""

    def make(last_name: str, **fields):
        fields.setdefault("keyworker", users["keyworker"])
        client = ClientFactory(provider=team.provider, team=team, last_name=last_name, **fields)
        episode = TreatmentEpisodeFactory(client=client, start_date=days(-100))
        TopFactory(episode=episode, completed_on=days(-100))
        return episode

    return make


def busy_client(in_treatment, last_name: str, **fields):
    """One client with something of every kind due: each on its own day."""
    episode = in_treatment(last_name, **fields)
    plan = RecoveryPlanFactory(episode=episode, agreed_on=days(-90), next_review_date=days(0))
    PlanActionFactory(plan=plan, due_date=days(-2))
    PlanActionFactory(plan=plan, due_date=days(3), text="Done already", done_on=days(-1))
    ModalityFactory(episode=episode, ost=True)
    ExitPlanFactory(episode=episode, agreed_on=days(-60), next_review_date=days(7))
    episode.tops.update(completed_on=days(5 - TOP_REVIEW_INTERVAL_DAYS))
    return episode


def counts(page: str) -> dict[str, int]:
    found = re.findall(
        r'nhsuk-card__heading[^>]*>\s*(\d+)\s*</h2>\s*<p class="nhsuk-card__description">([^<]+)<',
        page,
    )
    return {label: int(number) for number, label in found}


def kinds(caseload) -> list[tuple[str, int]]:
    return [(item.kind, item.days_from_today) for item in caseload.items]


def test_everything_due_for_a_client_is_gathered_with_its_date(in_treatment, users):
    busy_client(in_treatment, "Busy")
    caseload = caseload_due(clients=caseload_clients(user=users["keyworker"]), today=days(0))
    assert kinds(caseload) == [
        (DueKind.PLAN_ACTION, -2),
        (DueKind.PLAN_REVIEW, 0),
        (DueKind.TOP, 5),
        (DueKind.EXIT_PLAN_REVIEW, 7),
    ]
    assert (len(caseload.overdue), len(caseload.due_today), len(caseload.due_this_week)) == (
        1,
        1,
        2,
    )
    assert caseload.client_count == 1


def test_the_week_ends_seven_days_ahead(in_treatment, users):
    RecoveryPlanFactory(episode=in_treatment("Seven"), next_review_date=days(7))
    RecoveryPlanFactory(episode=in_treatment("Eight"), next_review_date=days(8))
    caseload = caseload_due(clients=caseload_clients(user=users["keyworker"]), today=days(0))
    assert [item.client.last_name for item in caseload.due_this_week] == ["Seven"]


def test_only_the_plan_in_force_and_exit_plans_while_on_ost_count(in_treatment, users):
    episode = in_treatment("Rewritten")
    old = RecoveryPlanFactory(episode=episode, agreed_on=days(-80), next_review_date=days(-5))
    PlanActionFactory(plan=old, due_date=days(-1))
    RecoveryPlanFactory(episode=episode, agreed_on=days(-10), next_review_date=days(30))
    ExitPlanFactory(episode=episode, next_review_date=days(-3))  # OST has not started
    caseload = caseload_due(clients=caseload_clients(user=users["keyworker"]), today=days(0))
    assert caseload.items == []


def test_keyworker_sees_only_their_own_caseload(in_treatment, users, make_user):
    colleague = make_user("keyworker", username="kw-colleague")
    busy_client(in_treatment, "Theirs", keyworker=colleague)
    busy_client(in_treatment, "Mine")
    caseload = caseload_due(clients=caseload_clients(user=users["keyworker"]), today=days(0))
    assert {item.client.last_name for item in caseload.items} == {"Mine"}
    assert caseload.client_count == 1


def test_manager_sees_the_service_or_one_keyworker(in_treatment, users, make_user):
    colleague = make_user("keyworker", username="kw-colleague")
    busy_client(in_treatment, "Theirs", keyworker=colleague)
    busy_client(in_treatment, "Mine")
    manager = users["manager"]
    everyone = caseload_due(clients=caseload_clients(user=manager), today=days(0))
    assert {item.client.last_name for item in everyone.items} == {"Mine", "Theirs"}
    one = caseload_due(clients=caseload_clients(user=manager, keyworker=colleague), today=days(0))
    assert {item.client.last_name for item in one.items} == {"Theirs"}


def test_queries_do_not_grow_with_the_caseload(in_treatment, users, django_assert_max_num_queries):
    for index in range(12):
        busy_client(in_treatment, f"Client{index}")
    with django_assert_max_num_queries(5):
        caseload = caseload_due(clients=caseload_clients(user=users["keyworker"]), today=days(0))
        rows = [(item.client.client_number, item.what) for item in caseload.items]
    assert len(rows) == 12 * 4 and caseload.client_count == 12


def test_the_page_costs_the_same_for_two_clients_or_twelve(in_treatment, web_as):
    http = web_as("keyworker")
    http.get(URL)  # session and user warm

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(URL).status_code == 200
        return len(captured)

    for index in range(2):
        busy_client(in_treatment, f"Few{index}")
    few = queries_for_page()
    for index in range(10):
        busy_client(in_treatment, f"Many{index}")
    assert queries_for_page() == few


def test_page_shows_counts_and_links_each_row_to_the_client(in_treatment, web_as):
    episode = busy_client(in_treatment, "Fellwood", first_name="Robin")
    in_treatment("Quiet")
    page = web_as("keyworker").get(URL).text
    assert counts(page) == {
        "clients on caseload": 2,
        "due today": 1,
        "due in the next 7 days": 2,
        "overdue": 1,
    }
    assert reverse("clients:detail", args=[episode.client.client_number]) in page
    overdue = page.split('id="overdue"')[1].split("</table>")[0]
    assert "Action (client): Book a GP appointment about sleep" in overdue
    assert "Overdue by 2 days" in overdue
    today = page.split('id="due-today"')[1].split("</table>")[0]
    assert "Recovery plan review" in today
    week = page.split('id="due-this-week"')[1].split("</table>")[0]
    assert "6-month review TOP" in week and "Exit plan review" in week


def test_manager_filters_by_keyworker(in_treatment, web_as, users, make_user):
    colleague = make_user("keyworker", username="kw-colleague", first_name="Ash")
    busy_client(in_treatment, "Theirs", keyworker=colleague)
    busy_client(in_treatment, "Mine")
    http = web_as("manager")
    assert "MINE" in http.get(URL).text and "THEIRS" in http.get(URL).text
    filtered = http.get(URL, {"keyworker": colleague.pk}).text
    assert "THEIRS" in filtered and "MINE" not in filtered
    assert 'id="id_keyworker"' not in web_as("keyworker").get(URL).text


def test_opening_the_caseload_is_audited(in_treatment, web_as, users):
    busy_client(in_treatment, "Busy")
    web_as("keyworker").get(URL)
    entry = AuditEntry.objects.get(action="view", username=users["keyworker"].username)
    assert entry.detail == "caseload, 1 shown"


@pytest.mark.parametrize("role", ["nurse", "prescriber", "driver", "volunteer", "commissioner"])
def test_roles_without_a_caseload_are_refused(web_as, role):
    assert web_as(role).get(URL).status_code == 403
