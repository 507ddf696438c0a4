"""Partner pharmacies: what a pharmacy adds to its partner organisation (address, opening
hours), what it recorded of each instalment it supplied or did not, and its messages to
the prescriber."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.core.fields import BoundedTextField
from beacon.core.models import PartnerOrganisation, Provider, Site
from beacon.prescribing.models import Instalment


class PharmacyProfile(models.Model):
    """A community pharmacy's address and opening hours, beside its partner organisation
    (which holds the name, ODS code and phone)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    pharmacy = models.OneToOneField(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="pharmacy_profile"
    )
    address = BoundedTextField(max_length=500, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    opening_hours = BoundedTextField(
        max_length=500, blank=True, help_text="For example: Monday to Saturday 9am to 6pm"
    )
    # The pharmacy's premises as a place of the service's stock and NSP: naloxone kits
    # transferred to it are its own stock (per site, like every other), and its NSP
    # transactions and naloxone supplies are recorded there (issue 14, H-169).
    site = models.OneToOneField(
        Site,
        on_delete=models.PROTECT,
        related_name="pharmacy_profile",
        null=True,
        blank=True,
        help_text="Where the service's naloxone kits at this pharmacy and its NSP are kept",
    )

    def __str__(self) -> str:
        return f"{self.pharmacy}: profile"


class Supply(models.TextChoices):
    """What the pharmacy records of one instalment (issue 14)."""

    SUPERVISED = "supervised", "Supplied supervised (consumed on the premises)"
    TAKE_HOME = "take_home", "Supplied to take home"
    REPRESENTATIVE = "representative", "Collected by a named representative"
    REMAINING_DAYS = "remaining_days", "Remaining days supplied (the collection day was missed)"
    NOT_COLLECTED = "not_collected", "Not collected"
    REFUSED = "refused", "Supply refused"


# Outcomes that supply the dose (the instalment becomes collected); the others are missed.
SUPPLIED = frozenset(
    {Supply.SUPERVISED, Supply.TAKE_HOME, Supply.REPRESENTATIVE, Supply.REMAINING_DAYS}
)


class RefusalReason(models.TextChoices):
    INTOXICATED = "intoxicated", "Intoxicated"
    UNWELL = "unwell", "Unwell"
    OTHER = "other", "Another reason"


class PharmacySupply(models.Model):
    """What a pharmacy recorded of one instalment: the pharmacy's own words for the
    outcome that prescribing stores on the instalment (collected or missed)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    pharmacy = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="pharmacy_supplies"
    )
    instalment = models.OneToOneField(
        Instalment, on_delete=models.PROTECT, related_name="pharmacy_supply"
    )
    supply = models.CharField(max_length=20, choices=Supply.choices)
    representative_name = models.CharField(max_length=200, blank=True)
    refusal_reason = models.CharField(max_length=20, choices=RefusalReason.choices, blank=True)
    notes = BoundedTextField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supply="representative") | ~Q(representative_name=""),
                name="pharmacy_supply_representative_named",
            ),
            models.CheckConstraint(
                condition=~Q(supply="refused") | ~Q(refusal_reason=""),
                name="pharmacy_supply_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_supply_display()} ({self.instalment})"


class PharmacyMessage(models.Model):
    """A pharmacist's message to the prescriber about one instalment."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    pharmacy = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="+")
    instalment = models.ForeignKey(
        Instalment, on_delete=models.PROTECT, related_name="pharmacy_messages"
    )
    text = BoundedTextField(max_length=1000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Message from {self.pharmacy} ({self.instalment})"


class PharmacyChase(models.Model):
    """The service phoned a pharmacy about its instalments of a day not recorded: that day
    leaves the list of pharmacies to phone (H-173)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    pharmacy = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="pharmacy_chases"
    )
    day = models.DateField(help_text="The day whose instalments were not recorded")
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pharmacy", "day"], name="pharmacy_chased_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.pharmacy} phoned about {self.day:%d/%m/%Y}"
