"""The database itself refuses to change register entries (and, on PostgreSQL, to delete them).

Misuse of Drugs Regulations 2001, reg 20: no cancellation, obliteration or alteration of
an entry. The approach of core/migrations/0002_audit_entries_append_only.py: deletes are
not blocked on SQLite because the test runner empties tables with DELETE; PostgreSQL
empties them with TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION delivery_registerentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The controlled-drug register is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER delivery_registerentry_no_update BEFORE UPDATE OR DELETE
    ON delivery_registerentry
    FOR EACH ROW EXECUTE FUNCTION delivery_registerentry_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS delivery_registerentry_no_update ON delivery_registerentry;
DROP FUNCTION IF EXISTS delivery_registerentry_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER delivery_registerentry_no_update BEFORE UPDATE ON delivery_registerentry
BEGIN
    SELECT RAISE(ABORT, 'The controlled-drug register is append-only');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS delivery_registerentry_no_update;"


def forward(apps, schema_editor):
    sql = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    sql = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
