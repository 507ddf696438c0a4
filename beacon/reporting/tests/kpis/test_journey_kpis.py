"""The journey KPIs on hand-built cases, each answer worked out by hand in the test.

The period is the issue's example year, 1 April 2025 to 31 March 2026."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beacon.clients.tests.factories import ClientFactory
from beacon.prescribing.models import Prescription
from beacon.reporting.kpis import (
    Scope,
    days_to_first_prescription,
    in_treatment,
    new_presentations,
    representations_6m,
    successful_completions,
)
from beacon.reporting.tests.kpis.builders import (
    END,
    START,
    date,
    journey,
    prescription,
    triage_only,
)
from beacon.treatment.codes import DischargeReason, Substance, SubstanceGroup
from beacon.treatment.models import Triage

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(provider, team):
    return lambda: ClientFactory(provider=provider, team=team)


@pytest.fixture
def year(provider):
    return Scope(provider=provider, start=START, end=END)


def test_new_presentations_count_each_person_once_split_structured(person, year):
    twice = person()  # presents twice: once structured, once not -> one structured person
    journey(twice, referred=date(2025, 5, 1), discharged=date(2025, 8, 1))
    journey(twice, referred=date(2025, 11, 1), structured=False)
    journey(person(), referred=date(2025, 6, 1), structured=False)  # non-structured
    journey(person(), referred=date(2025, 3, 1))  # triaged 4 March 2025: before the period
    journey(person(), referred=date(2026, 3, 29))  # triaged 1 April 2026: after it

    assert new_presentations(year) == {"total": 2, "structured": 1, "non_structured": 1}


def test_a_referral_closed_at_triage_is_not_a_new_presentation(person, year):
    triage_only(person(), referred=date(2025, 5, 1), outcome=Triage.Outcome.SIGNPOSTED)
    triage_only(person(), referred=date(2025, 5, 1))  # accepted, not yet in an episode

    assert new_presentations(year) == {"total": 1, "structured": 0, "non_structured": 1}


def test_in_treatment_counts_people_with_a_journey_open_at_any_time_in_the_period(person, year):
    # referred + 10 days = the episode's start
    journey(person(), referred=date(2023, 12, 22), discharged=date(2025, 3, 31))  # ended before
    journey(person(), referred=date(2023, 12, 22), discharged=date(2025, 4, 1))  # last day in
    journey(person(), referred=date(2026, 3, 21))  # starts 31 March 2026: in
    journey(person(), referred=date(2026, 3, 22))  # starts 1 April 2026: after
    journey(person(), referred=date(2023, 1, 1))  # open throughout
    twice = person()
    journey(twice, referred=date(2025, 4, 1), discharged=date(2025, 6, 1))
    journey(twice, referred=date(2025, 9, 1))  # the same person once

    assert in_treatment(year) == 4


def test_successful_completions_are_a_number_and_a_share_of_those_in_treatment(person, year):
    journey(person(), referred=date(2025, 1, 1), discharged=date(2025, 7, 1))  # completed
    journey(
        person(),
        referred=date(2025, 1, 1),
        discharged=date(2025, 7, 1),
        reason=DischargeReason.DROPPED_OUT,
    )
    journey(person(), referred=date(2024, 1, 1), discharged=date(2025, 3, 1))  # before
    journey(person(), referred=date(2025, 1, 1))  # still in treatment
    journey(person(), referred=date(2025, 1, 1))

    # 1 completion of the 4 people in treatment in the period (the March one ended before).
    assert successful_completions(year) == {"count": 1, "share_of_in_treatment": 0.25}


def test_the_people_in_treatment_are_counted_once_for_a_period(person, year):
    """The dashboard's figures for a period read the people in treatment once: a KPI, and
    the completions' denominator, the same number."""
    journey(person(), referred=date(2025, 1, 1), discharged=date(2025, 7, 1))
    journey(person(), referred=date(2025, 1, 1))
    assert in_treatment(year) == 2
    with CaptureQueriesContext(connection) as queries:
        assert successful_completions(year) == {"count": 1, "share_of_in_treatment": 0.5}
    assert len(queries) == 1  # the completions; the people in treatment already counted
    fresh = Scope(provider=year.provider, start=START, end=END)
    with CaptureQueriesContext(connection) as queries:
        assert successful_completions(fresh)["share_of_in_treatment"] == 0.5
    assert len(queries) == 2


def test_an_opiate_client_discharged_still_on_a_prescription_is_not_a_successful_completion(
    person, year, make_user
):
    prescriber = make_user("prescriber")
    still_prescribed = journey(person(), referred=date(2025, 5, 1), discharged=date(2025, 9, 1))
    # 28 days from 5 August: the last day is 1 September, the discharge day.
    prescription(still_prescribed, prescriber, start=date(2025, 8, 5), days=28)
    ran_its_course = journey(person(), referred=date(2025, 5, 1), discharged=date(2025, 9, 1))
    # 28 days from 1 August: the last day is 28 August, before the discharge.
    prescription(ran_its_course, prescriber, start=date(2025, 8, 1), days=28)

    assert successful_completions(year)["count"] == 1


def test_a_prescription_started_after_the_discharge_does_not_undo_the_completion(
    person, year, make_user
):
    prescriber = make_user("prescriber")
    back_later = person()
    journey(back_later, referred=date(2025, 5, 1), discharged=date(2025, 9, 1))  # completed
    # Back on a new journey: referred 1 January 2026, a script from 20 January, months
    # after the discharge; nothing was supplying on 1 September 2025.
    again = journey(back_later, referred=date(2026, 1, 1))
    prescription(again, prescriber, start=date(2026, 1, 20), days=28)
    starts_the_day_after = person()
    episode = journey(starts_the_day_after, referred=date(2025, 5, 1), discharged=date(2025, 9, 1))
    prescription(episode, prescriber, start=date(2025, 9, 2), days=28)  # from the next day
    starts_on_the_day = person()
    episode = journey(starts_on_the_day, referred=date(2025, 5, 1), discharged=date(2025, 9, 1))
    prescription(episode, prescriber, start=date(2025, 9, 1), days=28)  # supplying that day

    # Two completions (the third client was still supplied on the discharge day).
    assert successful_completions(year)["count"] == 2


def test_successful_completions_count_people_not_episodes(person, year):
    twice = person()  # completes twice in the year: one person
    journey(twice, referred=date(2025, 1, 1), discharged=date(2025, 5, 1))
    journey(twice, referred=date(2025, 6, 1), discharged=date(2025, 10, 1))
    journey(person(), referred=date(2025, 1, 1), discharged=date(2025, 7, 1))  # completed
    journey(person(), referred=date(2025, 1, 1))  # in treatment
    journey(person(), referred=date(2025, 1, 1))

    # 2 people completed, of the 4 people in treatment in the period.
    assert successful_completions(year) == {"count": 2, "share_of_in_treatment": 0.5}


def test_re_presentation_after_5_months_counts_after_7_does_not(person, year):
    alcohol = (Substance.ALCOHOL,)
    back_in_5 = person()
    journey(back_in_5, referred=date(2025, 9, 1), discharged=date(2026, 2, 15), substances=alcohol)
    # Triaged 10 July 2026: within 6 months of the discharge, after the period: it counts.
    triage_only(back_in_5, referred=date(2026, 7, 7))
    back_in_7 = person()
    journey(back_in_7, referred=date(2025, 1, 1), discharged=date(2025, 6, 1), substances=alcohol)
    triage_only(back_in_7, referred=date(2026, 1, 2))  # triaged 5 January 2026: 7 months on
    not_back = person()
    journey(not_back, referred=date(2025, 1, 1), discharged=date(2025, 6, 1), substances=alcohol)

    figures = representations_6m(year)

    assert figures["alcohol_only"] == {"completions": 3, "represented": 1, "rate": 0.3333}
    assert figures["opiate"] == {"completions": 0, "represented": 0, "rate": None}


def test_re_presentations_are_split_by_the_four_substance_groups(person, year):
    for substances in (
        (Substance.HEROIN, Substance.ALCOHOL),  # any opiate: opiate
        (Substance.COCAINE,),
        (Substance.COCAINE, Substance.ALCOHOL),
        (Substance.ALCOHOL,),
    ):
        client = person()
        journey(
            client, referred=date(2025, 1, 1), discharged=date(2025, 6, 1), substances=substances
        )
        triage_only(client, referred=date(2025, 8, 1))  # triaged 4 August: 2 months on

    figures = representations_6m(year)

    one_of_one = {"completions": 1, "represented": 1, "rate": 1.0}
    assert figures == {
        "opiate": one_of_one,
        "non_opiate_only": one_of_one,
        "non_opiate_and_alcohol": one_of_one,
        "alcohol_only": one_of_one,
    }


def test_days_to_first_prescription_of_prescriptions_starting_in_the_period(
    person, year, make_user
):
    prescriber = make_user("prescriber")
    quick = journey(person(), referred=date(2025, 5, 1), started_after=1)
    prescription(quick, prescriber, start=date(2025, 5, 3))  # 2 days
    prescription(quick, prescriber, start=date(2025, 6, 1))  # not the first
    slow = journey(person(), referred=date(2025, 7, 1), started_after=1)
    prescription(slow, prescriber, start=date(2025, 7, 9))  # 8 days
    middle = journey(person(), referred=date(2025, 8, 1), started_after=1)
    prescription(middle, prescriber, start=date(2025, 8, 4))  # 3 days
    before = journey(person(), referred=date(2025, 3, 1), started_after=1)
    prescription(before, prescriber, start=date(2025, 3, 20))  # first before the period
    prescription(before, prescriber, start=date(2025, 4, 20))

    # 2, 8 and 3 days: mean 13 / 3 = 4.3, median 3.
    assert days_to_first_prescription(year) == {"n": 3, "mean": 4.3, "median": 3.0}


def test_an_episode_whose_first_two_prescriptions_start_the_same_day_counts_once(
    person, year, make_user
):
    prescriber = make_user("prescriber")
    rewritten = journey(person(), referred=date(2025, 5, 1), started_after=1)
    # Stopped before its first day (the dose changed before it began) and written again
    # for the same day: 4 days, once.
    stopped = prescription(rewritten, prescriber, start=date(2025, 5, 5))
    stopped.status, stopped.ended_on = Prescription.Status.ENDED, date(2025, 5, 4)
    stopped.save()
    prescription(rewritten, prescriber, start=date(2025, 5, 5))
    other = journey(person(), referred=date(2025, 6, 1), started_after=1)
    prescription(other, prescriber, start=date(2025, 6, 3))  # 2 days

    assert days_to_first_prescription(year) == {"n": 2, "mean": 3.0, "median": 3.0}


def test_no_first_prescription_has_no_mean_rather_than_zero(year):
    assert days_to_first_prescription(year) == {"n": 0, "mean": None, "median": None}


def test_a_substance_group_filter_counts_only_that_groups_journeys(person, provider):
    journey(person(), referred=date(2025, 5, 1), substances=(Substance.ALCOHOL,))
    journey(person(), referred=date(2025, 5, 1), substances=(Substance.HEROIN,))
    journey(person(), referred=date(2025, 5, 1), substances=(Substance.HEROIN,))
    opiate = Scope(provider=provider, start=START, end=END, substance_group=SubstanceGroup.OPIATE)

    assert in_treatment(opiate) == 2
    assert new_presentations(opiate)["total"] == 2


def test_site_and_team_filters_count_the_clients_of_that_team(provider, team, northside):
    from beacon.core.tests.factories import SiteFactory

    north = northside["north"]
    north.site = SiteFactory(provider=provider, name="North hub")
    north.save()
    journey(ClientFactory(provider=provider, team=team), referred=date(2025, 5, 1))
    journey(ClientFactory(provider=provider, team=north), referred=date(2025, 5, 1))
    journey(ClientFactory(provider=provider, team=north), referred=date(2025, 6, 1))

    assert in_treatment(Scope(provider=provider, start=START, end=END)) == 3
    assert in_treatment(Scope(provider=provider, start=START, end=END, team=north)) == 2
    assert in_treatment(Scope(provider=provider, start=START, end=END, team=team)) == 1
    assert in_treatment(Scope(provider=provider, start=START, end=END, site=north.site)) == 2


def test_another_providers_journeys_are_not_counted(person, year, other_provider):
    journey(person(), referred=date(2025, 5, 1))
    journey(ClientFactory(provider=other_provider), referred=date(2025, 5, 1))

    assert in_treatment(year) == 1
    assert new_presentations(year)["total"] == 1
