"""Append-only ledgers (the audit log, the controlled-drug register, stock to come): one
base for the model, its queryset and admin, and the migrations that make the database
refuse to change a row or empty the table."""

from django.contrib import admin
from django.db import migrations, models


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses every bulk change: a ledger's rows are written once and never changed."""

    def _refuse(self, *args, **kwargs):
        raise PermissionError(self.model.APPEND_ONLY_MESSAGE)

    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    _update = _refuse


class AppendOnlyModel(models.Model):
    """A row of a ledger: saved once, never changed or deleted (a mistake is corrected by
    a new row). Subclasses set APPEND_ONLY_MESSAGE, the sentence a refusal raises."""

    APPEND_ONLY_MESSAGE = "This record is append-only: entries cannot be changed or deleted."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError(self.APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.APPEND_ONLY_MESSAGE)


class AppendOnlyAdmin(admin.ModelAdmin):
    """A ledger in the set-up admin: readable, never added to, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _trigger_sql(table: str, message: str) -> dict[str, tuple[str, str]]:
    # Deletes are not blocked on SQLite because the test runner empties tables with DELETE
    # between browser tests; PostgreSQL empties them with TRUNCATE, which row triggers
    # do not see.
    quoted = message.replace("'", "''")
    return {
        "postgresql": (
            f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{quoted}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
""",
            f"""
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
""",
        ),
        "sqlite": (
            f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{quoted}');
END;
""",
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
        ),
    }


def _truncate_guard_sql(table: str, message: str) -> tuple[str, str]:
    # Only the role that owns the table (the one migrations run as) may empty it; the
    # application's own role (`manage.py db_app_role`) owns nothing, so it never can,
    # even if someone grants it TRUNCATE.
    quoted = message.replace("'", "''")
    return (
        # The table name comes from a migration, never from input.
        f"""
CREATE OR REPLACE FUNCTION {table}_no_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT pg_has_role(current_user,
            (SELECT tableowner FROM pg_tables WHERE tablename = TG_TABLE_NAME), 'MEMBER') THEN
        RAISE EXCEPTION '{quoted}';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_truncate();
""",  # noqa: S608
        f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP FUNCTION IF EXISTS {table}_no_truncate();
""",
    )


def append_only_truncate_guard(table: str, message: str) -> migrations.RunPython:
    """The migration operation that, on PostgreSQL, refuses TRUNCATE of `table` to every
    role but its owner (SQLite has no TRUNCATE)."""
    forward_sql, backward_sql = _truncate_guard_sql(table, message)

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql)

    return migrations.RunPython(forward, backward)


def append_only_trigger(table: str, message: str) -> migrations.RunPython:
    """The migration operation that makes the database itself refuse to change a row of
    `table` (and, on PostgreSQL, to delete one)."""
    sql = _trigger_sql(table, message)

    def forward(apps, schema_editor):
        statements = sql.get(schema_editor.connection.vendor)
        if statements:
            schema_editor.execute(statements[0])

    def backward(apps, schema_editor):
        statements = sql.get(schema_editor.connection.vendor)
        if statements:
            schema_editor.execute(statements[1])

    return migrations.RunPython(forward, backward)
