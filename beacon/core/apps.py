"""App configuration for Beacon's core: organisations, users, roles, audit."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "beacon.core"
    label = "core"
    verbose_name = "Beacon core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed
        from django.db.backends.signals import connection_created

        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.core.views import alerts_worklist

        user_login_failed.connect(_sign_in_failed, dispatch_uid="beacon-audit-sign-in-failed")
        connection_created.connect(_no_jit, dispatch_uid="beacon-postgresql-no-jit")

        for entry in [
            registry.MenuEntry("Home", "core:home", "core.view_home", order=10),
            registry.MenuEntry("Alerts", "core:alerts", "core.view_alerts", order=90),
            registry.MenuEntry("Audit log", "core:audit_log", "core.view_audit_log", order=91),
            registry.MenuEntry("API tokens", "core:api_tokens", "core.manage_api_tokens", 92),
            registry.MenuEntry(
                "Locked accounts", "core:locked_accounts", "core.unlock_accounts", order=93
            ),
            registry.MenuEntry("Texts", "core:texts", "core.manage_texts", 94),
        ]:
            registry.menu_entries.register(entry)
        # Every worklist ends with the user's new alerts (a missed delivery, doses missed).
        registry.worklist_sections.register(
            registry.WorklistSection(
                order=90,
                roles=frozenset({Role.PRESCRIBER, Role.NURSE, Role.MANAGER}),
                permission="core.view_alerts",
                build=alerts_worklist,
            )
        )
        registry.demo_seeds.register(
            registry.DemoSeed(order=15, label="text wordings", seed=_seed_text_wordings)
        )


def _seed_text_wordings(rng, org, *, clients, stdout) -> str:
    from beacon.core.demo import seed_text_wordings

    return seed_text_wordings(rng, org, clients=clients, stdout=stdout)


def _sign_in_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    """Every wrong password reaches the audit log, not only django-axes' lockout tables."""
    from beacon.core.audit import audit_origin
    from beacon.core.services import sign_in_failed_record

    sign_in_failed_record(username=credentials.get("username") or "", origin=audit_origin(request))


def _no_jit(sender, connection, **kwargs) -> None:
    """A new PostgreSQL connection compiles no query ahead of running it (JIT off).

    Beacon's queries take well under a second, and compiling the KPI dashboard's
    aggregates cost 40-55 ms each, a sixth of its time at 100,000 clients (ADR 0009). A
    plain `SET` after connecting, not a startup option, so that a pooler in front of the
    database (PgBouncer refuses startup options it does not know) passes it like any
    statement."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
