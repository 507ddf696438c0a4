"""App configuration for Beacon's core: organisations, users, roles, audit."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "beacon.core"
    label = "core"
    verbose_name = "Beacon core"

    def ready(self) -> None:
        from beacon.core import registry

        for entry in [
            registry.MenuEntry("Home", "core:home", "core.view_home", order=10),
            registry.MenuEntry("Alerts", "core:alerts", "core.view_alerts", order=90),
            registry.MenuEntry("Audit log", "core:audit_log", "core.view_audit_log", order=91),
            registry.MenuEntry("API tokens", "core:api_tokens", "core.manage_api_tokens", 92),
        ]:
            registry.menu_entries.register(entry)
