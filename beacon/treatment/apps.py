"""App configuration for treatment: referral to discharge, recovery plans, TOP."""

from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "beacon.treatment"
    label = "treatment"
    verbose_name = "Treatment journey"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.treatment.api import journey, plans, tops
        from beacon.treatment.demo import seed_journeys

        for concept in (journey, plans, tops):
            registry.api_routers.register(registry.ApiRouter("/treatment/", concept.router))
        registry.menu_entries.register(
            registry.MenuEntry("Caseload", "treatment:caseload", "treatment.view_caseload", 20)
        )
        registry.home_pages[Role.KEYWORKER] = "treatment:caseload"
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=20,
                label="treatment journeys",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{len(seed_journeys(rng, org, stdout=stdout))} new journeys"
                ),
            )
        )
