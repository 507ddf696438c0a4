"""App configuration for prescribing: OST prescriptions, dose changes, instalments."""

from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "beacon.prescribing"
    label = "prescribing"
    verbose_name = "Prescribing"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.prescribing.api import router
        from beacon.prescribing.demo import seed_prescriptions
        from beacon.prescribing.discharge import no_successful_completion_on_ost_prescription
        from beacon.prescribing.views import client_page_section
        from beacon.treatment import hooks as treatment_hooks

        registry.api_routers.register(registry.ApiRouter("/prescribing/", router))
        registry.menu_entries.register(
            registry.MenuEntry(
                "Ending soon", "prescribing:ending_soon", "prescribing.view_ending_soon", 40
            )
        )
        treatment_hooks.discharge_checks.register(no_successful_completion_on_ost_prescription)
        client_hooks.client_page_sections.register(client_page_section)
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=40,
                label="opioid substitution prescriptions",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{seed_prescriptions(rng, org, stdout=stdout)} new prescriptions"
                ),
            )
        )
