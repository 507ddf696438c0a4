"""App configuration for home delivery: drivers, vehicles, rounds, routing, CD register."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "beacon.delivery"
    label = "delivery"
    verbose_name = "Home delivery"
