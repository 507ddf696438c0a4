"""The NSP figures, each one function, against hand-worked examples (issue #13).

October 2026 at the hub, worked by hand:
  1 Oct  JS 14/02/1985 M   10 orange needles, 10 1 ml syringes, 1 bin out, 0 back
  8 Oct  JS 14/02/1985 M   10 orange needles, 1 bin out, 1 back
 15 Oct  AB 01/01/1990 F   5 foil, 2 bins out, 1 back
 20 Oct  client Jo Smith (JS 14/02/1985 M, derived)   20 filters, 0 out, 1 back
  1 Nov  JS ...            100 needles, 5 bins out          (outside the period)
 another provider's visit on 10 Oct                         (not theirs)
  -> 4 transactions; 2 people (the client is the same JS); items out 21 + 11 + 7 + 20 = 59;
     return rate 3 back / 4 out = 0.75.
October 2025: JS, 10 orange needles, 2 bins out, 1 back -> 1, 1, 12, 0.5.
"""

import datetime
from decimal import Decimal

import pytest

from beacon.core.tests.factories import UserFactory
from beacon.harmreduction import selectors
from beacon.harmreduction.tests.factories import nsp_visit, site_of

pytestmark = pytest.mark.django_db

D = datetime.date
OCTOBER = {"first": D(2026, 10, 1), "last": D(2026, 10, 31)}
AB = ("AB", D(1990, 1, 1), "F")


@pytest.fixture
def october(users, provider, other_provider, client_record, site):
    keyworker = users["keyworker"]
    nsp_visit(
        keyworker,
        site,
        date=D(2026, 10, 1),
        items={"needle_orange_25g_16mm": 10, "syringe_1ml": 10},
        bins_out=1,
    )
    nsp_visit(keyworker, site, date=D(2026, 10, 8), bins_out=1, bins_returned=1)
    nsp_visit(
        users["volunteer"],
        site,
        date=D(2026, 10, 15),
        items={"foil": 5},
        bins_out=2,
        bins_returned=1,
        attributor=AB,
    )
    nsp_visit(
        keyworker,
        site,
        date=D(2026, 10, 20),
        client=client_record,
        items={"filter": 20},
        bins_returned=1,
    )
    nsp_visit(
        keyworker, site, date=D(2026, 11, 1), items={"needle_orange_25g_16mm": 100}, bins_out=5
    )
    elsewhere = UserFactory(role="keyworker", provider=other_provider, username="kw-ors")
    nsp_visit(elsewhere, site_of(other_provider), date=D(2026, 10, 10), bins_out=3)
    nsp_visit(keyworker, site, date=D(2025, 10, 10), bins_out=2, bins_returned=1)
    return selectors.transactions_in_period(provider=provider, **OCTOBER)


def test_transactions_are_counted_in_the_period_and_the_provider_only(october):
    assert selectors.nsp_transaction_count(october) == 4


def test_people_are_distinct_attributors_and_a_client_is_the_same_person(october):
    assert selectors.nsp_people_count(october) == 2


def test_people_differing_only_in_sex_are_two(provider, users, site):
    nsp_visit(users["nurse"], site, attributor=("JS", D(1985, 2, 14), "M"))
    nsp_visit(users["nurse"], site, attributor=("JS", D(1985, 2, 14), "F"))
    today = selectors.transactions_in_period(
        provider=provider, first=D(2000, 1, 1), last=D(2100, 1, 1)
    )
    assert selectors.nsp_people_count(today) == 2


def test_items_out_add_every_item_and_the_sharps_bins(october):
    assert selectors.nsp_items_out(october) == 59
    assert selectors.nsp_items_out_by_item(october) == {
        "needle_orange_25g_16mm": 20,
        "syringe_1ml": 10,
        "filter": 20,
        "foil": 5,
        "sharps_bin": 4,
    }


def test_return_rate_is_bins_returned_over_bins_out(october):
    assert selectors.nsp_return_rate(october) == Decimal("0.75")


def test_return_rate_is_none_when_no_bin_went_out(provider, users, site):
    nsp_visit(users["nurse"], site, bins_returned=2)
    transactions = selectors.transactions_in_period(
        provider=provider, first=D(2000, 1, 1), last=D(2100, 1, 1)
    )
    assert selectors.nsp_return_rate(transactions) is None


def test_year_on_year_sets_the_period_beside_the_same_dates_a_year_earlier(october, provider):
    figures = selectors.nsp_year_on_year(provider=provider, **OCTOBER)
    now, before = figures.this_year, figures.year_before
    assert (now.transactions, now.people, now.items_out, now.return_rate) == (
        4,
        2,
        59,
        Decimal("0.75"),
    )
    assert now.linked_to_clients == 1
    assert (before.first, before.last) == (D(2025, 10, 1), D(2025, 10, 31))
    assert (before.transactions, before.people, before.items_out, before.return_rate) == (
        1,
        1,
        12,
        Decimal("0.5"),
    )
    assert selectors.change_percent(now.transactions, before.transactions) == Decimal("300.0")


def test_a_year_earlier_than_29_february_is_28_february():
    assert selectors.a_year_earlier(D(2028, 2, 29)) == D(2027, 2, 28)
    assert selectors.a_year_earlier(D(2026, 3, 1)) == D(2025, 3, 1)


def test_no_change_is_shown_against_nothing():
    assert selectors.change_percent(5, 0) is None
    assert selectors.change_percent(3, 4) == Decimal("-25.0")
