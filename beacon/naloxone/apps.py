"""App configuration for naloxone: kit stock, opt-out offers, supplies, training, use
reports and coverage."""

from django.apps import AppConfig


class NaloxoneConfig(AppConfig):
    name = "beacon.naloxone"
    label = "naloxone"
    verbose_name = "Naloxone"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.naloxone import moments, views
        from beacon.naloxone.api import router
        from beacon.naloxone.demo import seed_naloxone
        from beacon.naloxone.views import (
            caseload_columns,
            client_page_section,
            client_summary_rows,
        )
        from beacon.pharmacy import hooks as pharmacy_hooks
        from beacon.treatment import hooks as treatment_hooks

        registry.api_routers.register(registry.ApiRouter("/naloxone/", router))
        for label, url_name, permission, order in (
            ("Naloxone", "naloxone:gaps", "naloxone.view_lists", 46),
            # Where a kit supplied to a family member or friend is found again (H-109).
            ("Naloxone supplies", "naloxone:supplies", "naloxone.view_supplies", 46),
            ("Naloxone coverage", "naloxone:coverage", "naloxone.view_figures", 47),
            ("Naloxone", "naloxone:pharmacy", "naloxone.supply_at_pharmacy", 48),
        ):
            registry.menu_entries.register(registry.MenuEntry(label, url_name, permission, order))
        # The pharmacist's home links to their pharmacy's naloxone (H-171).

        for label, url_name, order in (
            ("Supply a naloxone kit", "naloxone:pharmacy_supply", 20),
            ("Naloxone kits and supplies at your pharmacy", "naloxone:pharmacy", 21),
        ):
            pharmacy_hooks.pharmacy_services.register(
                pharmacy_hooks.PharmacyService(
                    label, url_name, "naloxone.supply_at_pharmacy", order
                )
            )
        client_hooks.client_page_sections.register(client_page_section)
        client_hooks.client_summary_rows.register(client_summary_rows)
        # The nurse's worklist: clients without an in-date kit, next to the TOPs due.
        registry.worklist_sections.register(
            registry.WorklistSection(
                20, frozenset({Role.NURSE}), "naloxone.view_lists", views.gaps_section
            )
        )
        treatment_hooks.caseload_columns.register(caseload_columns)
        moments.register()
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=58,
                label="naloxone stock and supplies",
                seed=lambda rng, org, *, clients, stdout: seed_naloxone(rng, org, stdout=stdout),
            )
        )
