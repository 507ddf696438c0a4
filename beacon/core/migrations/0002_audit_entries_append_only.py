"""The database itself refuses to change audit entries (and, on PostgreSQL, to delete them).

Deletes are not blocked on SQLite because the test runner empties tables with DELETE
between browser tests; PostgreSQL empties them with TRUNCATE, which row triggers
do not see.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_auditentry_no_update;"


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
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
