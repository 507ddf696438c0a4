"""App configuration for prescribing: OST prescriptions, dose changes, instalments."""

from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "beacon.prescribing"
    label = "prescribing"
    verbose_name = "Prescribing"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.prescribing.api import router
        from beacon.prescribing.demo import seed_prescriptions

        registry.api_routers.register(registry.ApiRouter("/prescribing/", router))
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=40,
                label="opioid substitution prescriptions",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{seed_prescriptions(rng, org, stdout=stdout)} new prescriptions"
                ),
            )
        )
