"""Create (or bring up to date) the PostgreSQL role Beacon runs as in production.

The role owns nothing: migrations run as the owner of the tables, the web server and the
worker as this role. It may read and write rows, but never change or delete a row of an
append-only ledger (the audit log, the controlled-drug register), never TRUNCATE, and
never alter a table, so it cannot switch the ledgers' triggers off. Run it again after
every migration that adds tables.
"""

import os

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from beacon.core.ledger import AppendOnlyModel


def ledger_tables() -> list[str]:
    """The tables of every append-only ledger (models built on core.ledger)."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AppendOnlyModel) and not model._meta.abstract
    )


class Command(BaseCommand):
    help = "Create or update the PostgreSQL role Beacon's web server and worker connect as."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="The role's name, e.g. beacon_app")
        parser.add_argument(
            "--password-env",
            help="Name of an environment variable holding the role's password (LOGIN role); "
            "without it the role cannot log in until a password is set.",
        )

    @transaction.atomic
    def handle(self, *args, role: str, password_env: str | None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_app_role needs PostgreSQL (DATABASE_URL=postgres://…)")
        password = os.environ.get(password_env, "") if password_env else ""
        if password_env and not password:
            raise CommandError(f"The environment variable {password_env} is empty or unset")
        name = sql.Identifier(role)
        ledgers = ledger_tables()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(name))
                self.stdout.write(f"Created role {role}")
            if password:
                cursor.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD %s").format(name), [password])
            cursor.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(connection.settings_dict["NAME"]), name
                )
            )
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name))
            cursor.execute(
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(name)
            )
            cursor.execute(
                sql.SQL(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
                ).format(name)
            )
            for table in ledgers:
                cursor.execute(
                    sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
                        sql.Identifier(table), name
                    )
                )
            cursor.execute(
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Role {role}: reads and writes rows; append-only ({', '.join(ledgers)}): "
                "read and add only; no TRUNCATE, no table changes."
            )
        )
