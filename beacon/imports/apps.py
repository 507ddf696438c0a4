"""App configuration for history import and export, all or nothing."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "beacon.imports"
    label = "imports"
    verbose_name = "Moving in and out"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.imports.api import router
        from beacon.imports.demo import seed_imports
        from beacon.imports.rules import IMPORT_HISTORY

        registry.api_routers.register(registry.ApiRouter("/imports/", router))
        registry.menu_entries.register(
            registry.MenuEntry("Import history", "imports:list", IMPORT_HISTORY, 90)
        )
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=95,
                label="a completed history import from an old system",
                seed=lambda rng, org, *, clients, stdout: seed_imports(rng, org),
            )
        )
