"""Hand-over beside a second hand-over or a re-plan of the same day (PostgreSQL only:
SQLite serialises whole-database writes, so there is nothing to race)."""

import pytest

from beacon.core.tests.concurrency import POSTGRESQL_ONLY, at_once
from beacon.delivery.models import DeliveryStop, RegisterEntry
from beacon.delivery.services import planning, runsheet
from beacon.delivery.tests.factories import record, round_today

pytestmark = [
    POSTGRESQL_ONLY,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("mid_morning"),
]


def test_two_hand_overs_at_once_hand_each_parcel_over_once(users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=2)
    record(users["manager"], "received", 500)

    def hand_over():
        runsheet.round_hand_over(actor=users["manager"], delivery_round=stops[0].round)

    outcomes = at_once(hand_over, hand_over)
    assert sorted(outcomes) == ["Every parcel of this round is already handed over", "done"]
    assert RegisterEntry.objects.filter(kind="handed_to_driver").count() == 2


def test_hand_over_and_re_plan_at_once_never_lose_a_parcel(users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=1)
    record(users["manager"], "received", 500)

    def hand_over():
        runsheet.round_hand_over(actor=users["manager"], delivery_round=stops[0].round)

    def re_plan():
        planning.delivery_day_plan(
            actor=users["manager"], date=stops[0].date, seconds=0.2, iterations=50
        )

    outcomes = at_once(hand_over, re_plan)
    assert "done" in outcomes and len(outcomes) == 2
    handed = RegisterEntry.objects.filter(kind="handed_to_driver").count()
    # Every parcel that left the cabinet still has its stop, pointing at its entry.
    assert DeliveryStop.objects.filter(handed_over_entry__isnull=False).count() == handed
    assert handed in (0, 1)
