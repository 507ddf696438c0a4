"""App configuration for partner pharmacies: instalments due, supervised doses, missed doses."""

from django.apps import AppConfig


class PharmacyConfig(AppConfig):
    name = "beacon.pharmacy"
    label = "pharmacy"
    verbose_name = "Partner pharmacies"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.pharmacy import presenters
        from beacon.pharmacy.api import router
        from beacon.pharmacy.demo import seed_pharmacy
        from beacon.prescribing import hooks as prescribing_hooks

        registry.api_routers.register(registry.ApiRouter("/pharmacy/", router))
        for entry in [
            registry.MenuEntry("Due at the pharmacy", "pharmacy:due", "pharmacy.dispense", 54),
            registry.MenuEntry("Pharmacies", "pharmacy:figures", "pharmacy.view_figures", 55),
        ]:
            registry.menu_entries.register(entry)
        registry.home_pages[Role.PHARMACIST] = "pharmacy:due"
        # The prescriber reads the pharmacists' messages on the prescription (H-174).
        prescribing_hooks.prescription_page_sections.register(
            presenters.prescription_messages_section
        )
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=56,
                label="a partner pharmacy's instalments",
                seed=lambda rng, org, *, clients, stdout: seed_pharmacy(rng, org, stdout=stdout),
            )
        )
