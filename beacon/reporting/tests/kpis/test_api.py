"""`GET /api/v1/kpis`: the issue's JSON, the dashboard's rules, 422 for bad dates."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import SiteFactory, TeamFactory
from beacon.reporting.kpis import KPIS, Figures
from beacon.reporting.presenters.kpis import NOT_SHOWN, SUPPRESSED, rows_shown, suppressed
from beacon.reporting.tests.kpis.builders import date, journey

pytestmark = pytest.mark.django_db

URL = "/api/v1/kpis"
YEAR = {"start": "2025-04-01", "end": "2026-03-31"}


@pytest.fixture
def in_treatment(provider, team):
    """Five people in treatment in the year, two of them successful completions."""
    for number in range(5):
        journey(
            ClientFactory(provider=provider, team=team),
            referred=date(2025, 5, 1),
            discharged=date(2025, 12, 1) if number < 2 else None,
        )


def test_the_kpis_answer_one_key_per_kpi_for_the_period(api_as, in_treatment):
    response = api_as("manager").get(URL, YEAR)

    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2025-04-01", "2026-03-31")
    assert list(body["kpis"]) == list(KPIS)
    assert body["kpis"]["in_treatment"] == 5
    assert body["kpis"]["successful_completions"] == {"count": 2, "share_of_in_treatment": 0.4}
    # The volunteers app has landed: its figures, 0 where nothing was recorded (not null).
    assert body["kpis"]["outreach"]["volunteer_contacts"] == 0


def test_a_commissioner_sees_counts_of_1_to_4_suppressed(api_as, in_treatment):
    body = api_as("commissioner").get(URL, YEAR).json()["kpis"]

    assert body["in_treatment"] == 5
    assert body["successful_completions"] == {
        "count": SUPPRESSED,
        "share_of_in_treatment": NOT_SHOWN,
    }
    assert body["new_presentations"]["non_structured"] == 0  # nothing to identify in 0


def test_suppression_hides_1_to_4_and_what_is_derived_from_them():
    assert suppressed({"completions": 4, "represented": 0, "rate": 0.0}) == {
        "completions": SUPPRESSED,
        "represented": 0,
        "rate": NOT_SHOWN,
    }
    assert suppressed({"completions": 5, "represented": 0, "rate": 0.0})["rate"] == 0.0
    assert suppressed({"n": 0, "mean": None}) == {"n": 0, "mean": None}
    assert suppressed(1) == SUPPRESSED


def test_the_other_parts_of_a_total_are_hidden_when_one_part_is_suppressed():
    # 12 - 9 would give the suppressed 3 back: the 9 is hidden too, the total stays.
    assert suppressed({"total": 12, "structured": 9, "non_structured": 3}) == {
        "total": 12,
        "structured": NOT_SHOWN,
        "non_structured": SUPPRESSED,
    }
    kits = {"kits_supplied": 20, "to_clients": 17, "to_others": 3, "kits_reported_used": 6}
    assert suppressed(kits) == {**kits, "to_clients": NOT_SHOWN, "to_others": SUPPRESSED}
    # 30 booked - 20 attended - 8 DNAs = 2 other outcomes: both parts hidden, and the rate.
    assert suppressed({"booked": 30, "attended": 20, "rate": 0.6667, "dna": 8}) == {
        "booked": 30,
        "attended": NOT_SHOWN,
        "rate": NOT_SHOWN,
        "dna": NOT_SHOWN,
    }
    nothing_small = {"booked": 30, "attended": 20, "rate": 0.6667, "dna": 10}
    assert suppressed(nothing_small) == nothing_small


def test_a_rate_of_a_small_numerator_or_denominator_is_not_shown():
    # 3 of 40 clients on OST supervised: 0.075 x 40 would give the 3 back.
    on_ost = {"clients_on_ost": 40, "supervised_share": 0.075}
    assert suppressed(Figures(on_ost, rates={"supervised_share": (3, 40)})) == {
        "clients_on_ost": 40,
        "supervised_share": NOT_SHOWN,
    }
    # 2 of 20 responses scored 10 (hidden); 10 of 20 scored 8 or more (shown).
    answers = {"responses": 20, "share_10": 0.1, "share_8_plus": 0.5}
    rates = {"share_10": (2, 20), "share_8_plus": (10, 20)}
    assert suppressed(Figures(answers, rates=rates)) == {**answers, "share_10": NOT_SHOWN}
    # Coverage of 4 current opiate clients (not itself a figure) is not shown.
    kits = {"kits_supplied": 20, "to_clients": 10, "to_others": 10, "coverage": 0.5}
    assert suppressed(Figures(kits, rates={"coverage": (2, 4)}))["coverage"] == NOT_SHOWN
    assert suppressed(Figures(kits, rates={"coverage": (0, 0)}))["coverage"] == 0.5


def test_when_one_month_is_suppressed_the_next_smallest_is_hidden_too():
    months = [
        ("January 2026", {"new_presentations": 3, "in_treatment": 40}),
        ("February 2026", {"new_presentations": 7, "in_treatment": 41}),
        ("March 2026", {"new_presentations": 12, "in_treatment": 2}),
    ]

    shown = rows_shown(months, suppress=True)

    # The year's 22 minus 7 and 12 would give January's 3 back: February is hidden too.
    assert [values["new_presentations"] for _name, values in shown] == [
        SUPPRESSED,
        NOT_SHOWN,
        12,
    ]
    assert [values["in_treatment"] for _name, values in shown] == [NOT_SHOWN, 41, SUPPRESSED]
    assert rows_shown(months, suppress=False) == months


def test_the_second_month_hidden_is_never_a_zero():
    months = [
        ("January", {"kits_supplied": 3}),
        ("February", {"kits_supplied": 0}),
        ("March", {"kits_supplied": 9}),
    ]

    shown = rows_shown(months, suppress=True)

    # Hiding February's 0 would leave the year's 12 minus March's 9: January's 3.
    assert [values["kits_supplied"] for _name, values in shown] == [SUPPRESSED, 0, NOT_SHOWN]


def test_two_suppressed_months_adding_up_to_fewer_than_5_hide_a_third():
    months = [
        ("January", {"kits_supplied": 1}),
        ("February", {"kits_supplied": 2}),
        ("March", {"kits_supplied": 9}),
        ("April", {"kits_supplied": 20}),
    ]

    shown = rows_shown(months, suppress=True)

    # The year's 32 minus 9 and 20 would say January and February had 3 between them.
    assert [values["kits_supplied"] for _name, values in shown] == [
        SUPPRESSED,
        SUPPRESSED,
        NOT_SHOWN,
        20,
    ]


def test_two_suppressed_months_need_no_third_hidden():
    months = [("January", {"kits_supplied": 3}), ("February", {"kits_supplied": 2})]
    months.append(("March", {"kits_supplied": 9}))

    shown = rows_shown(months, suppress=True)

    assert [values["kits_supplied"] for _name, values in shown] == [SUPPRESSED, SUPPRESSED, 9]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2025-13-01", "end": "2026-03-31"}, "start"),
        ({"start": "2025-04-01", "end": "31/03/2026"}, "end"),
        ({"start": "2026-04-01", "end": "2026-03-31"}, "end"),
        ({**YEAR, "site": "999999"}, "site"),
    ],
)
def test_bad_dates_or_an_unknown_site_are_refused_naming_the_field(api_as, query, field):
    response = api_as("manager").get(URL, query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_a_team_of_another_provider_is_refused(api_as, other_provider):
    theirs = TeamFactory(provider=other_provider)

    response = api_as("manager").get(URL, {**YEAR, "team": theirs.pk})

    assert response.status_code == 422


def test_site_and_team_narrow_the_figures(api_as, provider, team, in_treatment):
    team.site = SiteFactory(provider=provider)
    team.save()
    other = TeamFactory(provider=provider)
    journey(ClientFactory(provider=provider, team=other), referred=date(2025, 5, 1))

    by_site = api_as("manager").get(URL, {**YEAR, "site": team.site.pk}).json()
    by_team = api_as("manager").get(URL, {**YEAR, "team": other.pk}).json()

    assert (by_site["site"], by_site["kpis"]["in_treatment"]) == (team.site.pk, 5)
    assert (by_team["team"], by_team["kpis"]["in_treatment"]) == (other.pk, 1)
    assert by_team["kpis"]["nsp"] is None


@pytest.mark.parametrize("role", ["keyworker", "prescriber", "nurse", "volunteer", "driver"])
def test_only_managers_and_commissioners_read_the_kpis(api_as, role):
    assert api_as(role).get(URL, YEAR).status_code == 403


def test_by_default_the_period_is_the_12_calendar_months_to_today(api_as):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    body = api_as("manager").get(URL).json()

    first = datetime.date.fromisoformat(body["start"])
    assert body["end"] == today.isoformat()
    assert first.day == 1
    assert (today.year * 12 + today.month) - (first.year * 12 + first.month) == 11
