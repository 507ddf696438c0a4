"""App configuration for prescribing: OST prescriptions, dose changes, instalments."""

from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "beacon.prescribing"
    label = "prescribing"
    verbose_name = "Prescribing"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.prescribing import views
        from beacon.prescribing.api import router
        from beacon.prescribing.demo import seed_prescriptions
        from beacon.prescribing.discharge import no_successful_completion_on_ost_prescription
        from beacon.prescribing.rules import ENDING_SOON, REVIEW, WRITE
        from beacon.prescribing.selectors import clients_prescribed_by
        from beacon.prescribing.views import client_page_section, client_summary_rows
        from beacon.treatment import hooks as treatment_hooks

        registry.api_routers.register(registry.ApiRouter("/prescribing/", router))
        registry.menu_entries.register(
            registry.MenuEntry(
                "Ending soon", "prescribing:ending_soon", "prescribing.view_ending_soon", 40
            )
        )
        # The prescriber's worklist: what runs out, what waits for their review or decision.
        prescriber = frozenset({Role.PRESCRIBER})
        for order, permission, build in (
            (10, ENDING_SOON, views.ending_soon_worklist),
            (20, REVIEW, views.awaiting_review_worklist),
            (30, WRITE, views.injections_worklist),
        ):
            registry.worklist_sections.register(
                registry.WorklistSection(order, prescriber, permission, build)
            )
        treatment_hooks.discharge_checks.register(no_successful_completion_on_ost_prescription)
        # A prescriber's own clients come first on the exit plan reviews due too.
        treatment_hooks.prescriber_clients.register(clients_prescribed_by)
        client_hooks.client_page_sections.register(client_page_section)
        client_hooks.client_summary_rows.register(client_summary_rows)
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=40,
                label="opioid substitution prescriptions",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{seed_prescriptions(rng, org, stdout=stdout)} new prescriptions"
                ),
            )
        )
