"""App configuration for treatment: referral to discharge, recovery plans, TOP."""

from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "beacon.treatment"
    label = "treatment"
    verbose_name = "Treatment journey"
