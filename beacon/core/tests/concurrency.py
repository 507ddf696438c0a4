"""Running actions at the same moment, for the PostgreSQL tests of what two people (or a
double submit) may do at once: `at_once(action, action, …)` and `POSTGRESQL_ONLY`."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks need PostgreSQL; this runs in the PostgreSQL pass of .ci/run",
)


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
