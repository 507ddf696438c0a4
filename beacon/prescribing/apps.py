"""App configuration for prescribing: OST prescriptions, dose changes, instalments."""

from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "beacon.prescribing"
    label = "prescribing"
    verbose_name = "Prescribing"
