"""App configuration for harm reduction: the needle and syringe programme and blood-borne
viruses."""

from django.apps import AppConfig


class HarmReductionConfig(AppConfig):
    name = "beacon.harmreduction"
    label = "harmreduction"
    verbose_name = "Harm reduction: NSP and blood-borne viruses"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.harmreduction.api import router
        from beacon.harmreduction.demo import seed_harm_reduction
        from beacon.harmreduction.views import bbv_tests_due_section, client_page_section
        from beacon.pharmacy import hooks as pharmacy_hooks

        registry.api_routers.register(registry.ApiRouter("/harm-reduction/", router))
        for label, url_name, permission, order in (
            ("NSP", "harmreduction:transactions", "harmreduction.view_nsp", 50),
            ("NSP figures", "harmreduction:figures", "harmreduction.view_figures", 49),
        ):
            registry.menu_entries.register(registry.MenuEntry(label, url_name, permission, order))
        # The pharmacist's home links to their pharmacy's NSP (H-170).
        for label, url_name, order in (
            ("Record an NSP transaction", "harmreduction:record", 10),
            ("NSP transactions at your pharmacy", "harmreduction:transactions", 11),
        ):
            pharmacy_hooks.pharmacy_services.register(
                pharmacy_hooks.PharmacyService(label, url_name, "harmreduction.record_nsp", order)
            )
        client_hooks.client_page_sections.register(client_page_section)
        # The nurse's worklist: blood-borne virus tests due, after the naloxone gaps.
        registry.worklist_sections.register(
            registry.WorklistSection(
                30, frozenset({Role.NURSE}), "harmreduction.record_bbv", bbv_tests_due_section
            )
        )
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=70,
                label="NSP transactions and blood-borne virus records",
                seed=lambda rng, org, *, clients, stdout: seed_harm_reduction(rng, org),
            )
        )
