"""Each PostgreSQL connection Beacon opens runs its queries without JIT compilation."""

import pytest
from django.db import connection


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="JIT is PostgreSQL's; this test runs in the PostgreSQL pass of .ci/run",
)
@pytest.mark.django_db
def test_a_new_connection_has_jit_off():
    fresh = connection.copy()  # a connection of its own, opened by the query below
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
    finally:
        fresh.close()
