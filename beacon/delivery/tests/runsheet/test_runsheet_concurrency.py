"""Hand-over beside a second hand-over or a re-plan of the same day (PostgreSQL only:
SQLite serialises whole-database writes, so there is nothing to race)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from beacon.delivery.models import DeliveryStop, RegisterEntry
from beacon.delivery.services import planning, runsheet
from beacon.delivery.tests.factories import record, round_today

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks need PostgreSQL; this runs in the PostgreSQL pass of .ci/run",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("mid_morning"),
]


def at_once(*actions) -> list[str]:
    """Run the actions in threads released together; each outcome is 'done' or the
    message of the ValidationError it raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("done")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except Exception as exc:  # any other failure is shown by the assertion
            outcomes.append(f"error: {exc!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


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
