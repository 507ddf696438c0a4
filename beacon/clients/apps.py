"""App configuration for clients: service users, contacts and consents."""

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "beacon.clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        from beacon.clients.api import router
        from beacon.clients.demo import seed_clients
        from beacon.core import registry

        registry.api_routers.register(registry.ApiRouter("/clients/", router))
        registry.menu_entries.register(
            registry.MenuEntry("Clients", "clients:search", "clients.view_client", order=30)
        )
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=10,
                label="demo clients",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{seed_clients(rng, org, count=clients, stdout=stdout)} new clients"
                ),
            )
        )
