"""App configuration for peer volunteers, training, supervision and outreach."""

from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "beacon.volunteers"
    label = "volunteers"
    verbose_name = "Peer volunteers"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.naloxone import hooks as naloxone_hooks
        from beacon.volunteers.api import router
        from beacon.volunteers.demo import seed_volunteers
        from beacon.volunteers.services import naloxone_training_check

        # A volunteer supplies naloxone only while their training is in date (H-200): the
        # naloxone supply service asks this check, whichever page or API calls it.
        naloxone_hooks.supply_checks.register(naloxone_training_check)
        for entry in [
            registry.MenuEntry("My day", "volunteers:my_day", "volunteers.own_day", 20),
            registry.MenuEntry("Volunteers", "volunteers:list", "volunteers.manage", 62),
            registry.MenuEntry(
                "Outreach referrals", "volunteers:referrals", "volunteers.follow_referrals", 63
            ),
            registry.MenuEntry(
                "Outreach report", "volunteers:report", "volunteers.view_report", 64
            ),
        ]:
            registry.menu_entries.register(entry)
        registry.home_pages[Role.VOLUNTEER] = "volunteers:my_day"
        registry.api_routers.register(registry.ApiRouter("/volunteers/", router))
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=75,
                label="peer volunteers and outreach",
                seed=lambda rng, org, *, clients, stdout: seed_volunteers(rng, org, stdout=stdout),
            )
        )
