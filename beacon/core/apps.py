"""App configuration for Beacon's core: organisations, users, roles, audit."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "beacon.core"
    label = "core"
    verbose_name = "Beacon core"
