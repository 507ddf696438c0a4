"""The KPIs read from naloxone, NSP, voice, contacts, prescribing and volunteers, on
hand-built cases made through those apps' services (the period is the last 30 days)."""

import datetime

import pytest
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.models import AppointmentOutcome
from beacon.contacts.tests.factories import booked_in_the_past
from beacon.core.tests.factories import TeamFactory
from beacon.harmreduction.tests.factories import nsp_visit, site_of
from beacon.naloxone import services as naloxone_services
from beacon.naloxone.models import Recipient, ReportKind, UsedOn, UseOutcome
from beacon.naloxone.tests.factories import opiate_client, receive, supply_to
from beacon.prescribing.models import Instalment, Prescription
from beacon.reporting.kpis import (
    HOME_DELIVERY,
    KPIS,
    OST_COUNTED,
    Scope,
    attendance,
    kpis_for_period,
    naloxone,
    nsp,
    ost,
    outreach,
    satisfaction,
)
from beacon.reporting.tests.kpis.builders import journey, prescription
from beacon.voice import services as voice_services
from beacon.voice.models import STANDARD_SATISFACTION, QuestionKind, Survey
from beacon.voice.shipped import ship_all
from beacon.voice.tests.factories import interview

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def month(provider):
    return Scope(provider=provider, start=day(-30), end=day(0))


@pytest.fixture
def site(provider, team):
    site = site_of(provider)
    team.site = site
    team.save()
    return site


def test_naloxone_kits_supplied_used_and_coverage_at_the_periods_end(users, team, site, month):
    keyworker = users["keyworker"]
    batch = receive(users["manager"], site, quantity=10).batch
    holding = opiate_client(team, keyworker)
    opiate_client(team, keyworker)  # no kit: coverage 1 of 2
    supply_to(keyworker, holding, batch, site, on=-5)
    used = supply_to(keyworker, holding, batch, site, on=-4, recipient=Recipient.FAMILY)
    supply_to(keyworker, holding, batch, site, on=-40)  # before the period
    naloxone_services.report_record(
        actor=keyworker,
        supply=used,
        kind=ReportKind.USED,
        on=day(-1),
        used_on=UsedOn.SOMEONE_ELSE,
        outcome=UseOutcome.SURVIVED,
        ambulance_called=True,
    )

    assert naloxone(month) == {
        "kits_supplied": 2,
        "to_clients": 1,
        "to_others": 1,
        "kits_reported_used": 1,
        "coverage": 0.5,
    }


def test_nsp_transactions_people_items_and_sharps_return_rate(users, site, month):
    keyworker = users["keyworker"]
    nsp_visit(keyworker, site, date=day(-3), bins_out=2, bins_returned=1)
    nsp_visit(keyworker, site, date=day(-2), bins_out=2, bins_returned=2)  # the same person
    nsp_visit(
        keyworker,
        site,
        date=day(-1),
        items={"needle_orange_25g_16mm": 5},
        attributor=("AB", datetime.date(1990, 1, 1), "F"),
    )
    nsp_visit(keyworker, site, date=day(-45), bins_out=5)  # before the period

    # 10 + 10 + 5 needles and 4 bins out; 3 of the 4 bins came back.
    assert nsp(month) == {
        "transactions": 3,
        "people": 2,
        "items_out": 29,
        "sharps_return_rate": 0.75,
    }


def test_nsp_and_satisfaction_are_unavailable_under_a_team_filter_never_zero(provider, team):
    by_team = Scope(provider=provider, start=day(-30), end=day(0), team=team)

    assert nsp(by_team) is None
    assert satisfaction(by_team) is None


def test_satisfaction_from_the_standard_surveys_overall_question(users, month):
    ship_all()
    survey = Survey.objects.get(provider__isnull=True, key=STANDARD_SATISFACTION)
    for score in (10, 10, 9, 8, 3):
        interview(users["keyworker"], survey, score)

    # 2 of 5 scored 10; 4 of 5 scored 8 or more.
    assert satisfaction(month) == {"responses": 5, "share_10": 0.4, "share_8_plus": 0.8}


def test_satisfaction_counts_only_the_overall_question_of_a_services_own_version(users, month):
    ship_all()
    manager, keyworker = users["manager"], users["keyworker"]
    shipped = Survey.objects.get(provider__isnull=True, key=STANDARD_SATISFACTION)
    for score in (10, 8):
        interview(keyworker, shipped, score)
    # The service's own version 2 adds a second 0-10 question after the shipped three.
    own = voice_services.survey_new_version(actor=manager, survey=shipped)
    voice_services.question_add(
        actor=manager, survey=own, text="How clean was the waiting area?", kind=QuestionKind.SCALE
    )
    own = voice_services.survey_publish(actor=manager, survey=own)
    overall, recommend, _change, waiting_area = own.questions.order_by("order")
    for score in (10, 3):
        voice_services.response_interview(
            actor=keyworker,
            survey=own,
            date=day(0),
            answers={str(overall.pk): score, str(recommend.pk): "Yes", str(waiting_area.pk): 10},
        )

    # 4 responses (not 6 answers): 2 of 4 scored 10 overall, 3 of 4 scored 8 or more.
    assert satisfaction(month) == {"responses": 4, "share_10": 0.5, "share_8_plus": 0.75}


def test_attendance_is_attended_over_booked_with_the_dnas(users, provider, team, month):
    client = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    for days_ago, outcome in (
        (3, AppointmentOutcome.ATTENDED),
        (4, AppointmentOutcome.ATTENDED),
        (5, AppointmentOutcome.DNA),
        (6, AppointmentOutcome.CANCELLED_BY_SERVICE),  # never offered: not booked
        (40, AppointmentOutcome.DNA),  # before the period
    ):
        appointment = booked_in_the_past(client, users["keyworker"], days=days_ago)
        appointment.outcome = outcome
        appointment.outcome_recorded_at = timezone.now()
        appointment.save()

    assert attendance(month) == {"booked": 3, "attended": 2, "rate": 0.6667, "dna": 1}


def test_the_instalments_ost_counts_are_those_the_index_holds():
    """The database uses the partial index only for a query of its very condition: a change
    to either side without the other would leave the OST figures scanning every instalment."""
    (index,) = [i for i in Instalment._meta.indexes if i.name == "instalment_counted_by_kpis"]
    assert index.condition == OST_COUNTED


def test_the_home_delivery_prescriptions_ost_reads_are_those_the_index_holds():
    """As above, for the prescriptions the OST figures tell missed home deliveries by."""
    (index,) = [i for i in Prescription._meta.indexes if i.name == "prescription_home_delivery"]
    assert index.condition == HOME_DELIVERY


def test_ost_on_prescription_at_the_end_supervised_missed_doses_and_deliveries(
    users, provider, team, month
):
    prescriber = users["prescriber"]

    def on_ost(**fields):
        client = ClientFactory(provider=provider, team=team)
        episode = journey(client, referred=day(-80))
        return prescription(episode, prescriber, start=day(-20), days=40, **fields)

    supervised = on_ost()
    delivered = on_ost(supervised_days="", home_delivery=True)
    for prescribed, offset, outcome, missed in (
        (supervised, -3, Instalment.Outcome.COLLECTED, 0),
        (supervised, -2, Instalment.Outcome.MISSED, 1),
        (delivered, -7, Instalment.Outcome.DELIVERED, 0),
        (delivered, -6, Instalment.Outcome.DELIVERED, 0),
        (delivered, -5, Instalment.Outcome.MISSED, 1),
    ):
        Instalment.objects.create(
            provider=provider,
            prescription=prescribed,
            date=day(offset),
            quantity=prescribed.dose,
            supervised=bool(prescribed.supervised_days),
            outcome=outcome,
            days_missed=missed,
        )

    assert ost(month) == {
        "clients_on_ost": 2,
        "supervised_share": 0.5,
        "missed_doses_pharmacy": 1,
        "missed_doses_home_delivery": 1,
        "home_deliveries_made": 2,
        "home_deliveries_missed": 1,
    }


def test_ost_tells_missed_collections_from_missed_deliveries_by_each_ones_prescription(
    users, provider, team, other_provider, month
):
    """Each figure its own number: a collection covering three days with two missed, a
    delivery missed in the team, four days of another team's deliveries missed, and another
    provider's deliveries missed (never counted here). The team's figures are its clients'
    alone."""
    prescriber = users["prescriber"]

    def missed(client, *, home_delivery: bool, days: int, covers: int = 1) -> None:
        prescribed = prescription(
            journey(client, referred=day(-80)),
            prescriber,
            start=day(-20),
            days=40,
            supervised_days="",
            home_delivery=home_delivery,
        )
        Instalment.objects.create(
            provider=prescribed.provider,
            prescription=prescribed,
            date=day(-4),
            covers_days=covers,
            quantity=prescribed.dose * covers,
            outcome=Instalment.Outcome.MISSED,
            days_missed=days,
        )

    missed(ClientFactory(provider=provider, team=team), home_delivery=False, days=2, covers=3)
    missed(ClientFactory(provider=provider, team=team), home_delivery=True, days=1)
    elsewhere = TeamFactory(provider=provider, name="Northern team")
    for _ in range(4):
        missed(ClientFactory(provider=provider, team=elsewhere), home_delivery=True, days=1)
    missed(ClientFactory(provider=other_provider), home_delivery=True, days=1)

    service = ost(month)
    in_team = ost(Scope(provider=provider, start=month.start, end=month.end, team=team))

    assert (service["missed_doses_pharmacy"], service["missed_doses_home_delivery"]) == (2, 5)
    assert service["home_deliveries_missed"] == 5
    assert (in_team["missed_doses_pharmacy"], in_team["missed_doses_home_delivery"]) == (2, 1)
    assert in_team["home_deliveries_missed"] == 1


def test_outreach_is_unavailable_when_the_volunteers_app_gives_no_figures(month, monkeypatch):
    """A source module that has not landed (here: a volunteers app without its selector)
    gives None, shown as "Not available", never 0."""
    import sys
    import types

    monkeypatch.setitem(
        sys.modules, "beacon.volunteers.selectors", types.ModuleType("beacon.volunteers.selectors")
    )
    assert outreach(month) is None


def test_outreach_counts_the_volunteers_records_zero_when_there_are_none(month):
    assert outreach(month) == {
        "volunteer_contacts": 0,
        "naloxone_by_volunteers": 0,
        "referrals_made": 0,
        "referrals_with_outcome": 0,
    }


def test_outreach_reads_the_volunteers_figures_when_they_exist(month, monkeypatch):
    import sys
    import types

    figures = {
        "volunteer_contacts": 12,
        "naloxone_by_volunteers": 3,
        "referrals_made": 4,
        "referrals_with_outcome": 2,
    }
    selectors = types.ModuleType("beacon.volunteers.selectors")
    selectors.outreach_figures = lambda **scope: figures  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "beacon.volunteers.selectors", selectors)

    assert outreach(month) == figures


def test_kpis_for_period_answers_one_key_per_kpi(provider):
    kpis = kpis_for_period(provider=provider, start=day(-30), end=day(0))

    assert list(kpis) == list(KPIS)
    assert kpis["in_treatment"] == 0
    assert kpis["days_to_first_prescription"] == {"n": 0, "mean": None, "median": None}


def test_the_kpis_take_as_many_queries_for_many_clients_as_for_one(
    provider, team, django_assert_num_queries
):
    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            kpis_for_period(provider=provider, start=day(-400), end=day(0))
        return len(captured)

    journey(ClientFactory(provider=provider, team=team), referred=day(-100))
    with_one = queries()
    for _ in range(5):
        journey(ClientFactory(provider=provider, team=team), referred=day(-100))

    assert queries() == with_one
