"""App configuration for clients: service users, contacts and consents."""

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "beacon.clients"
    label = "clients"
    verbose_name = "Clients"
