"""The prescriber's home page is a worklist: prescriptions ending with nothing to follow,
supply suspended after missed doses, late injections to decide, exit plan reviews and new
alerts, each row linking to where the prescriber acts, for the clients they may open only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import Alert, AuditEntry
from beacon.core.roles import Role
from beacon.core.tests.factories import TeamFactory
from beacon.prescribing import safety
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.selectors import (
    injections_awaiting_decision,
    prescriptions_awaiting_review,
)
from beacon.prescribing.tests.factories import (
    WEEKLY_BUVIDAL,
    collected_until_today,
    days_from_today,
    prescribe,
)
from beacon.treatment.tests.factories import ExitPlanFactory, ModalityFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def ending_in(days: int) -> dict:
    """A 14-day prescription whose last day is `days` from today."""
    return {"start_date": days_from_today(days - 13)}


def suspended(prescription: Prescription) -> Prescription:
    """Supply stopped for the prescriber's review, as three missed days leave it."""
    prescription.status = Prescription.Status.SUSPENDED
    prescription.save(update_fields=["status"])
    return prescription


@pytest.fixture
def robin(provider, team, users):
    return ClientFactory(
        provider=provider,
        team=team,
        keyworker=users["keyworker"],
        first_name="Robin",
        last_name="Fellwood",
    )


def make_client(provider, team, users, n: int):
    return ClientFactory(
        provider=provider, team=team, keyworker=users["keyworker"], last_name=f"Client{n}"
    )


def test_prescriber_home_lists_a_prescription_ending_soon_with_its_continue_link(
    robin, users, web_as
):
    prescription = prescribe(client=robin, prescriber=users["prescriber"], **ending_in(2))
    page = web_as("prescriber").get(HOME)
    assert page.status_code == 200
    html = page.content.decode()
    section = html.split('id="worklist-ending-soon"')[1].split("</section>")[0]
    assert "Robin Fellwood" in section
    assert reverse("prescribing:continue", args=[prescription.pk]) in section
    assert 'Continue<span class="nhsuk-u-visually-hidden"> the prescription of Robin' in section


def test_a_prescription_already_followed_is_not_on_the_worklist(robin, users, web_as):
    first = prescribe(client=robin, prescriber=users["prescriber"], **ending_in(2))
    prescribe(
        client=robin,
        prescriber=users["prescriber"],
        start_date=first.end_date + datetime.timedelta(days=1),
    )
    html = web_as("prescriber").get(HOME).content.decode()
    section = html.split('id="worklist-ending-soon"')[1].split("</section>")[0]
    assert "Robin Fellwood" not in section
    assert "No prescription ends in the next 3 days" in section


def test_suspended_supply_is_listed_with_the_link_to_the_review(robin, users, web_as):
    prescription = suspended(prescribe(client=robin, prescriber=users["prescriber"]))
    active = prescribe(
        client=make_client(robin.provider, robin.team, users, 1), prescriber=users["prescriber"]
    )
    collected_until_today(active, users["prescriber"])
    listed = list(prescriptions_awaiting_review(user=users["prescriber"], today=days_from_today(0)))
    assert listed == [prescription]
    html = web_as("prescriber").get(HOME).content.decode()
    section = html.split('id="worklist-missed-dose-reviews"')[1].split("</section>")[0]
    assert reverse("prescribing:review", args=[prescription.pk]) in section
    assert reverse("prescribing:review", args=[active.pk]) not in section


def test_a_late_injection_is_listed_for_the_prescribers_decision(robin, users, web_as):
    prescription = prescribe(
        client=robin,
        prescriber=users["prescriber"],
        start_date=days_from_today(-3),
        **WEEKLY_BUVIDAL,
    )
    late = prescription.instalments.order_by("date").first()
    html = web_as("prescriber").get(HOME).content.decode()
    section = html.split('id="worklist-late-injections"')[1].split("</section>")[0]
    assert reverse("prescribing:outcome", args=[late.pk]) in section
    assert "Robin Fellwood" in section


def test_the_late_injection_query_and_the_rule_for_one_injection_agree(provider, team, users):
    """H-142: the worklist's query and safety.late_injection_needs_decision are one rule."""
    today = timezone.localdate()
    buvidal = prescribe(
        client=make_client(provider, team, users, 1),
        prescriber=users["prescriber"],
        start_date=days_from_today(-10),
        **WEEKLY_BUVIDAL,
    )
    methadone = prescribe(
        client=make_client(provider, team, users, 2),
        prescriber=users["prescriber"],
        start_date=days_from_today(-5),
    )
    first = buvidal.instalments.order_by("date").first()
    first.outcome = Instalment.Outcome.COLLECTED
    first.save(update_fields=["outcome"])
    every = Instalment.objects.filter(prescription__in=[buvidal, methadone])
    by_rule = {i.pk for i in every if safety.late_injection_needs_decision(i, today=today)}
    by_query = {i.pk for i in injections_awaiting_decision(user=users["prescriber"], today=today)}
    assert by_query == by_rule
    assert len(by_query) == 1  # the second weekly injection; the first was given


def test_an_exit_plan_review_due_is_listed_with_the_link_to_record_it(robin, users, web_as):
    prescription = prescribe(client=robin, prescriber=users["prescriber"])
    ModalityFactory(episode=prescription.episode, ost=True)
    ExitPlanFactory(episode=prescription.episode, next_review_date=days_from_today(-1))
    html = web_as("prescriber").get(HOME).content.decode()
    section = html.split('id="worklist-exit-plan-reviews"')[1].split("</section>")[0]
    assert reverse("treatment:exit_plan_review_add", args=[robin.client_number]) in section
    assert "Overdue by 1 day" in section


def test_new_alerts_are_on_the_worklist_and_read_ones_are_not(robin, users, web_as):
    for title, read_at in (("Supply suspended: Robin", None), ("Old news", timezone.now())):
        Alert.objects.create(
            provider=robin.provider,
            recipient=users["prescriber"],
            kind=Alert.Kind.MISSED_DOSES,
            client=robin,
            title=title,
            message="Three days missed.",
            link=f"/clients/{robin.client_number}/",
            read_at=read_at,
        )
    html = web_as("prescriber").get(HOME).content.decode()
    section = html.split('id="alerts-worklist"')[1].split("</section>")[0]
    assert "Supply suspended: Robin" in section
    assert "Old news" not in section


def test_the_worklist_shows_no_client_of_another_provider(
    robin, users, web_as, other_provider, make_user
):
    elsewhere = ClientFactory(
        provider=other_provider,
        team=TeamFactory(provider=other_provider),
        first_name="Sasha",
        last_name="Elsewhere",
    )
    other_prescriber = make_user(Role.PRESCRIBER, provider=other_provider, team=None)
    prescribe(client=elsewhere, prescriber=other_prescriber, **ending_in(1))
    suspended(prescribe(client=robin, prescriber=users["prescriber"], **ending_in(1)))
    html = web_as("prescriber").get(HOME).content.decode()
    assert "Sasha" not in html and "Elsewhere" not in html
    assert "Robin Fellwood" in html


def test_opening_the_worklist_is_audited(robin, users, web_as):
    prescribe(client=robin, prescriber=users["prescriber"], **ending_in(2))
    web_as("prescriber").get(HOME)
    entry = AuditEntry.objects.filter(user=users["prescriber"], client=None).latest("pk")
    assert entry.detail.startswith("home worklist:")
    assert "worklist-ending-soon 1" in entry.detail


def home_queries(http) -> int:
    """The home page's reads (each client shown is audited, one entry a row)."""
    with CaptureQueriesContext(connection) as queries:
        assert http.get(HOME).status_code == 200
    return sum(1 for q in queries if 'INSERT INTO "core_auditentry"' not in q["sql"])


def test_the_worklists_queries_do_not_grow_with_its_rows(provider, team, users, web_as):
    """Every section comes from a fixed number of queries and the template runs none."""
    http = web_as("prescriber")

    def add_clients(start: int, count: int) -> None:
        for n in range(start, start + count):
            client = make_client(provider, team, users, n)
            ending = prescribe(client=client, prescriber=users["prescriber"], **ending_in(1))
            collected_until_today(ending, users["prescriber"])
            ModalityFactory(episode=ending.episode, ost=True)
            ExitPlanFactory(episode=ending.episode, next_review_date=days_from_today(0))
            suspended(
                prescribe(
                    client=make_client(provider, team, users, 100 + n),
                    prescriber=users["prescriber"],
                    start_date=days_from_today(-3),
                    **WEEKLY_BUVIDAL,
                )
            )

    add_clients(0, 1)
    few = home_queries(http)
    add_clients(1, 3)
    many = home_queries(http)
    html = http.get(HOME).content.decode()
    assert html.count("Continue<span") == 4
    assert html.count("Review<span") == 8  # four suspended supplies, four exit plans
    assert many == few


def test_an_active_prescription_with_three_days_unsupplied_waits_for_review(
    provider, team, users, web_as
):
    """Supply is refused after 3 days in a row not supplied, before anyone suspends it:
    the prescriber's review list shows it, longest waiting first."""
    prescriber = users["prescriber"]
    recent = prescribe(
        client=make_client(provider, team, users, 1),
        prescriber=prescriber,
        start_date=days_from_today(-3),
    )
    longest = prescribe(
        client=make_client(provider, team, users, 2),
        prescriber=prescriber,
        start_date=days_from_today(-6),
    )
    kept_coming = prescribe(
        client=make_client(provider, team, users, 3),
        prescriber=prescriber,
        start_date=days_from_today(-6),
    )
    collected_until_today(kept_coming, prescriber)
    assert recent.status == longest.status == Prescription.Status.ACTIVE
    listed = prescriptions_awaiting_review(user=prescriber, today=days_from_today(0))
    assert listed == [longest, recent]
    html = web_as("prescriber").get(HOME).content.decode()
    section = html.split('id="worklist-missed-dose-reviews"')[1].split("</section>")[0]
    assert reverse("prescribing:review", args=[recent.pk]) in section
    assert reverse("prescribing:review", args=[kept_coming.pk]) not in section


def test_the_review_list_and_the_reviews_waiting_rule_agree(provider, team, users):
    """The list shows exactly the prescriptions services.missed_dose_review_record accepts a
    review for (suspended, or active with the threshold of days missed reached)."""
    prescriber = users["prescriber"]
    today = days_from_today(0)
    every = [
        prescribe(
            client=make_client(provider, team, users, n),
            prescriber=prescriber,
            start_date=days_from_today(-days),
        )
        for n, days in enumerate((0, 1, 2, 3, 5))
    ]
    suspended(every[0])
    collected_until_today(every[4], prescriber)
    by_rule = {
        p.pk
        for p in every
        if p.status == Prescription.Status.SUSPENDED or safety.needs_review(p, on=today)
    }
    listed = {p.pk for p in prescriptions_awaiting_review(user=prescriber, today=today)}
    assert listed == by_rule
    assert listed == {every[0].pk, every[3].pk}


def test_each_client_the_worklist_shows_is_audited(robin, users, web_as):
    """Like the list of alerts, the home page records each client it names, not a count."""
    prescription = prescribe(client=robin, prescriber=users["prescriber"], **ending_in(2))
    collected_until_today(prescription, users["prescriber"])
    web_as("prescriber").get(HOME)
    entry = AuditEntry.objects.filter(user=users["prescriber"], client=robin).latest("pk")
    assert entry.action == AuditEntry.Action.VIEW
    assert entry.detail == "worklist-ending-soon row"
