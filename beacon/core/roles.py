"""The roles of DESIGN.md: who a user is in the service."""

from django.db import models


class Role(models.TextChoices):
    KEYWORKER = "keyworker", "Keyworker"
    PRESCRIBER = "prescriber", "Prescriber"
    NURSE = "nurse", "Nurse"
    DRIVER = "driver", "Driver"
    VOLUNTEER = "volunteer", "Peer volunteer"
    MANAGER = "manager", "Service manager"
    COMMISSIONER = "commissioner", "Commissioner"
    PHARMACIST = "pharmacist", "Pharmacist"
    PROBATION_OFFICER = "probation_officer", "Probation officer"


# Staff roles sign in with a TOTP second factor. Peer volunteers see no client
# records (only their own outreach logs), so a password is enough for them.
TWO_FACTOR_ROLES = frozenset(
    {
        Role.KEYWORKER,
        Role.PRESCRIBER,
        Role.NURSE,
        Role.DRIVER,
        Role.MANAGER,
        Role.COMMISSIONER,
        Role.PHARMACIST,
        Role.PROBATION_OFFICER,
    }
)
