"""Coverage, offer outcomes, kits supplied and used, and the gaps list, each checked against
a hand-worked example; and the opiate-client rule as a predicate and a query that agree."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import SiteFactory, TeamFactory
from beacon.naloxone import selectors, services
from beacon.naloxone.selectors import GapReason
from beacon.naloxone.tests.factories import day, opiate_client, receive, supply_to
from beacon.treatment.codes import Substance
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db
ON = 10  # the figures are read ten days from today: the "soon" batch has expired by then


@pytest.fixture
def service(provider, make_user, users):
    """Hand-worked: North (site A, keyworker K1) and South (site B, keyworker K2).

    A1 kit in date: holds · A2 kit expired: not · A3 showed a kit: holds ·
    B1 kit used, not replaced: not · B2 declined: not · B3 alcohol only: not counted ·
    B4 opiate but discharged: not counted · B5 their sister has a kit for them: holds ·
    B6 only a friend has one: not.
    Coverage 3 of 7 (43%); site A 2 of 3 (67%); site B 1 of 4 (25%).
    """
    site_a = SiteFactory(provider=provider, name="A site")
    site_b = SiteFactory(provider=provider, name="B site")
    north = TeamFactory(provider=provider, name="North", site=site_a)
    south = TeamFactory(provider=provider, name="South", site=site_b)
    k1 = make_user("keyworker", username="k1", team=north, first_name="Kay", last_name="One")
    k2 = make_user("keyworker", username="k2", team=south, first_name="Kay", last_name="Two")
    manager = users["manager"]
    batch = receive(manager, site_a, batch="GOOD", quantity=10).batch
    receive(manager, site_b, batch="GOOD", quantity=10)
    soon = receive(manager, site_a, batch="SOON", expires=5, quantity=2).batch
    c = {}
    c["A1"] = opiate_client(north, k1, last_name="Aone")
    c["A2"] = opiate_client(north, k1, last_name="Atwo")
    c["A3"] = opiate_client(north, k1, last_name="Athree")
    c["B1"] = opiate_client(south, k2, last_name="Bone")
    c["B2"] = opiate_client(south, k2, last_name="Btwo")
    c["B3"] = opiate_client(south, k2, last_name="Bthree", substance=Substance.ALCOHOL)
    c["B4"] = ClientFactory(provider=provider, team=south, keyworker=k2, last_name="Bfour")
    TreatmentEpisodeFactory(client=c["B4"], start_date=day(-200), discharged=True)
    c["B5"] = opiate_client(south, k2, last_name="Bfive")
    supply_to(k1, c["A1"], batch, site_a, on=-3)
    supply_to(k1, c["A2"], soon, site_a, on=-26)
    services.offer_record(
        actor=k1,
        client=c["A3"],
        on=day(-10),
        outcome="holds_kit",
        in_person=True,
        seen_kit_expires_on=day(79),
    )
    used = supply_to(k2, c["B1"], batch, site_b, on=-20)
    services.report_record(
        actor=k2,
        supply=used,
        kind="used",
        on=day(-2),
        used_on="someone_else",
        outcome="survived",
        ambulance_called=True,
    )
    services.offer_record(
        actor=k2, client=c["B2"], on=day(-1), outcome="declined", decline_reason="smokes"
    )
    services.offer_record(
        actor=k2, client=c["B2"], on=day(-60), outcome="declined", decline_reason="other"
    )
    supply_to(k2, c["B5"], batch, site_b, on=-4, recipient="family", recipient_name="Sam")
    c["B6"] = opiate_client(south, k2, last_name="Bsix")
    supply_to(k2, c["B6"], batch, site_b, on=-4, recipient="friend")
    return c


def test_coverage_overall_and_by_site_team_and_keyworker(provider, service):
    coverage = selectors.coverage(provider=provider, on=day(ON))
    assert (coverage.overall.holding, coverage.overall.total, coverage.overall.percent) == (
        3,
        7,
        43,
    )
    assert [(r.label, r.holding, r.total, r.percent) for r in coverage.by_site] == [
        ("A site", 2, 3, 67),
        ("B site", 1, 4, 25),
    ]
    assert [(r.label, r.holding, r.total) for r in coverage.by_team] == [
        ("North", 2, 3),
        ("South", 1, 4),
    ]
    assert [(r.label, r.holding, r.total) for r in coverage.by_keyworker] == [
        ("Kay One", 2, 3),
        ("Kay Two", 1, 4),
    ]


def test_coverage_today_counts_the_kit_not_yet_expired(provider, service):
    # Today the "soon" kit of A2 is still in date: 4 of 7.
    assert selectors.coverage(provider=provider, on=day(0)).overall.holding == 4


def test_a_seen_kit_counts_until_its_expiry_then_the_offer_is_due_again(provider, service):
    assert selectors.client_holds_kit(service["A3"], day(79))
    assert not selectors.client_holds_kit(service["A3"], day(80))
    assert selectors.needs_offer(service["A3"], day(80))


def test_a_seen_kit_without_its_expiry_counts_for_the_day_seen_only(provider, service, settings):
    seen = service["B6"]
    services.offer_record(
        actor=seen.keyworker, client=seen, on=day(-1), outcome="holds_kit", in_person=True
    )
    assert selectors.client_holds_kit(seen, day(-1))
    assert not selectors.client_holds_kit(seen, day(0))
    settings.BEACON_NALOXONE_SEEN_KIT_DAYS = 5
    assert selectors.client_holds_kit(seen, day(3))
    assert not selectors.client_holds_kit(seen, day(4))


def test_month_ends_of_the_trend():
    assert selectors.month_ends(last=datetime.date(2026, 3, 15), months=3) == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 15),
    ]


def test_trend_by_month_reads_each_month_end(provider, service):
    trend = selectors.coverage_trend(provider=provider, last=day(ON), months=2)
    assert trend[-1][1].holding == 3 and trend[-1][1].total == 7
    assert len(trend) == 2


def test_offer_outcomes_for_a_period(provider, service):
    outcomes = selectors.offer_outcomes(provider=provider, first=day(-30), last=day(0))
    assert (outcomes.offered, outcomes.supplied, outcomes.declined, outcomes.holds_kit) == (
        5,
        3,
        1,
        1,
    )
    assert outcomes.declined_by_reason["smokes"] == 1
    assert outcomes.declined_by_reason["other"] == 0  # 60 days ago: outside the period


def test_kits_supplied_used_and_lives_saved_in_a_period(provider, service):
    kits = selectors.kit_figures(provider=provider, first=day(-30), last=day(0))
    assert (kits.supplied, kits.to_clients, kits.to_friends_and_family) == (5, 3, 2)
    assert (kits.used, kits.lives_saved, kits.ambulance_called) == (1, 1, 1)
    assert selectors.kit_figures(provider=provider, first=day(-4), last=day(0)).supplied == 3


def test_gaps_list_each_client_without_a_kit_and_why(provider, service):
    gaps = selectors.gaps(clients=provider.clients.all(), on=day(ON))
    assert {g.client.last_name: g.reason for g in gaps} == {
        "Atwo": GapReason.EXPIRED,
        "Bone": GapReason.NOT_REPLACED,
        "Btwo": GapReason.DECLINED,
        "Bsix": GapReason.NEVER_SUPPLIED,
    }
    declined = selectors.gaps(clients=provider.clients.all(), on=day(ON), reason="declined")
    assert [g.client.last_name for g in declined] == ["Btwo"]


def test_a_re_supply_closes_the_gap_and_is_recorded_as_the_replacement(provider, service, users):
    client = service["B1"]
    site = client.team.site
    batch = selectors.batch_find(provider=provider, kit_type="prenoxad", batch_number="GOOD")
    again = supply_to(client.keyworker, client, batch, site, on=0)
    assert again.replaces == client.naloxone_supplies.get(report__isnull=False).report
    gaps = selectors.gaps(clients=provider.clients.all(), on=day(ON))
    assert "Bone" not in {g.client.last_name for g in gaps}


def test_kits_expiring_in_30_days_by_keyworker(provider, service):
    expiring = selectors.kits_expiring(clients=provider.clients.all(), on=day(0), days=30)
    assert [s.client.last_name for s in expiring] == ["Atwo"]


def test_the_opiate_client_predicate_and_query_agree(provider, service):
    query = set(
        selectors.current_opiate_clients(clients=provider.clients.all(), on=day(0)).values_list(
            "pk", flat=True
        )
    )
    predicate = {
        c.pk for c in provider.clients.all() if selectors.is_current_opiate_client(c, day(0))
    }
    assert query == predicate
    assert {c.last_name for c in provider.clients.filter(pk__in=query)} == {
        "Aone",
        "Atwo",
        "Athree",
        "Bone",
        "Btwo",
        "Bfive",
        "Bsix",
    }


def test_naloxone_issued_at_episode_start_follows_from_the_supplies(service):
    a1 = service["A1"].episodes.get()
    assert not selectors.naloxone_issued_at_episode_start(a1)  # supplied 87 days after start
    b6 = service["B6"].episodes.get()
    assert not selectors.naloxone_issued_at_episode_start(b6)  # only a friend's kit
    fresh = opiate_client(service["A1"].team, service["A1"].keyworker, started=3)
    site = fresh.team.site
    batch = service["A1"].naloxone_supplies.get().batch
    supply_to(fresh.keyworker, fresh, batch, site, on=-1)
    assert selectors.naloxone_issued_at_episode_start(fresh.episodes.get())


def test_a_site_hidden_for_its_few_without_a_kit_is_not_given_back_by_subtraction():
    from beacon.naloxone.presenters import NOT_SHOWN, coverage_shown
    from beacon.naloxone.selectors import CoverageRow

    # Harbour Street: 20 of 22 (2 without a kit); Mill Road 30 of 40; overall 50 of 62. With
    # only Harbour Street's hidden, 50 - 30 would give its 20 back, and so its 2 without.
    rows = [CoverageRow("Harbour Street", 20, 22), CoverageRow("Mill Road", 30, 40)]
    harbour, mill = coverage_shown(rows, suppress=True, adds_up=True)
    assert harbour.holding == mill.holding == NOT_SHOWN
    assert (harbour.total, mill.total) == (22, 40)


def test_hidden_sites_adding_up_to_fewer_than_5_hide_one_more():
    from beacon.naloxone.presenters import NOT_SHOWN, SUPPRESSED, coverage_shown
    from beacon.naloxone.selectors import CoverageRow

    # Two sites of 1 client each: "fewer than 5" twice, but the overall minus the rest says
    # they hold 2 between them, so each holds 1. The next smallest site is hidden too.
    rows = [CoverageRow("A", 1, 1), CoverageRow("B", 1, 1), CoverageRow("C", 8, 10)]
    a, b, c = coverage_shown(rows, suppress=True, adds_up=True)
    assert (a.total, b.total, c.total) == (SUPPRESSED, SUPPRESSED, NOT_SHOWN)
    assert c.holding == NOT_SHOWN
