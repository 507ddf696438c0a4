"""App configuration for home delivery: drivers, vehicles, rounds, routing, CD register."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "beacon.delivery"
    label = "delivery"
    verbose_name = "Home delivery"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.delivery.api import planning, police, register, runsheet, setup
        from beacon.delivery.selectors.runsheet import (
            instalments_out_for_supply,
            instalments_to_keep,
        )
        from beacon.delivery.selectors.setup import authorised_representatives, lockable_box_seen
        from beacon.delivery.services.runsheet import prescription_dose_changed_today
        from beacon.delivery.views.runsheet import client_summary_rows
        from beacon.prescribing import hooks

        for api in (register, setup, planning, police, runsheet):
            registry.api_routers.register(registry.ApiRouter("/delivery/", api.router))
        for entry in [
            registry.MenuEntry("Today's round", "delivery:my_round", "delivery.drive_round", 50),
            registry.MenuEntry("Delivery days", "delivery:days", "delivery.plan_rounds", 51),
            registry.MenuEntry(
                "Vehicles and shifts", "delivery:vehicles", "delivery.manage_setup", 52
            ),
            registry.MenuEntry(
                "CD register", "delivery:register_index", "delivery.keep_register", 53
            ),
        ]:
            registry.menu_entries.register(entry)
        registry.home_pages[Role.DRIVER] = "delivery:my_round"
        # What prescribing asks about home-delivery parcels.
        hooks.instalments_out_for_supply.register(instalments_out_for_supply)
        hooks.instalments_to_keep.register(instalments_to_keep)
        hooks.dose_changed_today.register(prescription_dose_changed_today)
        hooks.lockable_box_seen.register(lockable_box_seen)
        hooks.authorised_representatives.register(authorised_representatives)
        client_hooks.client_summary_rows.register(client_summary_rows)
        registry.demo_seeds.register(
            registry.DemoSeed(order=50, label="home delivery", seed=_seed_delivery)
        )
        registry.demo_seeds.register(
            registry.DemoSeed(order=55, label="a missed delivery today", seed=_seed_missed)
        )


def _seed_delivery(rng, org, *, clients, stdout) -> str:
    from beacon.delivery.demo import seed_delivery

    made = seed_delivery(rng, org, stdout=stdout)
    return (
        f"{made['delivery_details']} new home-delivery clients, "
        f"{made['days_planned']} delivery days planned"
    )


def _seed_missed(rng, org, *, clients, stdout) -> str:
    from beacon.delivery.demo import seed_missed_delivery_today

    return f"missed delivery today: {seed_missed_delivery_today(org['provider'], stdout=stdout)}"
