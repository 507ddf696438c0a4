"""The production database role may add to the ledgers but never change, delete or empty
them (PostgreSQL only: SQLite has no roles)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from beacon.core.management.commands.db_app_role import ledger_tables

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles need PostgreSQL"),
]

ROLE = "beacon_app_under_test"


def as_app_role(statement: str) -> None:
    """Run `statement` as the application's role, in a savepoint undone afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        cursor.execute(statement)
        transaction.set_rollback(True)


@pytest.fixture
def app_role(users):
    # CREATE ROLE and GRANT are transactional: the test's transaction undoes them.
    call_command("db_app_role", "--role", ROLE, stdout=open("/dev/null", "w"))  # noqa: SIM115
    from beacon.core.audit import audit_record

    audit_record(actor=users["manager"], action="view", detail="an entry to protect")


def test_the_ledgers_are_the_audit_log_and_the_register():
    assert {"core_auditentry", "delivery_registerentry", "delivery_patientreturn"} <= set(
        ledger_tables()
    )


@pytest.mark.parametrize(
    "table", ["core_auditentry", "delivery_registerentry", "delivery_patientreturn"]
)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET id = id", "DELETE FROM {table}", "TRUNCATE {table}"],
)
def test_the_app_role_cannot_change_delete_or_empty_a_ledger(app_role, table, statement):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_app_role(statement.format(table=table))


def test_the_app_role_reads_adds_and_changes_other_rows(app_role, users):
    as_app_role("SELECT count(*) FROM core_auditentry")
    as_app_role(f"UPDATE core_user SET first_name = first_name WHERE id = {users['nurse'].pk}")


def test_even_granted_truncate_the_trigger_refuses_a_non_owner(app_role):
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of the rows made above would stop TRUNCATE first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"GRANT TRUNCATE ON core_auditentry TO {ROLE}")
    with pytest.raises(DatabaseError, match="The audit log cannot be emptied"):
        as_app_role("TRUNCATE core_auditentry")


def test_the_command_refuses_an_empty_password_variable(monkeypatch):
    monkeypatch.delenv("BEACON_APP_DB_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="empty or unset"):
        call_command("db_app_role", "--role", ROLE, "--password-env", "BEACON_APP_DB_PASSWORD")
