"""App configuration for KPI definitions, the dashboard and the NDTMS return."""

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "beacon.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.reporting.api.kpis import router as kpi_router
        from beacon.reporting.demo import ndtms_demo_summary

        registry.api_routers.register(registry.ApiRouter("/", kpi_router))
        registry.menu_entries.register(
            registry.MenuEntry("KPIs", "reporting:dashboard", "reporting.view_kpis", 47)
        )
        registry.menu_entries.register(
            registry.MenuEntry(
                "NDTMS return", "reporting:ndtms_return", "reporting.view_ndtms_validation", 90
            )
        )
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=95,
                label="the NDTMS return",
                seed=lambda rng, org, *, clients, stdout: ndtms_demo_summary(org),
            )
        )
